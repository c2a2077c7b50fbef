"""Composes mails from open notices: at once for immediate follows, when due
(on the platform clock, so tests move time) for daily and weekly digests. A
mail and the notices it carries are written in one transaction, so each notice
is in exactly one mail. Also deletes follows left unconfirmed too long."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from sqlalchemy import Connection, delete, insert, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from gateway.follows import mail
from gateway.follows.intake import interest_of
from gateway.follows.store import FollowerRow, FollowRow, MailRow, NoticeRow
from services.runtime import limits
from services.runtime.clock import CHINA_TZ, Clock
from services.runtime.db import Database

log = logging.getLogger(__name__)
DIGEST_HOUR = 8  # digests leave at 08:00 China time; weekly ones on Mondays


def next_digest(cadence: str, after: dt.datetime) -> dt.datetime | None:
    if cadence == "immediate":
        return None
    local = after.astimezone(CHINA_TZ)
    slot = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if slot <= local:
        slot += dt.timedelta(days=1)
    if cadence == "weekly":
        slot += dt.timedelta(days=(7 - slot.weekday()) % 7)
    return slot.astimezone(dt.UTC)


def utc_now(clock: Clock) -> dt.datetime:
    # The zone stored instants come back in; a test clock may hand out another.
    return clock.now().astimezone(dt.UTC)


def wall_now() -> dt.datetime:
    """Retry timing is operational, not a rule: it runs on real time, also
    when the platform clock is held still by a test."""
    return dt.datetime.now(dt.UTC)


class Composer:
    def __init__(self, db: Database, clock: Clock, links: mail.Links, sender: str) -> None:
        self.db = db
        self.clock = clock
        self.links = links
        self.sender = sender

    async def compose(self, max_notices: int = 2_000) -> int:
        """Mails made this round: one per due follow with open notices. Read, then
        rendered in a worker thread (the email package costs milliseconds a mail, which
        must not stall the gateway's requests), then written as one unit of work."""
        await self._forget_unconfirmed()
        now = utc_now(self.clock)
        async with self.db.reader() as session:
            notices = (
                await session.exec(
                    select(NoticeRow)
                    .join(FollowRow, col(FollowRow.id) == NoticeRow.follow_id)
                    .where(
                        col(NoticeRow.mail_id).is_(None),
                        col(FollowRow.confirmed_at).is_not(None),
                        or_(FollowRow.cadence == "immediate", col(FollowRow.next_digest_at) <= now),
                    )
                    .order_by(NoticeRow.id)
                    .limit(max_notices)
                )
            ).all()
            if not notices:
                return 0
            by_follow: dict[str, list[NoticeRow]] = {}
            for notice in notices:
                by_follow.setdefault(notice.follow_id, []).append(notice)
            follows = (await session.exec(select(FollowRow).where(col(FollowRow.id).in_(by_follow)))).all()
            due = [f for f in follows if self._due(f, now)]
            follower_ids = {f.follower_id for f in due}
            followers = {
                r.id: r
                for r in (
                    await session.exec(select(FollowerRow).where(col(FollowerRow.id).in_(follower_ids)))
                ).all()
            }
        work = [
            (follow, followers[follow.follower_id], by_follow[follow.id][: limits.FOLLOW_NOTICES_PER_MAIL])
            for follow in due
            if follow.follower_id in followers
        ]
        drafts = await asyncio.to_thread(self._render, work, now)
        return await self.db.unit(lambda conn: self._store(conn, drafts, now), "follows.compose")

    def _render(self, work, now: dt.datetime) -> list[dict]:
        drafts = []
        for follow, follower, rows in work:
            message = mail.notices(
                self.links,
                self.sender,
                now,
                follow=follow,
                manage_token=follower.manage_token,
                label=interest_of(follow).label(),
                rows=rows,
            )
            drafts.append(
                {
                    "follow_id": follow.id,
                    "follower_id": follower.id,
                    "kind": "digest" if follow.cadence != "immediate" else "notices",
                    "message": mail.serialize(message),
                    "notice_ids": [r.id for r in rows],
                    "next_digest_at": next_digest(follow.cadence, now),
                }
            )
        return drafts

    @staticmethod
    def _store(conn: Connection, drafts: list[dict], now: dt.datetime) -> int:
        follows, mails, notices = FollowRow.__table__, MailRow.__table__, NoticeRow.__table__
        # A follow removed while its mail was rendered is not mailed.
        alive = set(
            conn.execute(
                sa_select(follows.c.id).where(follows.c.id.in_([d["follow_id"] for d in drafts]))
            ).scalars()
        )
        made = 0
        for draft in drafts:
            if draft["follow_id"] not in alive:
                continue
            mail_id = conn.execute(
                insert(mails)
                .values(
                    follower_id=draft["follower_id"],
                    follow_id=draft["follow_id"],
                    kind=draft["kind"],
                    message=draft["message"],
                    status="pending",
                    attempts=0,
                    last_error="",
                    next_attempt_at=wall_now(),
                    created_at=now,
                )
                .returning(mails.c.id)
            ).scalar_one()
            conn.execute(
                update(notices)
                .where(notices.c.id.in_(draft["notice_ids"]), notices.c.mail_id.is_(None))
                .values(mail_id=mail_id)
            )
            if draft["kind"] == "digest":
                conn.execute(
                    update(follows)
                    .where(follows.c.id == draft["follow_id"])
                    .values(next_digest_at=draft["next_digest_at"])
                )
            made += 1
        return made

    @staticmethod
    def _due(follow: FollowRow, now: dt.datetime) -> bool:
        if follow.cadence == "immediate":
            return True
        return follow.next_digest_at is not None and follow.next_digest_at <= now

    async def _forget_unconfirmed(self) -> None:
        cutoff = utc_now(self.clock) - dt.timedelta(hours=limits.FOLLOW_CONFIRM_HOURS)
        async with self.db.transaction("follows.expire") as session:
            stale = (
                await session.exec(
                    select(FollowRow).where(
                        col(FollowRow.confirmed_at).is_(None), FollowRow.created_at < cutoff
                    )
                )
            ).all()
            for follow in stale:
                await remove_follow(session, follow)


async def remove_follow(session, follow: FollowRow) -> None:
    """A follow goes with its notices and unsent mails; its follower (the
    address) with the last follow."""
    await session.exec(delete(NoticeRow).where(NoticeRow.follow_id == follow.id))
    await session.exec(delete(MailRow).where(MailRow.follow_id == follow.id, MailRow.status == "pending"))
    await session.delete(follow)
    await session.flush()
    others = (
        await session.exec(select(FollowRow.id).where(FollowRow.follower_id == follow.follower_id).limit(1))
    ).first()
    if others is None:
        await session.exec(delete(MailRow).where(MailRow.follower_id == follow.follower_id))
        follower = await session.get(FollowerRow, follow.follower_id)
        if follower is not None:
            await session.delete(follower)

"""Composes mails from open notices: at once for immediate follows, when due
(on the platform clock, so tests move time) for daily and weekly digests. A
mail and the notices it carries are written in one transaction, so each notice
is in exactly one mail. Also deletes follows left unconfirmed too long."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, update
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
    # Stored in UTC: SQLite keeps datetimes without their zone.
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

    async def compose(self) -> int:
        """Mails made this round."""
        await self._forget_unconfirmed()
        now = utc_now(self.clock)
        async with self.db.reader() as session:
            open_follows = set(
                (
                    await session.exec(
                        select(NoticeRow.follow_id).where(col(NoticeRow.mail_id).is_(None)).distinct()
                    )
                ).all()
            )
            if not open_follows:
                return 0
            follows = (await session.exec(select(FollowRow).where(col(FollowRow.id).in_(open_follows)))).all()
        made = 0
        for follow in follows:
            due = follow.cadence == "immediate" or (
                follow.next_digest_at and _aware(follow.next_digest_at) <= now
            )
            if due and follow.confirmed_at is not None:
                made += await self._mail_follow(follow.id, now)
        return made

    async def _mail_follow(self, follow_id: str, now: dt.datetime) -> int:
        async with self.db.transaction("follows.compose") as session:
            follow = await session.get(FollowRow, follow_id)
            if follow is None:
                return 0
            follower = await session.get(FollowerRow, follow.follower_id)
            rows = (
                await session.exec(
                    select(NoticeRow)
                    .where(NoticeRow.follow_id == follow_id, col(NoticeRow.mail_id).is_(None))
                    .order_by(NoticeRow.id)
                    .limit(limits.FOLLOW_NOTICES_PER_MAIL)
                )
            ).all()
            if not rows or follower is None:
                return 0
            message = mail.notices(
                self.links,
                self.sender,
                now,
                follow=follow,
                manage_token=follower.manage_token,
                label=interest_of(follow).label(),
                rows=rows,
            )
            row = MailRow(
                follower_id=follower.id,
                follow_id=follow.id,
                kind="digest" if follow.cadence != "immediate" else "notices",
                message=mail.serialize(message),
                next_attempt_at=wall_now(),
                created_at=now,
            )
            session.add(row)
            await session.flush()
            await session.exec(
                update(NoticeRow).where(col(NoticeRow.id).in_([r.id for r in rows])).values(mail_id=row.id)
            )
            if follow.cadence != "immediate":
                follow.next_digest_at = next_digest(follow.cadence, now)
                session.add(follow)
        return 1

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


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


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

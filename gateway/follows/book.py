"""Asking, confirming, leaving and erasing follows: the use cases behind the
API and the portal's pages. Every limit is counted on stored rows inside the
write, so a refused request stores nothing and every replica counts the same."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlmodel import col, func, select

from gateway.follows import mail
from gateway.follows.digest import next_digest, remove_follow, utc_now, wall_now
from gateway.follows.interest import Interest
from gateway.follows.store import FollowerRow, FollowRow, MailRow, NoticeRow
from services.runtime import limits
from services.runtime.clock import Clock
from services.runtime.db import Database
from services.runtime.ids import new_id

CADENCES = ("immediate", "daily", "weekly")
LANGS = ("zh", "en")
# Deliberately plain: one @, a dot in the domain, no spaces or angle brackets (header safety).
EMAIL_PATTERN = re.compile(
    r"^[^@\s<>\"',;]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


class TooMany(Exception):
    """A named limit refused the request (HTTP 429)."""


class Invalid(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(LookupError):
    pass


@dataclass
class FollowRequest:
    email: str
    interest: Interest
    cadence: str = "immediate"
    lang: str = "zh"


def view(follow: FollowRow) -> dict:
    """A follow as the API and the manage page show it: never the address."""
    return {
        "id": follow.id,
        "kind": follow.kind,
        "interest": Interest(
            follow.kind, follow.party, follow.agency, follow.region, follow.category, follow.q
        ).as_dict(),
        "cadence": follow.cadence,
        "lang": follow.lang,
        "status": "confirmed" if follow.confirmed_at else "awaiting_confirmation",
        "created_at": follow.created_at.isoformat(),
    }


class FollowBook:
    def __init__(self, db: Database, clock: Clock, links: mail.Links, sender: str, key: str, on_mail) -> None:
        self.on_mail = on_mail
        self.db = db
        self.clock = clock
        self.links = links
        self.sender = sender
        self._key = key.encode()

    def _keyed(self, value: str) -> str:
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()

    async def ask(self, request: FollowRequest, client_address: str) -> FollowRow:
        """Store an unconfirmed follow and its confirmation mail."""
        address = request.email.strip()
        if len(address) > limits.MAX_EMAIL_CHARS or not EMAIL_PATTERN.match(address):
            raise Invalid("email", "is not an e-mail address")
        if request.cadence not in CADENCES:
            raise Invalid("cadence", "must be one of " + ", ".join(CADENCES))
        if request.lang not in LANGS:
            raise Invalid("lang", "must be zh or en")
        address_key = self._keyed(address.lower())
        client_key = self._keyed("client:" + client_address)
        now = utc_now(self.clock)
        async with self.db.transaction("follows.ask") as session:
            follower = (
                await session.exec(select(FollowerRow).where(FollowerRow.address_key == address_key))
            ).first()
            await self._check_limits(session, follower, client_key, now)
            if follower is None:
                follower = FollowerRow(
                    id=new_id(),
                    email=address,
                    address_key=address_key,
                    manage_token=secrets.token_urlsafe(24),
                    created_at=now,
                )
                session.add(follower)
            i = request.interest
            follow = FollowRow(
                id=new_id(),
                follower_id=follower.id,
                kind=i.kind,
                party=i.party,
                agency=i.agency,
                region=i.region,
                category=i.category,
                q=i.q,
                cadence=request.cadence,
                lang=request.lang,
                token=secrets.token_urlsafe(24),
                client_key=client_key,
                created_at=now,
            )
            session.add(follow)
            message = mail.confirmation(self.links, self.sender, now, follow=follow, label=i.label())
            session.add(
                MailRow(
                    follower_id=follower.id,
                    follow_id=follow.id,
                    kind="confirm",
                    message=mail.serialize(message),
                    next_attempt_at=wall_now(),
                    created_at=now,
                )
            )
        self.on_mail()
        return follow

    async def _check_limits(
        self, session, follower: FollowerRow | None, client_key: str, now: dt.datetime
    ) -> None:
        def since(seconds: int) -> dt.datetime:
            return now - dt.timedelta(seconds=seconds)

        recent_from_client = await session.scalar(
            select(func.count())
            .select_from(FollowRow)
            .where(
                FollowRow.client_key == client_key,
                FollowRow.created_at > since(limits.FOLLOW_REQUESTS_PER_CLIENT_WINDOW_SECONDS),
            )
        )
        if recent_from_client >= limits.FOLLOW_REQUESTS_PER_CLIENT:
            raise TooMany(
                f"too many follows asked from your address: at most {limits.FOLLOW_REQUESTS_PER_CLIENT}"
                f" per {limits.FOLLOW_REQUESTS_PER_CLIENT_WINDOW_SECONDS // 60} minutes;"
                " please try again later"
            )
        if follower is None:
            return
        of_address = FollowRow.follower_id == follower.id
        total = await session.scalar(select(func.count()).select_from(FollowRow).where(of_address))
        if total >= limits.FOLLOWS_PER_ADDRESS:
            raise TooMany(
                f"this e-mail address already has {limits.FOLLOWS_PER_ADDRESS} follows, the most allowed; "
                "remove some on the manage page first"
            )
        recent = await session.scalar(
            select(func.count())
            .select_from(FollowRow)
            .where(
                of_address, FollowRow.created_at > since(limits.FOLLOW_REQUESTS_PER_ADDRESS_WINDOW_SECONDS)
            )
        )
        if recent >= limits.FOLLOW_REQUESTS_PER_ADDRESS:
            raise TooMany(
                "too many follows asked for this e-mail address: at most"
                f" {limits.FOLLOW_REQUESTS_PER_ADDRESS}"
                f" per {limits.FOLLOW_REQUESTS_PER_ADDRESS_WINDOW_SECONDS // 60} minutes;"
                " please try again later"
            )

    async def _by_token(self, session, token: str) -> FollowRow:
        follow = (await session.exec(select(FollowRow).where(FollowRow.token == token))).first()
        if follow is None or not secrets.compare_digest(follow.token, token):
            raise NotFound("no follow with that link (it may have been removed or have expired)")
        return follow

    async def confirm(self, token: str) -> FollowRow:
        now = utc_now(self.clock)
        async with self.db.transaction("follows.confirm") as session:
            follow = await self._by_token(session, token)
            if follow.confirmed_at is None:
                follow.confirmed_at = now
                follow.next_digest_at = next_digest(follow.cadence, now)
                session.add(follow)
            return follow

    async def unsubscribe(self, follow_id: str, token: str) -> None:
        async with self.db.transaction("follows.unsubscribe") as session:
            follow = await self._by_token(session, token)
            if follow.id != follow_id:
                raise NotFound("no follow with that link")
            await remove_follow(session, follow)

    async def _follower(self, session, manage_token: str) -> FollowerRow:
        follower = (
            await session.exec(select(FollowerRow).where(FollowerRow.manage_token == manage_token))
        ).first()
        if follower is None:
            raise NotFound("no follows with that link (they may all have been removed)")
        return follower

    async def follows_of(self, manage_token: str) -> list[FollowRow]:
        async with self.db.reader() as session:
            follower = await self._follower(session, manage_token)
            return list(
                (
                    await session.exec(
                        select(FollowRow)
                        .where(FollowRow.follower_id == follower.id)
                        .order_by(FollowRow.created_at)
                    )
                ).all()
            )

    async def export(self, manage_token: str) -> dict:
        """Everything stored about an address, for its owner (the manage page)."""
        async with self.db.reader() as session:
            follower = await self._follower(session, manage_token)
            follows = (
                await session.exec(select(FollowRow).where(FollowRow.follower_id == follower.id))
            ).all()
            ids = [f.id for f in follows]
            notices = (await session.exec(select(NoticeRow).where(col(NoticeRow.follow_id).in_(ids)))).all()
            mails = (await session.exec(select(MailRow).where(MailRow.follower_id == follower.id))).all()
        return {
            "email": follower.email,
            "created_at": follower.created_at.isoformat(),
            "follows": [view(f) for f in follows],
            "notices": [
                {"follow_id": n.follow_id, "change": n.change, "result_id": n.result_id} for n in notices
            ],
            "mails": [
                {"kind": m.kind, "status": m.status, "sent_at": m.sent_at and m.sent_at.isoformat()}
                for m in mails
            ],
        }

    async def erase(self, manage_token: str) -> None:
        async with self.db.transaction("follows.erase") as session:
            follower = await self._follower(session, manage_token)
            follows = (
                await session.exec(select(FollowRow).where(FollowRow.follower_id == follower.id))
            ).all()
            for follow in follows:
                await remove_follow(session, follow)
            if not follows:
                await session.delete(follower)

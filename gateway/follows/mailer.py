"""Sends composed mails, at least once: a mail is marked sent only after the
transport accepted it, and retried with exponential back-off otherwise.

Transports: SMTP (GONGSHI_SMTP_URL; STARTTLS whenever offered, and required
before credentials leave the machine) or, with no URL, a folder of .eml files
under the data directory, for a local install with no mail server."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path

from sqlmodel import col, select

from gateway.follows.digest import Composer, wall_now
from gateway.follows.store import FollowerRow, MailRow
from services.runtime import limits
from services.runtime.db import Database

log = logging.getLogger(__name__)
SMTP_TIMEOUT_SECONDS = 30


class FolderTransport:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def describe(self) -> str:
        return str(self.folder)

    def send_many(self, mails: list[tuple[int, str, bytes]]) -> list[str]:
        """Writes each mail as <id>.eml (atomically: a reader never sees half a
        mail, and writing the same mail again replaces it)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for mail_id, _, data in mails:
            tmp = self.folder / f".{mail_id}.tmp"
            tmp.write_bytes(data)
            tmp.replace(self.folder / f"{mail_id:08d}.eml")
        return ["" for _ in mails]


def transport_for(smtp_url: str, folder: Path):
    if not smtp_url:
        return FolderTransport(folder)
    from gateway.follows.smtp import (
        SmtpTransport,  # smtplib and ssl cost ~6 MB a gateway without SMTP never needs
    )

    return SmtpTransport(smtp_url)


class Postman:
    """Composes due mails and sends pending ones, woken by the intake's commits."""

    def __init__(
        self,
        db: Database,
        composer: Composer,
        transport,
        *,
        retry_base: float,
        retry_max: float,
        poll_seconds: float,
    ) -> None:
        self.db = db
        self.composer = composer
        self.transport = transport
        self.retry_base = retry_base
        self.retry_max = retry_max
        self.poll_seconds = poll_seconds
        self.wake = asyncio.Event()
        self._stopping = asyncio.Event()

    def notify(self) -> None:
        self.wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self.wake.set()

    def backoff(self, attempts: int) -> float:
        return min(self.retry_base * 2 ** (attempts - 1), self.retry_max)

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                busy = await self.composer.compose() + await self.send_due()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning(
                    "follow mail round failed: %s", exc
                )  # never an address: exc comes from SQL or SMTP
                busy = 0
            if busy:
                continue
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), self.poll_seconds)
            except TimeoutError:
                pass

    async def send_due(self, batch: int = 100) -> int:
        async with self.db.reader() as session:
            rows = (
                await session.exec(
                    select(MailRow, FollowerRow.email)
                    .join(FollowerRow, FollowerRow.id == MailRow.follower_id)
                    .where(MailRow.status == "pending", MailRow.next_attempt_at <= wall_now())
                    .order_by(MailRow.next_attempt_at, MailRow.id)
                    .limit(batch)
                )
            ).all()
        if not rows:
            return 0
        mails = [(row.id, to, _addressed(row.message, to)) for row, to in rows]
        outcomes = await asyncio.to_thread(self.transport.send_many, mails)
        async with self.db.transaction("follows.sent") as session:
            ids = [row.id for row, _ in rows]
            stored = {
                m.id: m for m in (await session.exec(select(MailRow).where(col(MailRow.id).in_(ids)))).all()
            }
            now = wall_now()
            for (row, _), error in zip(rows, outcomes, strict=True):
                mail = stored.get(row.id)
                if mail is None:  # erased meanwhile
                    continue
                mail.attempts += 1
                if not error:
                    mail.status, mail.sent_at, mail.last_error = "sent", now, ""
                elif mail.attempts >= limits.FOLLOW_MAIL_MAX_ATTEMPTS:
                    mail.status, mail.last_error = "failed", error[:500]
                else:
                    mail.last_error = error[:500]
                    mail.next_attempt_at = now + dt.timedelta(seconds=self.backoff(mail.attempts))
                session.add(mail)
        return len(rows)


def _addressed(message: str, to: str) -> bytes:
    return f"To: {to}\r\n".encode() + message.replace("\r\n", "\n").replace("\n", "\r\n").encode()

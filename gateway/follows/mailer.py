"""Sends composed mails, at least once: a mail is marked sent only after the
transport accepted it, and retried with exponential back-off otherwise.

Transports: SMTP (GONGSHI_SMTP_URL; STARTTLS whenever offered, and required
before credentials leave the machine) or, with no URL, a folder of .eml files
under the data directory, for a local install with no mail server."""

from __future__ import annotations

import asyncio
from pathlib import Path

from gateway.follows.digest import Composer, wall_now
from gateway.follows.store import FollowerRow, MailRow
from gateway.workers import WokenWorker, due, reload
from services.runtime import limits
from services.runtime.db import Database

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


class Postman(WokenWorker):
    """Composes due mails and sends pending ones, woken by the intake's commits."""

    failure = "follow mail round failed: %s"  # never an address: exc comes from SQL or SMTP

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
        super().__init__(retry_base=retry_base, retry_max=retry_max, poll_seconds=poll_seconds)
        self.db = db
        self.composer = composer
        self.transport = transport

    async def round(self) -> int:
        return await self.composer.compose() + await self.send_due()

    async def send_due(self, batch: int = 100) -> int:
        async with self.db.reader() as session:
            query = due(MailRow, FollowerRow.email, now=wall_now(), batch=batch)
            rows = (await session.exec(query.join(FollowerRow, FollowerRow.id == MailRow.follower_id))).all()
        if not rows:
            return 0
        mails = [(row.id, to, _addressed(row.message, to)) for row, to in rows]
        outcomes = await asyncio.to_thread(self.transport.send_many, mails)
        async with self.db.transaction("follows.sent") as session:
            stored = await reload(session, MailRow, [row.id for row, _ in rows])
            now = wall_now()
            for (row, _), error in zip(rows, outcomes, strict=True):
                mail = stored.get(row.id)
                if mail is None:  # erased meanwhile
                    continue
                mail.last_error = error[:500]
                if self.attempted(mail, ok=not error, max_attempts=limits.FOLLOW_MAIL_MAX_ATTEMPTS, now=now):
                    mail.status, mail.sent_at = "sent", now
                session.add(mail)
        return len(rows)


def _addressed(message: str, to: str) -> bytes:
    return f"To: {to}\r\n".encode() + message.replace("\r\n", "\n").replace("\n", "\r\n").encode()

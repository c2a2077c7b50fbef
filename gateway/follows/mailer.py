"""Sends composed mails, at least once: a mail is marked sent only after the
transport accepted it, and retried with exponential back-off otherwise.

Transports: SMTP (GONGSHI_SMTP_URL; STARTTLS whenever offered, and required
before credentials leave the machine) or, with no URL, a folder of .eml files
under the data directory, for a local install with no mail server."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import ipaddress
import logging
import smtplib
import ssl
from pathlib import Path
from urllib.parse import unquote, urlsplit

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


class SmtpTransport:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("GONGSHI_SMTP_URL must be smtp://[user:password@]host[:port] or smtps://…")
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 587)
        self.user = unquote(parts.username or "")
        self.password = unquote(parts.password or "")

    def describe(self) -> str:
        return f"{'smtps' if self.implicit_tls else 'smtp'}://{self.host}:{self.port}"

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.implicit_tls:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS)
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
            elif self.user and not _is_loopback(self.host):
                smtp.close()
                raise smtplib.SMTPException(
                    "the server offers no STARTTLS; credentials are not sent in clear"
                )
        if self.user:
            smtp.login(self.user, self.password)
        return smtp

    def send_many(self, mails: list[tuple[int, str, bytes]]) -> list[str]:
        """One connection for the batch; an error per mail ('' when accepted)."""
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            return [f"{type(exc).__name__}: {exc}" for _ in mails]
        outcomes = []
        try:
            for _, to, data in mails:
                try:
                    smtp.sendmail(_envelope_sender(data), [to], data)
                    outcomes.append("")
                except (OSError, smtplib.SMTPException) as exc:
                    outcomes.append(f"{type(exc).__name__}: {exc}")
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        return outcomes + ["not sent: connection lost"] * (len(mails) - len(outcomes))


def _envelope_sender(data: bytes) -> str:
    sender = email.message_from_bytes(data, policy=email.policy.default)["From"]
    return sender.addresses[0].addr_spec if sender and sender.addresses else ""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def transport_for(smtp_url: str, folder: Path):
    return SmtpTransport(smtp_url) if smtp_url else FolderTransport(folder)


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

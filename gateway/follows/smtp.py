"""Mail over SMTP (`GONGSHI_SMTP_URL`): smtp:// with STARTTLS whenever the
server offers it (and always before credentials leave the machine), or
smtps:// with TLS from the start. One connection per batch of mails."""

from __future__ import annotations

import email
import email.policy
import ipaddress
import smtplib
import ssl
from urllib.parse import unquote, urlsplit

from gateway.follows.mailer import SMTP_TIMEOUT_SECONDS


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

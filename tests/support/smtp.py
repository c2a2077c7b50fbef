"""A real SMTP server (aiosmtpd) on a free loopback port that records what it
accepts and can refuse on purpose (a temporary 451), for the follows' tests."""

from __future__ import annotations

import email
import email.policy
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from services.launcher import free_port


class MailCatcher:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.refuse_next = 0
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return "451 4.3.0 try again later"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, count: int, timeout: float = 20) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{address} got {len(self.to(address))} mails, expected {count}")

    def close(self) -> None:
        self.controller.stop()


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()

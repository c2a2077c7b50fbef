"""Settings of the gateway process: the platform's settings plus what only the
gateway needs (its small local database, webhook delivery)."""

from __future__ import annotations

from pydantic import Field

from services.runtime.settings import Settings


class GatewaySettings(Settings):
    # The gateway's own database: a copy of credentials (to recognise oversight
    # tokens) and webhook subscriptions with their delivery log. No public data.
    gateway_db_url: str = ""
    # Webhook targets on loopback or private networks are refused unless allowed
    # (tests and single-machine set-ups allow them; a public deployment should not).
    webhook_allow_private_targets: bool = False
    # Only loopback targets (127.0.0.0/8, ::1, localhost), resolved without DNS:
    # for tests and demos, so no delivery can ever leave the machine.
    webhook_loopback_only: bool = False
    webhook_retry_base_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_max_seconds: float = Field(default=3600.0, gt=0)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    # Follows by e-mail: `smtp://user:password@host:587` (STARTTLS whenever the server
    # offers it, required before credentials are sent off loopback) or `smtps://` (TLS
    # from the start). Empty: mails are written to <data_dir>/mail (a local install).
    smtp_url: str = ""
    mail_from: str = "Gongshi <noreply@gongshi.localhost>"
    # The portal's address as followers reach it, for links in mails
    # (default: http://<host>:<http_port>).
    public_url: str = ""
    follow_poll_seconds: float = Field(default=1.0, gt=0)
    follow_retry_base_seconds: float = Field(default=30.0, gt=0)
    follow_retry_max_seconds: float = Field(default=3600.0, gt=0)
    # Names this gateway's durable consumers; give each replica its own.
    gateway_name: str = Field(default="gateway", pattern=r"^[A-Za-z0-9_-]{1,40}$")

    def gateway_db(self) -> str:
        if self.gateway_db_url:
            return self.gateway_db_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'gateway.db').resolve()}"

    def portal_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.http_port}").rstrip("/")

    def mail_dir(self):
        return self.data_dir / "mail"


def load_gateway_settings() -> GatewaySettings:
    return GatewaySettings()

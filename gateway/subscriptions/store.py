"""The gateway's own tables: webhook subscriptions and their delivery log.
(The credential copy, inbox and outbox tables come from services.runtime.)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


class WebhookRow(SQLModel, table=True):
    __tablename__ = "gateway_webhooks"
    id: str = Field(primary_key=True, max_length=32)
    url: str = Field(max_length=2000)
    # HMAC key: kept as given, since signing needs it (like every webhook sender).
    secret: str = Field(max_length=100)
    domain: str = ""
    event: str = ""
    agency: str = ""
    region: str = ""
    oversight: bool = False
    host: str = Field(default="", max_length=255, index=True)
    created_at: dt.datetime
    deleted_at: dt.datetime | None = None


class DeliveryRow(SQLModel, table=True):
    __tablename__ = "gateway_webhook_deliveries"
    __table_args__ = (
        Index("ix_gateway_deliveries_due", "status", "next_attempt_at"),
        Index("ix_gateway_deliveries_webhook", "webhook_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    webhook_id: str = Field(max_length=32)
    event_id: str = Field(max_length=80)
    subject: str = Field(max_length=255)
    stream_sequence: int
    body: str = Field(sa_column=Column(Text, nullable=False))
    # pending -> delivered | failed
    status: str = Field(default="pending", max_length=12)
    attempts: int = 0
    next_attempt_at: dt.datetime
    last_attempt_at: dt.datetime | None = None
    last_status_code: int | None = None
    last_error: str = ""
    delivered_at: dt.datetime | None = None
    created_at: dt.datetime


TABLES = [WebhookRow.__table__, DeliveryRow.__table__]

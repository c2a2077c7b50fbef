"""What a durable consumer is (`Subscription`: its name, stream, filters and
handlers, one per event type or one per batch), what it receives
(`InboundEvent`), and the tables that make its effects exactly-once (the
inbox) and its failures visible (dead letters). The loop that runs one is
runtime/consumer.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from google.protobuf.message import Message
from nats.js.api import DeliverPolicy
from sqlalchemy import Column, Connection, LargeBinary
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.runtime import events as ev


class InboxRow(SQLModel, table=True):
    """Event ids a consumer has applied (its effects committed with this row)."""

    __tablename__ = "inbox"
    consumer: str = Field(primary_key=True, max_length=80)
    event_id: str = Field(primary_key=True, max_length=80)
    applied_at: dt.datetime


class DeadLetterRow(SQLModel, table=True):
    __tablename__ = "dead_letters"
    id: int | None = Field(default=None, primary_key=True)
    consumer: str = Field(max_length=80, index=True)
    event_id: str = Field(max_length=80)
    subject: str = Field(max_length=255)
    event_type: str = Field(max_length=120)
    stream_sequence: int
    deliveries: int
    error: str
    headers: str
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    dead_lettered_at: dt.datetime
    # Set by an operator (`gongshi deadletters replay`); the consumer then
    # applies the stored message again and sets replayed_at.
    replay_requested_at: dt.datetime | None = None
    replayed_at: dt.datetime | None = None


@dataclass(frozen=True)
class InboundEvent:
    subject: str
    event_id: str
    event_type: str
    headers: dict[str, str]
    stream_sequence: int
    deliveries: int


EventHandler = Callable[[AsyncSession, Message, InboundEvent], Awaitable[None]]
# New events of one fetched batch, decoded, in stream order.
BatchHandler = Callable[[AsyncSession, list[tuple[Message, InboundEvent]]], Awaitable[None]]
# The same as a unit of work: synchronous, on the unit's connection.
UnitBatchHandler = Callable[[Connection, list[tuple[Message, InboundEvent]]], None]
# What a unit handler needs from outside its transaction (another service,
# another read), fetched before the unit: it must not hold the writer waiting.
UnitPrepare = Callable[[list[InboundEvent]], Awaitable[None]]


@dataclass
class Subscription:
    """A durable consumer: its name, what it reads, and one handler per event type."""

    durable: str
    stream: str
    filter_subjects: list[str]
    handlers: dict[str, tuple[type[Message], EventHandler]] = field(default_factory=dict)
    # Where a new consumer starts; ALL rebuilds local copies from history.
    deliver_policy: DeliverPolicy = DeliverPolicy.ALL
    # Applies all the new events of a batch at once, in place of their handlers.
    batch_handler: BatchHandler | None = None
    # Or as a unit of work (db.unit), in place of both.
    unit_handler: UnitBatchHandler | None = None
    unit_prepare: UnitPrepare | None = None

    def on(self, message_type: type[Message], handler: EventHandler) -> Subscription:
        self.handlers[ev.event_type(message_type)] = (message_type, handler)
        return self

    def on_batch(self, handler: BatchHandler) -> Subscription:
        """Take the events of a fetched batch in one call (in stream order),
        for copies that read and write their rows a batch at a time. The
        handlers still name the event types taken and decode them; the batch
        handler must give the same result as applying the events one by one,
        because a failing batch is applied again one message at a time."""
        self.batch_handler = handler
        return self

    def on_batch_unit(self, handler: UnitBatchHandler, *, prepare: UnitPrepare | None = None) -> Subscription:
        """Apply every batch (and every single message) as one unit of work:
        `handler(conn, events)` in synchronous SQLAlchemy Core, with the inbox
        check and rows in the same unit. Same contract as on_batch. `prepare`
        is awaited with the batch's events first, for what the handler needs
        from outside the database's thread."""
        self.unit_handler = handler
        self.unit_prepare = prepare
        return self

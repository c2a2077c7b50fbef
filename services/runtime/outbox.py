"""Transactional outbox: an event row commits with the change it records, and a
relay publishes pending rows to JetStream, marking them sent only after the ack.

A crash anywhere only causes a re-publish under the same Nats-Msg-Id, which
JetStream drops as a duplicate within the stream's duplicate window. On
PostgreSQL several relays claim rows with FOR UPDATE SKIP LOCKED; SQLite has
one relay per database file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import json
import logging
import os
from typing import Protocol

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import Column, Index, LargeBinary, delete, func, update
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.runtime import events as ev
from services.runtime.bus import Bus
from services.runtime.clock import Clock, isoformat
from services.runtime.db import Database
from services.runtime.telemetry import extract_context, inject_headers, tracer

log = logging.getLogger(__name__)
PUBLISH_ACK_TIMEOUT_SECONDS = 10.0
# The backlog gauges are refreshed at most this often (a query per relay wake-up
# would be one per commit under load), and at least every poll interval.
BACKLOG_REFRESH_SECONDS = 1.0
_tracer = tracer(__name__)


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=40, unique=True)
    subject: str = Field(max_length=255)
    event_type: str = Field(max_length=120)
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    headers: str
    created_at: dt.datetime
    sent_at: dt.datetime | None = None


def enqueue(session: AsyncSession, event: ev.Event, *, source: str, now: dt.datetime) -> OutboxRow:
    """Add the event to the outbox in the caller's transaction.

    The current trace context is stored with the row so the relay's publish
    span (and every consumer's span) joins the trace of the write.
    """
    headers = inject_headers(
        {
            ev.HEADER_MSG_ID: event.event_id,
            ev.HEADER_EVENT_TYPE: event.type,
            ev.HEADER_SOURCE: source,
            ev.HEADER_OCCURRED_AT: isoformat(now),
            ev.HEADER_SCHEMA_VERSION: ev.SCHEMA_VERSION,
        }
    )
    row = OutboxRow(
        event_id=event.event_id,
        subject=event.subject,
        event_type=event.type,
        payload=event.message.SerializeToString(),
        headers=json.dumps(headers),
        created_at=now,
    )
    session.add(row)
    return row


class OutboxRelay:
    def __init__(
        self, db: Database, bus: Bus, clock: Clock, *, batch: int, poll_seconds: float, retention_hours: float
    ) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock
        self.batch = batch
        self.poll_seconds = poll_seconds
        self.retention = dt.timedelta(hours=retention_hours)
        self._wake = asyncio.Event()
        self._stopping = False
        self._lock_fd: int | None = None
        self.published_total = 0
        # Refreshed by the relay loop, read by the metrics gauges.
        self.last_backlog: tuple[int, dt.datetime | None] = (0, None)

    def notify(self) -> None:
        """Call after committing outbox rows: the relay publishes right away."""
        self._wake.set()

    async def run(self) -> None:
        last_prune = 0.0
        last_backlog = -BACKLOG_REFRESH_SECONDS
        loop = asyncio.get_running_loop()
        while not self._stopping:
            try:
                await self.drain()
                if loop.time() - last_prune > 60:
                    await self.prune()
                    last_prune = loop.time()
                if loop.time() - last_backlog >= BACKLOG_REFRESH_SECONDS:
                    self.last_backlog = await self.backlog()
                    last_backlog = loop.time()
            except Exception as exc:
                log.warning("outbox relay: %r; retrying", exc, exc_info=log.isEnabledFor(logging.DEBUG))
                await asyncio.sleep(0.5)
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            except TimeoutError:
                pass
            self._wake.clear()

    async def stop(self) -> None:
        """Stop looping and make one last attempt to publish what is pending."""
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(self.drain(), timeout=5)
        except Exception as exc:
            log.warning("outbox not fully flushed at shutdown (rows stay pending): %s", exc)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    async def drain(self) -> int:
        total = 0
        while True:
            published = await self.publish_batch()
            total += published
            if published < self.batch:
                return total

    def _is_active_relay(self) -> bool:
        """SQLite cannot SKIP LOCKED, so only one relay per database file may
        publish: an exclusive file lock elects it, and others stand by."""
        if self.db.sqlite_path is None or self._lock_fd is not None:
            return True
        fd = os.open(f"{self.db.sqlite_path}.relay-lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    async def publish_batch(self) -> int:
        if not self._is_active_relay():
            return 0
        if self.db.is_postgres:
            return await self._publish_claimed()
        async with self.db.reader() as session:
            rows = (await session.exec(_pending(self.batch))).all()
        if not rows:
            return 0
        acked = await self._publish(rows)
        # Urgent: marking sent must not queue behind a burst of requests, or the
        # next events wait for the whole queue before they are published.
        async with self.db.transaction("outbox.mark_sent", urgent=True) as session:
            await _mark_sent(session, acked, self.clock.now())
        _raise_if_partial(rows, acked)
        return len(rows)

    async def _publish_claimed(self) -> int:
        # The claim (row locks) lives as long as this transaction, so a second
        # replica's relay skips these rows instead of publishing them too.
        async with self.db.transaction("outbox.claim") as session:
            rows = (await session.exec(_pending(self.batch).with_for_update(skip_locked=True))).all()
            if not rows:
                return 0
            acked = await self._publish(rows)
            await _mark_sent(session, acked, self.clock.now())
        _raise_if_partial(rows, acked)
        return len(rows)

    async def _publish(self, rows: list[_Pending]) -> set[int]:
        """Publish rows with an async window of acks; return the ids JetStream acked.

        Each row gets its own PRODUCER span in the trace of the write that stored
        it (from the context stored with the row), and consumers become children
        of that span through the headers sent."""
        futures = []
        publish_async = self.bus.js.publish_async
        start_span = _tracer.start_span
        for row in rows:
            headers = json.loads(row.headers)
            parent = extract_context(headers)
            span = start_span(
                f"publish {row.subject}",
                parent,
                SpanKind.PRODUCER,
                {"messaging.system": "nats", "messaging.message.id": row.event_id},
            )
            try:
                inject_headers(headers, trace.set_span_in_context(span, parent))
                futures.append(await publish_async(row.subject, row.payload, headers=headers))
            except Exception as exc:
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"))
                raise
            finally:
                span.end()
        # Bounded wait: while NATS is away acks never come, and the rows must
        # stay pending rather than block the relay forever.
        _, late = await asyncio.wait(futures, timeout=PUBLISH_ACK_TIMEOUT_SECONDS)
        for future in late:
            future.cancel()
        acked: set[int] = set()
        for row, future in zip(rows, futures, strict=True):
            if future.cancelled() or future.exception() is not None:
                log.warning(
                    "publish of %s not acknowledged: %s",
                    row.event_id,
                    "timeout" if future.cancelled() else future.exception(),
                )
            else:
                acked.add(row.id)
        self.published_total += len(acked)
        return acked

    async def prune(self) -> int:
        """Delete published rows older than the retention window."""
        cutoff = self.clock.now() - self.retention
        async with self.db.transaction("outbox.prune") as session:
            result = await session.exec(delete(OutboxRow).where(OutboxRow.sent_at < cutoff))
        return result.rowcount or 0

    async def backlog(self) -> tuple[int, dt.datetime | None]:
        async with self.db.reader() as session:
            count, oldest = (
                await session.exec(
                    select(func.count(), func.min(OutboxRow.created_at)).where(OutboxRow.sent_at.is_(None))
                )
            ).one()
        return count, oldest


class _Pending(Protocol):
    """What the relay reads of a pending row (a plain row: no ORM object is built)."""

    id: int
    event_id: str
    subject: str
    payload: bytes
    headers: str


def _pending(limit: int):
    return (
        select(OutboxRow.id, OutboxRow.event_id, OutboxRow.subject, OutboxRow.payload, OutboxRow.headers)
        .where(OutboxRow.sent_at.is_(None))
        .order_by(OutboxRow.id)
        .limit(limit)
    )


def _raise_if_partial(rows: list[_Pending], acked: set[int]) -> None:
    if len(acked) < len(rows):
        raise RuntimeError(f"{len(rows) - len(acked)} of {len(rows)} publishes were not acknowledged")


async def _mark_sent(session: AsyncSession, acked: set[int], now: dt.datetime) -> None:
    if not acked:
        return
    await session.exec(update(OutboxRow).where(OutboxRow.id.in_(acked)).values(sent_at=now))

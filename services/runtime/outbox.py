"""Transactional outbox: an event row commits with the change it records, and a
relay publishes pending rows to JetStream, marking them sent only after the ack.

Two lanes. The hot writes hand the rows they just committed to the relay
(`publish_committed`): they are published at once, from memory, and marked
sent in one statement when JetStream acks them, so an event leaves within
milliseconds of its commit. The sweep publishes whatever is still pending in
the table: rows of the cold paths (enqueue marks their transaction and
Database.transaction wakes the relay once it commits),
rows the express lane could not publish (NATS away), and rows left by a
crash. A row being published by the express lane is skipped by this
process's sweep.

A crash anywhere only causes a re-publish under the same Nats-Msg-Id, which
JetStream drops as a duplicate within the stream's duplicate window. On
PostgreSQL several relays claim rows with FOR UPDATE SKIP LOCKED (a timer
sweep leaves rows younger than SWEEP_GRACE_SECONDS to the express lane of
the replica that wrote them); SQLite has one sweeping relay per database file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import json
import logging
import os
from typing import NamedTuple, Protocol

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import Column, Connection, Index, LargeBinary, delete, func, update
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.runtime import events as ev
from services.runtime.bus import Bus
from services.runtime.clock import Clock, isoformat
from services.runtime.db import OUTBOX_ROWS_ADDED, Database
from services.runtime.telemetry import extract_context, inject_headers, tracer

log = logging.getLogger(__name__)
PUBLISH_ACK_TIMEOUT_SECONDS = 10.0
# A sweep that nobody asked for (the poll timer) leaves rows this young to the
# express lane that is publishing them, in this process or a replica.
SWEEP_GRACE_SECONDS = 2.0
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
    session.info[OUTBOX_ROWS_ADDED] = True  # Database.transaction wakes the relay after the commit
    return row


class OutboxRelay:
    def __init__(
        self, db: Database, bus: Bus, clock: Clock, *, batch: int, poll_seconds: float, retention_hours: float
    ) -> None:
        self.db = db
        db.outbox_committed = self.notify
        self.bus = bus
        self.clock = clock
        self.batch = batch
        self.poll_seconds = poll_seconds
        self.retention = dt.timedelta(hours=retention_hours)
        self._wake = asyncio.Event()
        self._notified = False
        self._stopping = False
        self._lock_fd: int | None = None
        self.published_total = 0
        # Refreshed by the relay loop, read by the metrics gauges.
        self.last_backlog: tuple[int, dt.datetime | None] = (0, None)
        # The express lane: rows handed over at commit, their acks, then their marks.
        self._express: list[_Row] = []
        self._express_wake = asyncio.Event()
        self._marks: list[str] = []
        self._marks_wake = asyncio.Event()
        self._in_flight: set[str] = set()
        self._express_tasks: set[asyncio.Task] = set()

    def notify(self) -> None:
        """Call after committing outbox rows: the relay sweeps right away."""
        self._notified = True
        self._wake.set()

    def publish_committed(self, rows: list[dict]) -> None:
        """Publish outbox rows (as `insert_rows` stored them) that have just
        committed, without reading them back; marked sent once acked. Rows it
        cannot publish stay pending for the sweep."""
        if not rows:
            return
        if self._stopping:
            self.notify()
            return
        pending = [_Row(None, r["event_id"], r["subject"], r["payload"], r["headers"]) for r in rows]
        self._in_flight.update(r.event_id for r in pending)
        self._express.extend(pending)
        self._express_wake.set()

    async def run(self) -> None:
        lanes = [
            asyncio.create_task(self._express_lane(), name="outbox-express"),
            asyncio.create_task(self._mark_lane(), name="outbox-marks"),
        ]
        try:
            await self._sweep_loop()
        finally:
            for lane in lanes:
                lane.cancel()
            await asyncio.gather(*lanes, return_exceptions=True)

    async def _sweep_loop(self) -> None:
        last_prune = 0.0
        last_backlog = -BACKLOG_REFRESH_SECONDS
        loop = asyncio.get_running_loop()
        everything = True  # at start: whatever a crash left
        while not self._stopping:
            try:
                await self.drain(grace=not everything)
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
            everything, self._notified = self._notified, False

    async def stop(self) -> None:
        """Stop looping and make one last attempt to publish what is pending."""
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(self._finish_express(), timeout=5)
            await asyncio.wait_for(self.drain(), timeout=5)
        except Exception as exc:
            log.warning("outbox not fully flushed at shutdown (rows stay pending): %s", exc)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    async def drain(self, *, grace: bool = False) -> int:
        """Sweep until nothing (older than SWEEP_GRACE_SECONDS, with `grace`) is pending."""
        total = 0
        while True:
            published = await self.publish_batch(grace=grace)
            total += published
            if published < self.batch:
                return total

    # ------------------------------------------------------------ the express lane

    async def _express_lane(self) -> None:
        while True:
            await self._express_wake.wait()
            self._express_wake.clear()
            rows, self._express = self._express, []
            try:
                futures = await self._send(rows)
            except Exception as exc:  # NATS away: the sweep publishes them later
                log.warning("express publish failed (%r); %d events left to the sweep", exc, len(rows))
                self._in_flight.difference_update(r.event_id for r in rows)
                continue
            task = asyncio.create_task(self._collect_acks(rows, futures))
            self._express_tasks.add(task)
            task.add_done_callback(self._express_tasks.discard)

    async def _collect_acks(self, rows: list[_Row], futures: list[asyncio.Future]) -> None:
        acked = await self._acked(rows, futures)
        for row in rows:
            if row.event_id not in acked:
                self._in_flight.discard(row.event_id)  # the sweep's now
        self._marks.extend(acked)
        self._marks_wake.set()

    async def _mark_lane(self) -> None:
        while True:
            await self._marks_wake.wait()
            self._marks_wake.clear()
            await self._mark_pending()

    async def _mark_pending(self) -> None:
        marks, self._marks = self._marks, []
        if not marks:
            return
        now = self.clock.now()
        try:
            # Urgent: marks must not queue behind a burst of requests.
            await self.db.unit(
                lambda conn: _mark_sent_by_event(conn, marks, now), "outbox.mark_sent", urgent=True
            )
        except Exception as exc:  # published all the same; a sweep re-publishes, JetStream drops it
            log.warning("outbox: could not mark %d published events sent: %r", len(marks), exc)
        self._in_flight.difference_update(marks)

    async def _finish_express(self) -> None:
        """At shutdown: publish what was handed over, wait for its acks and marks."""
        if self._express:
            self._express_wake.set()
            await asyncio.sleep(0)
        while self._express or self._express_tasks:
            rows, self._express = self._express, []
            if rows:
                try:
                    await self._collect_acks(rows, await self._send(rows))
                except Exception:
                    self._in_flight.difference_update(r.event_id for r in rows)
            if self._express_tasks:
                await asyncio.gather(*self._express_tasks, return_exceptions=True)
        await self._mark_pending()
        self._in_flight.clear()

    # ------------------------------------------------------------ the sweep

    def _is_active_relay(self) -> bool:
        """SQLite cannot SKIP LOCKED, so only one relay per database file may
        sweep: an exclusive file lock elects it, and others stand by."""
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

    async def publish_batch(self, *, grace: bool = False) -> int:
        """Publish one batch of pending rows; how many rows the batch read."""
        if not self._is_active_relay():
            return 0
        query = _pending(
            self.batch, self.clock.now() - dt.timedelta(seconds=SWEEP_GRACE_SECONDS) if grace else None
        )
        if self.db.is_postgres:
            return await self._publish_claimed(query)
        async with self.db.reader() as session:
            rows = (await session.exec(query)).all()
        if not rows:
            return 0
        mine = [r for r in rows if r.event_id not in self._in_flight]
        acked = await self._acked(mine, await self._send(mine))
        # Urgent: marking sent must not queue behind a burst of requests, or the
        # next events wait for the whole queue before they are published.
        async with self.db.transaction("outbox.mark_sent", urgent=True) as session:
            await _mark_sent(session, {r.id for r in mine if r.event_id in acked}, self.clock.now())
        _raise_if_partial(mine, acked)
        return len(mine)  # rows the express lane holds are not this sweep's: not counted

    async def _publish_claimed(self, query) -> int:
        # The claim (row locks) lives as long as this transaction, so a second
        # replica's relay skips these rows instead of publishing them too.
        async with self.db.transaction("outbox.claim") as session:
            rows = (await session.exec(query.with_for_update(skip_locked=True))).all()
            if not rows:
                return 0
            mine = [r for r in rows if r.event_id not in self._in_flight]
            acked = await self._acked(mine, await self._send(mine))
            await _mark_sent(session, {r.id for r in mine if r.event_id in acked}, self.clock.now())
        _raise_if_partial(mine, acked)
        return len(mine)

    async def _send(self, rows: list[_Pending]) -> list[asyncio.Future]:
        """Publish rows with an async window of acks; the ack futures, in order.

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
                for future in futures:
                    future.cancel()
                raise
            finally:
                span.end()
        return futures

    async def _acked(self, rows: list[_Pending], futures: list[asyncio.Future]) -> set[str]:
        """The event ids JetStream acknowledged, waiting a bounded time: while
        NATS is away acks never come, and the rows must stay pending rather
        than block the relay forever."""
        if not futures:
            return set()
        _, late = await asyncio.wait(futures, timeout=PUBLISH_ACK_TIMEOUT_SECONDS)
        for future in late:
            future.cancel()
        acked: set[str] = set()
        for row, future in zip(rows, futures, strict=True):
            if future.cancelled() or future.exception() is not None:
                log.warning(
                    "publish of %s not acknowledged: %s",
                    row.event_id,
                    "timeout" if future.cancelled() else future.exception(),
                )
            else:
                acked.add(row.event_id)
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


class _Row(NamedTuple):
    id: int | None
    event_id: str
    subject: str
    payload: bytes
    headers: str


def _pending(limit: int, created_before: dt.datetime | None = None):
    query = select(OutboxRow.id, OutboxRow.event_id, OutboxRow.subject, OutboxRow.payload, OutboxRow.headers)
    query = query.where(OutboxRow.sent_at.is_(None))
    if created_before is not None:
        query = query.where(OutboxRow.created_at < created_before)
    return query.order_by(OutboxRow.id).limit(limit)


def _raise_if_partial(rows: list[_Pending], acked: set[str]) -> None:
    if len(acked) < len(rows):
        raise RuntimeError(f"{len(rows) - len(acked)} of {len(rows)} publishes were not acknowledged")


async def _mark_sent(session: AsyncSession, acked: set[int], now: dt.datetime) -> None:
    if not acked:
        return
    await session.exec(update(OutboxRow).where(OutboxRow.id.in_(acked)).values(sent_at=now))


def _mark_sent_by_event(conn: Connection, event_ids: list[str], now: dt.datetime) -> None:
    table = OutboxRow.__table__
    for start in range(0, len(event_ids), 500):
        chunk = event_ids[start : start + 500]
        conn.execute(update(table).where(table.c.event_id.in_(chunk)).values(sent_at=now))

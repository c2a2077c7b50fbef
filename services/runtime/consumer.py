"""The durable pull consumer loop, written once for every service.

Explicit ack after the effect commits; the event id is recorded in the inbox
table in the same transaction, so a redelivery applies nothing twice. A
message that keeps failing is parked: a dead-letter row plus an
EventDeadLettered event (through the outbox) that oversight can see. After a
NATS reconnect the pull subscription is made again (nats.py#504).

A fetched batch is applied in one transaction with one inbox query and one
inbox insert for all its events; a subscription may also take the whole batch
in one call (`Subscription.on_batch`), so a copy reads and writes its rows
with a statement per batch instead of a few per event. A hot copy can take it
as a unit of work (`Subscription.on_batch_unit`: synchronous SQLAlchemy Core,
db.unit): then the inbox check, the effects and the inbox rows of a batch are
one hop to the database's thread on SQLite.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext

import nats.errors
import nats.js.errors
from google.protobuf.message import DecodeError, Message
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig
from opentelemetry import trace
from sqlalchemy import Connection, insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import events_pb2
from services.runtime import events as ev
from services.runtime.bus import Bus
from services.runtime.clock import Clock, isoformat
from services.runtime.db import Database
from services.runtime.outbox import enqueue
from services.runtime.subscription import (
    DeadLetterRow,
    EventHandler,
    InboundEvent,
    InboxRow,
    Subscription,
)
from services.runtime.telemetry import extract_context, tracer

log = logging.getLogger(__name__)
_tracer = tracer(__name__)
REPLAY_CHECK_SECONDS = 2.0


class ConsumerRunner:
    def __init__(
        self,
        service: str,
        subscription: Subscription,
        db: Database,
        bus: Bus,
        clock: Clock,
        *,
        batch: int,
        max_deliver: int,
        on_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self.service = service
        self.sub = subscription
        self.db = db
        self.bus = bus
        self.clock = clock
        self.batch = batch
        self.max_deliver = max_deliver
        self.on_commit = on_commit
        self._stopping = asyncio.Event()
        self.applied = 0
        self.redelivered = 0
        self.dead_lettered = 0
        # Messages still waiting in the stream for this consumer, as last seen.
        self.lag = 0

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        psub, generation = None, -1
        loop = asyncio.get_running_loop()
        next_replay_check = 0.0
        while not self._stopping.is_set():
            try:
                if loop.time() >= next_replay_check:
                    next_replay_check = loop.time() + REPLAY_CHECK_SECONDS
                    await self.replay_requested()
                if psub is None or generation != self.bus.generation:
                    generation = self.bus.generation
                    psub = await self._subscribe()
                try:
                    msgs = await psub.fetch(self.batch, timeout=1)
                except (TimeoutError, nats.errors.TimeoutError):
                    continue  # nothing yet (nats.py#418)
                if not self._stopping.is_set():  # else unacked: redelivered to whoever runs next
                    await self.handle_batch(msgs)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("consumer %s: %s; re-subscribing", self.sub.durable, exc)
                psub = None
                await asyncio.sleep(0.5)

    async def _subscribe(self):
        config = ConsumerConfig(
            durable_name=self.sub.durable,
            name=self.sub.durable,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=30,
            # Redelivery is bounded by this loop (it dead-letters), not by the server.
            max_deliver=-1,
            filter_subjects=self.sub.filter_subjects,
            deliver_policy=self.sub.deliver_policy,
            max_ack_pending=self.batch * 4,
        )
        await self.bus.js.add_consumer(self.sub.stream, config=config)
        return await self.bus.js.pull_subscribe_bind(durable=self.sub.durable, stream=self.sub.stream)

    def _inbound(self, msg: Msg) -> InboundEvent:
        meta = msg.metadata
        self.lag = meta.num_pending
        headers = dict(msg.headers or {})
        return InboundEvent(
            subject=msg.subject,
            event_id=headers.get(ev.HEADER_MSG_ID) or f"seq-{meta.sequence.stream}",
            event_type=headers.get(ev.HEADER_EVENT_TYPE, ""),
            headers=headers,
            stream_sequence=meta.sequence.stream,
            deliveries=meta.num_delivered,
        )

    def _span_args(self, inbound: InboundEvent) -> dict:
        return {
            "name": f"consume {inbound.subject}",
            "context": extract_context(inbound.headers),
            "kind": trace.SpanKind.CONSUMER,
            "attributes": {
                "messaging.consumer.group.name": self.sub.durable,
                "messaging.message.id": inbound.event_id,
            },
        }

    def _span(self, inbound: InboundEvent):
        return _tracer.start_as_current_span(**self._span_args(inbound))

    @contextmanager
    def _spans(self, inbounds: list[InboundEvent]) -> Iterator[None]:
        """One consume span per event (each a child of its publish) around a
        batch handler's call."""
        spans = [_tracer.start_span(**self._span_args(inbound)) for inbound in inbounds]
        try:
            yield
        except BaseException as exc:
            for span in spans:
                span.record_exception(exc)
                span.set_status(trace.Status(trace.StatusCode.ERROR, str(exc)))
            raise
        finally:
            for span in spans:
                span.end()

    async def handle_batch(self, msgs: list[Msg]) -> None:
        """Apply a fetched batch in one transaction: one commit (and one disk
        sync) for the batch instead of one per event. If any message fails,
        the batch rolls back and each message is applied on its own, so the
        failure is isolated, redelivered and, if it persists, dead-lettered."""
        if len(msgs) == 1:
            await self.handle(msgs[0])
            return
        items = [(msg, self._inbound(msg)) for msg in msgs]
        try:
            if self.sub.unit_handler is not None:
                payloads = [(msg.data, inbound) for msg, inbound in items]
                if self.sub.unit_prepare is not None:
                    await self.sub.unit_prepare([inbound for _, inbound in items])
                applied = await self.db.unit(
                    lambda conn: self._apply_unit(conn, payloads), f"consume.{self.sub.durable}.batch"
                )
            else:
                async with self.db.transaction(f"consume.{self.sub.durable}.batch") as session:
                    applied = await self._apply_in(session, [(msg.data, inbound) for msg, inbound in items])
        except Exception as exc:
            log.info(
                "consumer %s: batch of %d rolled back (%s); applying one by one",
                self.sub.durable,
                len(msgs),
                exc,
            )
            for msg in msgs:
                await self.handle(msg)
            return
        await asyncio.gather(*(msg.ack() for msg, _ in items))
        self.applied += applied
        if applied:
            self.on_commit()

    async def handle(self, msg: Msg) -> None:
        inbound = self._inbound(msg)
        with self._span(inbound):
            try:
                applied = await self._apply(msg.data, inbound, spans=False)
            except Exception as exc:
                await self._failed(msg, inbound, exc)
                return
            await msg.ack()
            if applied:
                self.applied += 1
                self.on_commit()

    async def _apply(self, data: bytes, inbound: InboundEvent, *, spans: bool = True) -> bool:
        if self.sub.unit_handler is not None:
            if self.sub.unit_prepare is not None:
                await self.sub.unit_prepare([inbound])
            applied = await self.db.unit(
                lambda conn: self._apply_unit(conn, [(data, inbound)], spans=spans),
                f"consume.{self.sub.durable}",
            )
            return applied > 0
        async with self.db.transaction(f"consume.{self.sub.durable}") as session:
            return await self._apply_in(session, [(data, inbound)], spans=spans) > 0

    def _apply_unit(
        self, conn: Connection, items: Sequence[tuple[bytes, InboundEvent]], *, spans: bool = True
    ) -> int:
        """`_apply_in` as a unit of work (on_batch_unit), in the unit's thread."""
        assert self.sub.unit_handler is not None
        inbox = InboxRow.__table__
        ids = {inbound.event_id for _, inbound in items}
        query = select(inbox.c.event_id).where(
            inbox.c.consumer == self.sub.durable, inbox.c.event_id.in_(ids)
        )
        seen = set(conn.execute(query).scalars())
        new, routed = self._new_and_routed(items, seen)
        if not new:
            return 0
        if routed:
            with self._spans([inbound for _, inbound, _ in routed]) if spans else nullcontext():
                self.sub.unit_handler(conn, [(message, inbound) for message, inbound, _ in routed])
        conn.execute(insert(inbox), self._inbox_rows(new))
        return len(new)

    def _new_and_routed(self, items, seen: set[str]):
        """The events not applied yet (in order, each once), and those of them this consumer takes."""
        new: list[InboundEvent] = []
        routed: list[tuple[Message, InboundEvent, EventHandler]] = []
        for data, inbound in items:
            if inbound.event_id in seen:
                continue  # applied before, or earlier in this batch
            seen.add(inbound.event_id)
            new.append(inbound)
            route = self.sub.handlers.get(inbound.event_type)
            if route is not None:  # else not a type this consumer takes: only recorded
                routed.append((_decode(route[0], data, inbound), inbound, route[1]))
        return new, routed

    def _inbox_rows(self, new: list[InboundEvent]) -> list[dict]:
        now = self.clock.now()
        return [
            {"consumer": self.sub.durable, "event_id": inbound.event_id, "applied_at": now} for inbound in new
        ]

    async def _apply_in(
        self, session: AsyncSession, items: Sequence[tuple[bytes, InboundEvent]], *, spans: bool = True
    ) -> int:
        """The effects of the events not applied yet plus their inbox rows, in
        the caller's transaction: one inbox query and one inbox insert for all
        of them (no flush per event). Returns how many were new."""
        seen = await self._applied_already(session, [inbound.event_id for _, inbound in items])
        new, routed = self._new_and_routed(items, seen)
        if not new:
            return 0
        if routed and self.sub.batch_handler is not None:
            with self._spans([inbound for _, inbound, _ in routed]) if spans else nullcontext():
                await self.sub.batch_handler(session, [(message, inbound) for message, inbound, _ in routed])
        else:
            for message, inbound, handler in routed:
                with self._span(inbound) if spans else nullcontext():
                    await handler(session, message, inbound)
        await (await session.connection()).execute(insert(InboxRow.__table__), self._inbox_rows(new))
        return len(new)

    async def _applied_already(self, session: AsyncSession, event_ids: list[str]) -> set[str]:
        query = select(InboxRow.event_id).where(
            InboxRow.consumer == self.sub.durable, InboxRow.event_id.in_(set(event_ids))
        )
        return set((await session.exec(query)).all())

    async def replay_requested(self) -> int:
        """Apply again the dead letters an operator asked to replay.

        The inbox still guards the effect: a replay of something applied in
        the meantime changes nothing.
        """
        query = select(DeadLetterRow).where(
            DeadLetterRow.consumer == self.sub.durable,
            DeadLetterRow.replay_requested_at.is_not(None),
            DeadLetterRow.replayed_at.is_(None),
        )
        async with self.db.reader() as session:
            rows = (await session.exec(query)).all()
        replayed = 0
        for row in rows:
            inbound = InboundEvent(
                subject=row.subject,
                event_id=row.event_id,
                event_type=row.event_type,
                headers=json.loads(row.headers),
                stream_sequence=row.stream_sequence,
                deliveries=row.deliveries,
            )
            try:
                await self._apply(row.payload, inbound)
                row.replayed_at = self.clock.now()
                replayed += 1
            except Exception as exc:
                log.error("consumer %s: replay of %s failed again: %s", self.sub.durable, row.event_id, exc)
                row.error, row.replay_requested_at = f"replay failed: {exc}"[:2000], None
            async with self.db.transaction("consume.replay_mark") as session:
                session.add(row)
        if replayed:
            self.on_commit()
        return replayed

    async def _failed(self, msg: Msg, inbound: InboundEvent, exc: Exception) -> None:
        if isinstance(exc, PoisonMessage) or inbound.deliveries >= self.max_deliver:
            log.error(
                "consumer %s: dead-lettering %s after %d deliveries: %s",
                self.sub.durable,
                inbound.event_id,
                inbound.deliveries,
                exc,
            )
            await self._dead_letter(msg, inbound, exc)
            await msg.term()
            self.dead_lettered += 1
            self.on_commit()
            return
        self.redelivered += 1
        log.warning(
            "consumer %s: %s failed (delivery %d): %s",
            self.sub.durable,
            inbound.event_id,
            inbound.deliveries,
            exc,
        )
        await msg.nak(delay=min(0.2 * 2 ** (inbound.deliveries - 1), 10.0))

    async def _dead_letter(self, msg: Msg, inbound: InboundEvent, exc: Exception) -> None:
        now = self.clock.now()
        async with self.db.transaction("consume.dead_letter") as session:
            session.add(
                DeadLetterRow(
                    consumer=self.sub.durable,
                    event_id=inbound.event_id,
                    subject=inbound.subject,
                    event_type=inbound.event_type,
                    stream_sequence=inbound.stream_sequence,
                    deliveries=inbound.deliveries,
                    error=str(exc)[:2000],
                    headers=json.dumps(inbound.headers, ensure_ascii=False),
                    payload=msg.data,
                    dead_lettered_at=now,
                )
            )
            notice = events_pb2.EventDeadLettered(
                service=self.service,
                consumer=self.sub.durable,
                subject=inbound.subject,
                event_id=inbound.event_id,
                event_type=inbound.event_type,
                error=str(exc)[:500],
                deliveries=inbound.deliveries,
                stream_sequence=inbound.stream_sequence,
                dead_lettered_at=isoformat(now),
            )
            enqueue(
                session,
                ev.Event(ev.subject("deadletter", self.service, self.sub.durable), notice),
                source=self.service,
                now=now,
            )


def _decode(message_type: type[Message], data: bytes, inbound: InboundEvent) -> Message:
    message = message_type()
    try:
        message.ParseFromString(data)
    except DecodeError as exc:
        raise PoisonMessage(f"undecodable {inbound.event_type}: {exc}") from exc
    return message


class PoisonMessage(Exception):
    """A message no retry can fix (it does not decode): dead-letter at once."""

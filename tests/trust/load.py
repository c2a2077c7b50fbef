"""Load and bookkeeping for the fault tests.

`Pusher` pushes decisions the way an agency system would: BulkPublish batches,
some single PublishDecision calls, retrying a call on UNAVAILABLE (pushes are
idempotent by document number). Only what the service acknowledged goes into
the `Ledger`; `Tally` then counts what was stored, published and applied.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import grpc
import httpx
import nats
from google.protobuf import json_format
from sqlalchemy import text

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from services.runtime.db import Database
from tests.support.decisions import penalty
from tests.support.platform import auth

log = logging.getLogger(__name__)

# CANCELLED too: a call in flight when a service is stopped (SIGTERM) can end so (seen
# in a clean-clone run of test_graceful); it was never acknowledged, so an agency's
# client retries it, with the same document number: stored once whatever happened.
RETRYABLE = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.CANCELLED}
CHANNEL_OPTIONS = [
    # A restarted service is back within seconds: do not let gRPC back off for minutes.
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.min_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 500),
]


@dataclass
class Ledger:
    """What the platform acknowledged: document number -> result id."""

    acked: dict[str, str] = field(default_factory=dict)
    # A document acknowledged under two different ids would be a doubled record.
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)
    retries: int = 0
    calls: int = 0
    # Every error code the clients saw (a graceful stop must show only retryable ones).
    codes: Counter = field(default_factory=Counter)

    def ack(self, document_number: str, result_id: str) -> None:
        known = self.acked.setdefault(document_number, result_id)
        if known != result_id:
            self.conflicts.append((document_number, known, result_id))

    def __len__(self) -> int:
        return len(self.acked)


def document_numbers(prefix: str, count: int) -> list[str]:
    return [f"{prefix}〔2026〕{i}号" for i in range(count)]


class Pusher:
    """Pushes every document to one of `addresses`, retrying until acknowledged."""

    def __init__(
        self,
        addresses: Sequence[str],
        token: str,
        ledger: Ledger,
        *,
        batch: int = 200,
        singles_every: int = 5,
        single_concurrency: int = 8,
        gateway: str = "",
        gateway_every: int = 7,
    ) -> None:
        self.addresses = list(addresses)
        self.token = token
        self.ledger = ledger
        self.batch = batch
        self.singles_every = singles_every
        self.single_concurrency = single_concurrency
        # The agency REST API of the gateway (POST /api/v1/agency/results) takes every
        # gateway_every-th batch, one decision per request.
        self.gateway = gateway
        self.gateway_every = gateway_every
        self.via_gateway = 0
        self._http: httpx.AsyncClient | None = None
        self._next_address = itertools.cycle(range(len(self.addresses)))
        self._stubs: list[results_pb2_grpc.ResultsServiceStub] = []
        self._channels: list[grpc.aio.Channel] = []

    async def __aenter__(self) -> Pusher:
        for address in self.addresses:
            channel = grpc.aio.insecure_channel(address, options=CHANNEL_OPTIONS)
            self._channels.append(channel)
            self._stubs.append(results_pb2_grpc.ResultsServiceStub(channel))
        if self.gateway:
            self._http = httpx.AsyncClient(base_url=self.gateway, timeout=30)
        return self

    async def __aexit__(self, *exc) -> None:
        for channel in self._channels:
            await channel.close()
        if self._http is not None:
            await self._http.aclose()

    def _stub(self) -> results_pb2_grpc.ResultsServiceStub:
        return self._stubs[next(self._next_address)]

    async def push(self, documents: Iterable[str], *, deadline: float) -> None:
        documents = list(documents)
        for n, start in enumerate(range(0, len(documents), self.batch)):
            chunk = documents[start : start + self.batch]
            if self._http is not None and n % self.gateway_every == self.gateway_every - 1:
                await self._singles(chunk, deadline, self._over_http)
            elif self.singles_every and n % self.singles_every == self.singles_every - 1:
                await self._singles(chunk, deadline, self._single)
            else:
                await self._retry(lambda chunk=chunk: self._bulk(chunk), deadline)

    async def _bulk(self, chunk: list[str]) -> None:
        async def requests():
            for number in chunk:
                yield pb.PublishDecisionRequest(decision=penalty(number))

        reply = await self._stub().BulkPublish(requests(), metadata=auth(self.token), timeout=60)
        for outcome in reply.outcomes:
            if not outcome.accepted:
                raise AssertionError(f"refused {chunk[outcome.index]}: {list(outcome.errors)}")
            self.ledger.ack(chunk[outcome.index], outcome.id)

    async def _single(self, number: str) -> None:
        reply = await self._stub().PublishDecision(
            pb.PublishDecisionRequest(decision=penalty(number)), metadata=auth(self.token), timeout=20
        )
        self.ledger.ack(number, reply.result.id)

    async def _over_http(self, number: str) -> None:
        body = json_format.MessageToDict(penalty(number))
        try:
            response = await self._http.post(
                "/api/v1/agency/results", json=body, headers={"authorization": f"Bearer {self.token}"}
            )
        except httpx.TransportError as exc:
            raise _Retry(str(exc)) from exc
        if response.status_code in (502, 503, 504):
            raise _Retry(response.text)
        assert response.status_code in (200, 201), response.text
        self.ledger.ack(number, response.json()["result"]["id"])
        self.via_gateway += 1

    async def _singles(self, chunk: list[str], deadline: float, send) -> None:
        gate = asyncio.Semaphore(self.single_concurrency)

        async def one(number: str) -> None:
            async with gate:
                await self._retry(lambda: send(number), deadline)

        await asyncio.gather(*(one(number) for number in chunk))

    async def _retry(self, call, deadline: float) -> None:
        while True:
            self.ledger.calls += 1
            try:
                return await call()
            except (grpc.aio.AioRpcError, _Retry) as exc:
                self.ledger.codes["HTTP" if isinstance(exc, _Retry) else exc.code().name] += 1
                retryable = isinstance(exc, _Retry) or exc.code() in RETRYABLE
                if not retryable or time.monotonic() > deadline:
                    raise
                self.ledger.retries += 1
                await asyncio.sleep(0.2)


class _Retry(Exception):
    """The gateway answered 502/503/504 or the connection failed: try again."""


async def until(predicate, *, within: float, interval: float = 0.2, what: str = "condition") -> None:
    deadline = time.monotonic() + within
    while not await predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:.0f}s waiting for {what}")
        await asyncio.sleep(interval)


# -- counting what happened --------------------------------------------------


async def scalar(db_url: str, sql: str, **params):
    db = Database(db_url)
    try:
        async with db.engine.connect() as conn:
            return (await conn.execute(text(sql), params)).scalar()
    finally:
        await db.dispose()


async def rows(db_url: str, sql: str, **params) -> list[tuple]:
    db = Database(db_url)
    try:
        async with db.engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(sql), params)).all()]
    finally:
        await db.dispose()


async def pending_outbox(db_url: str) -> int:
    return await scalar(db_url, "SELECT count(*) FROM outbox WHERE sent_at IS NULL")


async def stream_messages(nats_url: str, subject: str, **connect) -> list:
    """Every message on `subject` in the stream, read with an ordered consumer."""
    nc = await nats.connect(nats_url, **connect)
    try:
        js = nc.jetstream()
        info = await js.stream_info("GONGSHI")
        sub = await js.subscribe(subject, ordered_consumer=True)
        received = []
        last = info.state.last_seq
        while True:
            try:
                msg = await sub.next_msg(timeout=2)
            except nats.errors.TimeoutError:
                break
            received.append(msg)
            if msg.metadata.sequence.stream >= last:
                break
        await sub.unsubscribe()
        return received
    finally:
        await nc.close()


@dataclass
class Tally:
    """Acknowledged vs stored vs published vs applied, and what went wrong."""

    acknowledged: int
    stored: int
    stored_lost: int
    stored_doubled: int
    published_lost: int
    published_doubled: int
    applied_lost: int
    applied_doubled: int
    outbox_pending: int
    conflicts: int

    @property
    def lost(self) -> int:
        return self.stored_lost + self.published_lost + self.applied_lost

    @property
    def duplicates(self) -> int:
        return self.stored_doubled + self.published_doubled + self.applied_doubled + self.conflicts

    def line(self, name: str) -> str:
        return (
            f"[{name}] writes acknowledged={self.acknowledged} stored={self.stored} lost={self.lost} "
            f"(store {self.stored_lost}, stream {self.published_lost}, consumer {self.applied_lost}) "
            f"duplicates={self.duplicates} (store {self.stored_doubled}, stream {self.published_doubled}, "
            f"consumer {self.applied_doubled}, ids {self.conflicts}) outbox pending={self.outbox_pending}"
        )


def count_doubles(values: Iterable[str]) -> int:
    return sum(n - 1 for n in Counter(values).values() if n > 1)


async def tally(
    ledger: Ledger, *, agency: str, results_db: str, stream_events: list, effects: list[tuple[str, str]]
) -> Tally:
    """`stream_events` are ResultPublished messages; `effects` (event id, result id) rows."""
    stored = await rows(
        results_db, "SELECT document_number, id FROM results WHERE agency_code = :code", code=agency
    )
    stored_ids = {doc: rid for doc, rid in stored}
    acked_ids = set(ledger.acked.values())
    published = [pb.ResultPublished.FromString(m.data).result.id for m in stream_events]
    msg_ids = [m.headers.get("Nats-Msg-Id") for m in stream_events]
    applied_events = [event_id for event_id, _ in effects]
    applied_results = [result_id for _, result_id in effects]
    return Tally(
        acknowledged=len(ledger),
        stored=len(stored),
        stored_lost=sum(stored_ids.get(doc) != rid for doc, rid in ledger.acked.items()),
        stored_doubled=len(stored) - len(stored_ids),
        published_lost=len(acked_ids - set(published)),
        published_doubled=max(count_doubles(published), count_doubles(msg_ids)),
        applied_lost=len(acked_ids - set(applied_results)),
        applied_doubled=max(count_doubles(applied_events), count_doubles(applied_results)),
        outbox_pending=await pending_outbox(results_db),
        conflicts=len(ledger.conflicts),
    )

"""ingest_stream / ingest_unary: decisions into the results service over gRPC.

ingest_stream is end to end: 4 concurrent BulkPublish client streams of up to
1000 decisions each (the shape of bare_grpc_stream; a stream is cut short when
the run's seconds are up), every one validated, masked,
stored with its outbox row, published to JetStream by the outbox relay, and
applied by every durable consumer of gongshi.results.published.> — the bench
runs one, bench/apps/results_consumer.py, through the platform's own consumer
loop; a service of the platform that subscribes is waited for too. The clock
stops when the last event is applied; the figure is decisions/s.

ingest_unary: single PublishDecision calls, 64 in flight (the shape of
bare_grpc_unary); each answer means the decision is committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import grpc
import nats

from bench.harness import Benchmark, Extra, Measurement, RunContext, register
from bench.load import closed_loop
from bench.platform._decisions import AGENCIES, decision
from bench.platform._platform import BenchPlatform, auth, running_platform
from bench.platform._stream import published_count, wait_applied
from bench.servers import free_port, python_module, spawn
from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from services.runtime import limits

STREAMS_IN_FLIGHT = 4  # as bare_grpc_stream
ITEMS_PER_STREAM = 1000
ITEMS_PER_STREAM_QUICK = 250
UNARY_IN_FLIGHT = 64  # as bare_grpc_unary
CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", limits.MAX_GRPC_MESSAGE_BYTES),
    ("grpc.max_send_message_length", limits.MAX_GRPC_MESSAGE_BYTES),
]
_runs = itertools.count(1)


@dataclass
class IngestFixture:
    platform: BenchPlatform
    tokens: dict[str, str] = field(default_factory=dict)  # agency code -> credential


@contextlib.contextmanager
def ingest_platform(ctx: RunContext, agencies: int, consumer: bool) -> Iterator[IngestFixture]:
    with running_platform(ctx.data_dir / "platform") as platform:
        fixture = IngestFixture(platform)
        for agency in AGENCIES[:agencies]:
            fixture.tokens[agency.code] = platform.register_agency(agency)
        if not consumer:
            yield fixture
            return
        port = free_port()
        argv = python_module(
            "bench.apps.results_consumer",
            "--nats", platform.nats_url,
            "--db", str(ctx.data_dir / "platform" / "bench-consumer.db"),
            "--port", str(port),
        )  # fmt: skip
        # It stands in for the feedback service's copy of results, so it logs in as feedback.
        env = platform.nats_login("feedback")
        with spawn("bench-results-consumer", argv, port, env=env, ready_timeout=60):
            yield fixture


@contextlib.contextmanager
def stream_fixture(ctx: RunContext) -> Iterator[IngestFixture]:
    with ingest_platform(ctx, STREAMS_IN_FLIGHT, consumer=True) as fixture:
        yield fixture


@contextlib.contextmanager
def unary_fixture(ctx: RunContext) -> Iterator[IngestFixture]:
    with ingest_platform(ctx, 1, consumer=False) as fixture:
        yield fixture


async def run_stream(ctx: RunContext) -> Measurement:
    fixture: IngestFixture = ctx.fixture
    per_stream = ITEMS_PER_STREAM_QUICK if ctx.quick else ITEMS_PER_STREAM
    run = next(_runs)
    nc = await nats.connect(fixture.platform.nats_url)
    try:
        js = nc.jetstream()
        before = await published_count(js)
        async with grpc.aio.insecure_channel(
            fixture.platform.grpc_addr("results"), options=CHANNEL_OPTIONS
        ) as channel:
            stub = results_pb2_grpc.ResultsServiceStub(channel)
            await channel.channel_ready()
            batches = itertools.count()
            created = 0

            async def one_stream(agency_index: int, deadline: float) -> None:
                # Each stream is one agency's system pushing a batch of its decisions; it
                # ends early when the run's time is up, so a slow platform cannot stretch a run.
                nonlocal created
                agency = AGENCIES[agency_index]
                batch = next(batches)
                requests = [
                    pb.PublishDecisionRequest(
                        agency_code=agency.code,
                        decision=decision(n, agency=agency, prefix=f"R{run}B{batch}-"),
                    )
                    for n in range(per_stream)
                ]
                reply = await stub.BulkPublish(
                    _until(requests, deadline), metadata=auth(fixture.tokens[agency.code]), timeout=600
                )
                if reply.refused:
                    errors = [list(o.errors) for o in reply.outcomes if not o.accepted][:3]
                    raise RuntimeError(f"{reply.refused} decisions refused, e.g. {errors}")
                created += sum(1 for o in reply.outcomes if o.accepted and not o.duplicate)

            async def worker(agency_index: int, deadline: float) -> None:
                while time.perf_counter() < deadline:
                    await one_stream(agency_index, deadline)

            start = time.perf_counter()
            deadline = start + ctx.seconds
            await asyncio.gather(*(worker(i, deadline) for i in range(STREAMS_IN_FLIGHT)))
            committed_at = time.perf_counter()
        applied_at, _ = await wait_applied(js, before + created)
        return Measurement(
            created / (applied_at - start), {"ingest_stream_committed": created / (committed_at - start)}
        )
    finally:
        await nc.close()


async def _until(requests: list, deadline: float):
    """The requests, as the channel pulls them, until ``deadline`` (at least one)."""
    for i, request in enumerate(requests):
        if i and time.perf_counter() >= deadline:
            return
        yield request


async def run_unary(ctx: RunContext) -> float:
    fixture: IngestFixture = ctx.fixture
    agency = AGENCIES[0]
    token = fixture.tokens[agency.code]
    run = next(_runs)
    numbers = itertools.count()
    async with grpc.aio.insecure_channel(
        fixture.platform.grpc_addr("results"), options=CHANNEL_OPTIONS
    ) as channel:
        stub = results_pb2_grpc.ResultsServiceStub(channel)
        await channel.channel_ready()
        metadata = auth(token)

        async def publish_one() -> None:
            request = pb.PublishDecisionRequest(
                agency_code=agency.code, decision=decision(next(numbers), agency=agency, prefix=f"U{run}-")
            )
            reply = await stub.PublishDecision(request, metadata=metadata, timeout=60)
            if not reply.created:
                raise RuntimeError(f"{request.decision.document_number} was not created")

        return await closed_loop(publish_one, UNARY_IN_FLIGHT, ctx.seconds)


register(
    Benchmark(
        key="ingest_stream",
        unit="items/s",
        run=run_stream,
        fixture=stream_fixture,
        reference_key="bare_grpc_stream",
        target=">= 0.25x bare (aim 0.5x)",
        target_ratio=0.25,
        description=(
            f"end to end: {STREAMS_IN_FLIGHT} concurrent ResultsService.BulkPublish streams of up to "
            f"{ITEMS_PER_STREAM} decisions (~550 B each, one agency per stream) for the run's seconds, "
            "each validated, masked, stored with outbox row, published by the relay and applied by every "
            "durable consumer of gongshi.results.published.> (bench/apps/results_consumer.py and any "
            "service that subscribes); clock stops when the last event is acked"
        ),
        extras=(
            Extra(
                "ingest_stream_committed",
                "items/s",
                reference_key="bare_grpc_stream",
                description=(
                    "the same runs counted only until the last BulkPublish reply (every decision "
                    "committed, events not necessarily published or applied yet)"
                ),
            ),
        ),
    )
)
register(
    Benchmark(
        key="ingest_unary",
        unit="req/s",
        run=run_unary,
        fixture=unary_fixture,
        reference_key="bare_grpc_unary",
        target=">= 0.4x bare",
        target_ratio=0.4,
        description=(
            f"ResultsService.PublishDecision, one decision (~550 B) per call, {UNARY_IN_FLIGHT} calls in "
            "flight; each reply means the decision, its outbox row and audit entry are committed"
        ),
    )
)

"""event_latency: from a decision's commit to a subscriber holding its event,
with decisions arriving at 1,000 per second.

The bench offers PublishDecision calls paced at 1,000/s (four agencies in turn,
at most 256 in flight), and a JetStream durable pull consumer on
gongshi.results.published.> (what an oversight body would run, logged in as
the oversight user of deploy/nats/auth.conf) fetches and acks. Latency is
receipt minus the event's Gongshi-Occurred-At header (the service's clock when
it took the write, milliseconds; same machine, so one clock): it covers the
transaction, the outbox relay's publish and delivery.
Extras: the p50, the rate of decisions actually committed (when the platform
cannot keep up, the offered 1,000/s is not reached and latency grows with the
backlog), and the p99 counted from the moment the client got its reply (the
commit is done by then), which leaves out the time spent queueing for the write.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import time
from collections.abc import Iterator

import grpc
import nats
import nats.js.errors

from bench.bare.nats_latency import paced
from bench.harness import Benchmark, Extra, Measurement, RunContext, register
from bench.platform._decisions import AGENCIES, decision
from bench.platform._platform import auth
from bench.platform._queries import percentile
from bench.platform.ingest import CHANNEL_OPTIONS, IngestFixture, ingest_platform
from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from services.runtime import events as ev
from services.runtime.bus import PUBLIC_STREAM

RATE = 1000
LOW_RATE = 200  # a busy province's peak, well within one process's capacity
OVERSIGHT_DURABLE = "oversight_results"
IN_FLIGHT = 256
AGENCY_COUNT = 4
TARGET_P99_MS = 50.0
PUBLISHED_TYPE = ev.event_type(pb.ResultPublished)
_runs = itertools.count(1)


@contextlib.contextmanager
def latency_platform(ctx: RunContext) -> Iterator[IngestFixture]:
    with ingest_platform(ctx, AGENCY_COUNT, consumer=False) as fixture:
        yield fixture


def _run_at(rate: int, key: str):
    """The benchmark's run with decisions offered at `rate` per second; extras named after `key`."""

    async def run(ctx: RunContext) -> Measurement:
        return await _run(ctx, rate, key)

    return run


async def _run(ctx: RunContext, rate: int, key: str) -> Measurement:
    fixture: IngestFixture = ctx.fixture
    run_no = next(_runs)
    # The subscriber is an oversight body: its own NATS user, inbox prefix and durable name.
    login = fixture.platform.oversight()
    nc = await nats.connect(
        servers=login["servers"],
        user=login["user"],
        password=login["password"],
        inbox_prefix=login["inbox_prefix"],
    )
    occurred: list[float] = []
    after_reply: list[float] = []
    call_ms: list[float] = []
    replied_at: dict[str, float] = {}  # document number -> wall clock of the reply
    received_at: dict[str, float] = {}
    try:
        js = nc.jetstream()
        # Oversight binds to the pull consumer the platform made for it (it may not create
        # consumers: docs/events.md); earlier runs acked everything they received.
        sub = await js.pull_subscribe_bind(durable=OVERSIGHT_DURABLE, stream=PUBLIC_STREAM)
        created = 0
        sending = True

        async def receive() -> None:
            while sending or len(received_at) < created:
                with contextlib.suppress(TimeoutError, nats.errors.TimeoutError):
                    for msg in await sub.fetch(256, timeout=0.5):
                        now = time.time()
                        await msg.ack()
                        if (msg.headers or {}).get(ev.HEADER_EVENT_TYPE) != PUBLISHED_TYPE:
                            continue  # the durable takes every results event
                        stamp = dt.datetime.fromisoformat(msg.headers[ev.HEADER_OCCURRED_AT]).timestamp()
                        occurred.append((now - stamp) * 1000)
                        number = pb.ResultPublished.FromString(msg.data).result.document_number
                        received_at[number] = now

        async with grpc.aio.insecure_channel(
            fixture.platform.grpc_addr("results"), options=CHANNEL_OPTIONS
        ) as channel:
            stub = results_pb2_grpc.ResultsServiceStub(channel)
            await channel.channel_ready()
            receiver = asyncio.create_task(receive())
            window = asyncio.Semaphore(IN_FLIGHT)
            pending: set[asyncio.Task] = set()

            async def publish(i: int) -> None:
                await window.acquire()
                agency = AGENCIES[i % AGENCY_COUNT]

                async def one() -> None:
                    nonlocal created
                    try:
                        request = pb.PublishDecisionRequest(
                            agency_code=agency.code, decision=decision(i, agency=agency, prefix=f"L{run_no}-")
                        )
                        sent = time.time()
                        reply = await stub.PublishDecision(
                            request, metadata=auth(fixture.tokens[agency.code]), timeout=120
                        )
                        replied_at[request.decision.document_number] = time.time()
                        call_ms.append((replied_at[request.decision.document_number] - sent) * 1000)
                        created += reply.created
                    finally:
                        window.release()

                task = asyncio.create_task(one())
                pending.add(task)
                task.add_done_callback(pending.discard)

            _, _ = await paced(rate, ctx.seconds, publish)
            await asyncio.gather(*pending)
            sending = False
            await asyncio.wait_for(receiver, timeout=300)
    finally:
        await nc.close()
    first, last = min(replied_at.values()), max(replied_at.values())
    committed_rate = len(replied_at) / max(last - first, 1e-9) if len(replied_at) > 1 else 0.0
    for number, at in received_at.items():
        if number in replied_at:
            after_reply.append((at - replied_at[number]) * 1000)
    return Measurement(
        percentile(occurred, 99),
        {
            f"{key}_p50": percentile(occurred, 50),
            f"{key}_rate": committed_rate,
            f"{key}_after_reply_p99": percentile(after_reply, 99),
            f"{key}_after_reply_p50": percentile(after_reply, 50),
            f"{key}_call_p50": percentile(call_ms, 50),
        },
    )


def _benchmark(key: str, rate: int) -> Benchmark:
    return Benchmark(
        key=key,
        unit="ms",
        run=_run_at(rate, key),
        fixture=latency_platform,
        reference_key="bare_nats_latency",
        higher_is_better=False,
        target=f"p99 <= {TARGET_P99_MS:g} ms at {rate:,} events/s",
        target_value=TARGET_P99_MS,
        description=(
            f"PublishDecision offered at {rate:,}/s ({AGENCY_COUNT} agencies, <= {IN_FLIGHT} in flight); the "
            "oversight body's JetStream pull consumer on gongshi.results.> fetches and acks; p99 of receipt "
            "minus the ResultPublished event's Gongshi-Occurred-At (ms resolution); the reference is "
            "the bare stack at 1,000/s"
        ),
        extras=(
            Extra(
                f"{key}_p50",
                "ms",
                reference_key="bare_nats_latency_p50",
                higher_is_better=False,
                description="p50 of the same",
            ),
            Extra(
                f"{key}_rate",
                "events/s",
                target=f">= {rate * 0.95:,.0f} (the offered rate, sustained)",
                target_value=rate * 0.95,
                description=f"decisions committed per second while offered {rate:,}/s (first to last reply)",
            ),
            Extra(
                f"{key}_after_reply_p99",
                "ms",
                higher_is_better=False,
                description=(
                    "p99 of receipt minus the client's receipt of the PublishDecision reply (commit done): "
                    "relay + JetStream + delivery only"
                ),
            ),
            Extra(f"{key}_after_reply_p50", "ms", higher_is_better=False, description="p50 of the same"),
            Extra(
                f"{key}_call_p50",
                "ms",
                higher_is_better=False,
                description="p50 of the PublishDecision call as the client sees it (send to reply)",
            ),
        ),
    )


register(_benchmark("event_latency", RATE))
register(_benchmark("event_latency_200", LOW_RATE))

"""bare_nats_latency: JetStream publish -> pull-consumer receipt at 1,000 msg/s.

The reference of event_latency: the same paced rate, the same kind of
subscriber (a durable pull consumer fetching and acking), the same ~300-byte
payloads, with nothing but nats-py between publisher and subscriber. The send
time travels in a header; latency is receipt minus send, on one clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import nats
from nats.js.api import AckPolicy, ConsumerConfig

from bench.bare.nats_js import STREAM, SUBJECT, _fresh_stream, jetstream_server
from bench.harness import Benchmark, Extra, Measurement, RunContext, register
from bench.platform._queries import percentile
from bench.records import item_payload

RATE = 1000  # messages per second, as event_latency
IN_FLIGHT = 256  # publishes awaiting their ack at most
SENT_HEADER = "Bench-Sent-Ns"


async def paced(rate: float, seconds: float, fire) -> tuple[int, float]:
    """Call ``fire(i)`` at ``rate`` per second for ``seconds`` (catching up after a late
    wake-up, never bursting more than 50 at once); return (calls, elapsed). ``fire`` may
    block (a full window): offering then stops at the deadline, short of rate x seconds."""
    start = time.perf_counter()
    end = start + seconds
    total = int(rate * seconds)
    i = 0
    while i < total and time.perf_counter() < end:
        due = start + i / rate
        now = time.perf_counter()
        if due > now:
            await asyncio.sleep(due - now)
        for _ in range(50):
            if i >= total or start + i / rate > time.perf_counter():
                break
            await fire(i)
            i += 1
    return i, time.perf_counter() - start


async def run(ctx: RunContext) -> Measurement:
    payload = item_payload()
    publisher = await nats.connect(f"nats://{ctx.fixture.address}")
    subscriber = await nats.connect(f"nats://{ctx.fixture.address}")
    latencies: list[float] = []
    try:
        js = publisher.jetstream()
        await _fresh_stream(js)
        sub = await subscriber.jetstream().pull_subscribe(
            SUBJECT, durable="latency", stream=STREAM, config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT)
        )
        window = asyncio.Semaphore(IN_FLIGHT)
        pending: set[asyncio.Task] = set()

        async def publish(_: int) -> None:
            await window.acquire()

            async def one() -> None:
                try:
                    await js.publish(SUBJECT, payload, headers={SENT_HEADER: str(time.perf_counter_ns())})
                finally:
                    window.release()

            task = asyncio.create_task(one())
            pending.add(task)
            task.add_done_callback(pending.discard)

        sent = None

        async def receive() -> None:
            while sent is None or len(latencies) < sent:
                with contextlib.suppress(TimeoutError, nats.errors.TimeoutError):
                    for msg in await sub.fetch(256, timeout=1):
                        now = time.perf_counter_ns()
                        latencies.append((now - int(msg.headers[SENT_HEADER])) / 1e6)
                        await msg.ack()

        receiver = asyncio.create_task(receive())
        sent, elapsed = await paced(RATE, ctx.seconds, publish)
        await asyncio.gather(*pending)
        await asyncio.wait_for(receiver, timeout=60)
        rate = sent / elapsed
    finally:
        await publisher.close()
        await subscriber.close()
    return Measurement(
        percentile(latencies, 99),
        {"bare_nats_latency_p50": percentile(latencies, 50), "bare_nats_latency_rate": rate},
    )


register(
    Benchmark(
        key="bare_nats_latency",
        unit="ms",
        run=run,
        fixture=jetstream_server,
        higher_is_better=False,
        description=(
            f"JetStream publish (awaited acks, <= {IN_FLIGHT} in flight) paced at {RATE:,} msg/s of ~300 B "
            "to a file-storage stream, durable pull consumer fetch+ack; p99 of send -> receipt"
        ),
        extras=(
            Extra("bare_nats_latency_p50", "ms", higher_is_better=False, description="p50 of the same"),
            Extra("bare_nats_latency_rate", "msg/s", description="rate actually published"),
        ),
    )
)

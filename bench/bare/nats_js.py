"""bare_nats_publish / bare_nats_fetch: nats-py JetStream against a private nats-server.

The server is started by the bench (file storage in var/bench/data/<key>/),
on a free port; it is never the shared NATS on 4222.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import time
from collections.abc import Iterator

import nats
from nats.js.api import AckPolicy, ConsumerConfig, StorageType, StreamConfig

from bench.harness import Benchmark, RunContext, register
from bench.records import item_payload
from bench.servers import Server, nats_server

STREAM = "BENCH"
SUBJECT = "bench.items"
PUBLISH_WINDOW = 1000  # async publishes awaiting their PubAck at most
FETCH_BATCH = 256
FETCH_MESSAGES = 100_000  # messages pre-published for the fetch benchmark (quick: 20k)
FETCH_MESSAGES_QUICK = 20_000


@contextlib.contextmanager
def jetstream_server(ctx: RunContext) -> Iterator[Server]:
    store = ctx.data_dir / "jetstream"
    shutil.rmtree(store, ignore_errors=True)  # each bench run starts from an empty store
    try:
        with nats_server(store) as server:
            yield server
    finally:
        shutil.rmtree(store, ignore_errors=True)


async def _fresh_stream(js: nats.js.JetStreamContext) -> None:
    with contextlib.suppress(nats.js.errors.NotFoundError):
        await js.delete_stream(STREAM)
    await js.add_stream(StreamConfig(name=STREAM, subjects=[SUBJECT], storage=StorageType.FILE))


async def _publish(
    js: nats.js.JetStreamContext, payloads: list[bytes], seconds: float, limit: int | None
) -> tuple[int, float]:
    """Publish with an async window until ``seconds`` pass (or ``limit`` msgs); (count, elapsed)."""
    sent = 0
    n = len(payloads)
    start = time.perf_counter()
    deadline = start + seconds
    while (limit is None or sent < limit) and time.perf_counter() < deadline:
        # publish_async blocks only when PUBLISH_WINDOW acks are outstanding.
        await js.publish_async(SUBJECT, payloads[sent % n])
        sent += 1
    await js.publish_async_completed()  # the window counts only once every PubAck is back
    return sent, time.perf_counter() - start


async def run_publish(ctx: RunContext) -> float:
    payloads = [item_payload(i) for i in range(100)]
    nc = await nats.connect(f"nats://{ctx.fixture.address}")
    try:
        js = nc.jetstream(publish_async_max_pending=PUBLISH_WINDOW)
        await _fresh_stream(js)
        sent, elapsed = await _publish(js, payloads, ctx.seconds, None)
        stored = (await js.stream_info(STREAM)).state.messages
        if stored != sent:
            raise RuntimeError(f"published {sent} but stream holds {stored}")
        return sent / elapsed
    finally:
        await nc.close()


@contextlib.contextmanager
def prefilled_server(ctx: RunContext) -> Iterator[Server]:
    async def fill(server: Server) -> None:
        nc = await nats.connect(f"nats://{server.address}")
        try:
            js = nc.jetstream(publish_async_max_pending=PUBLISH_WINDOW)
            await _fresh_stream(js)
            count = FETCH_MESSAGES_QUICK if ctx.quick else FETCH_MESSAGES
            await _publish(js, [item_payload(i) for i in range(100)], float("inf"), count)
        finally:
            await nc.close()

    with jetstream_server(ctx) as server:
        asyncio.run(fill(server))
        yield server


async def run_fetch(ctx: RunContext) -> float:
    """Drain the stream through a new pull consumer: fetch(batch) then ack each message."""
    nc = await nats.connect(f"nats://{ctx.fixture.address}")
    try:
        js = nc.jetstream()
        total = (await js.stream_info(STREAM)).state.messages
        # A new durable per run so every run reads the stream from the start.
        durable = f"bench_{time.monotonic_ns()}"
        sub = await js.pull_subscribe(
            SUBJECT, durable=durable, stream=STREAM, config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT)
        )
        got = 0
        start = time.perf_counter()
        deadline = start + ctx.seconds
        while got < total and time.perf_counter() < deadline:
            for msg in await sub.fetch(FETCH_BATCH, timeout=5):
                await msg.ack()
                got += 1
        await nc.flush()  # the acks have reached the server
        elapsed = time.perf_counter() - start
        await js.delete_consumer(STREAM, durable)
        return got / elapsed
    finally:
        await nc.close()


register(
    Benchmark(
        key="bare_nats_publish",
        unit="msg/s",
        run=run_publish,
        fixture=jetstream_server,
        description=(
            f"nats-py JetStream js.publish_async (window {PUBLISH_WINDOW}) of ~300 B to a file-storage "
            "stream, then publish_async_completed"
        ),
    )
)
register(
    Benchmark(
        key="bare_nats_fetch",
        unit="msg/s",
        run=run_fetch,
        fixture=prefilled_server,
        description=(
            f"nats-py pull consumer fetch({FETCH_BATCH}) + ack per message, from a file-storage stream "
            f"pre-filled with {FETCH_MESSAGES:,} messages of ~300 B"
        ),
    )
)

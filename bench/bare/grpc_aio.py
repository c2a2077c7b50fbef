"""bare_grpc_unary / bare_grpc_stream: grpc.aio alone, server in its own process."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import grpc

from bench.apps.grpc_echo import UNARY_METHOD, UPLOAD_METHOD
from bench.harness import Benchmark, RunContext, register
from bench.load import closed_loop
from bench.records import item_payload
from bench.servers import Server, free_port, python_module, spawn

UNARY_IN_FLIGHT = 64
STREAMS_IN_FLIGHT = 4  # concurrent client-streaming uploads
ITEMS_PER_STREAM = 1000


@contextlib.contextmanager
def echo_server(ctx: RunContext) -> Iterator[Server]:
    port = free_port()
    with spawn("grpc-echo", python_module("bench.apps.grpc_echo", "--port", str(port)), port) as server:
        yield server


async def run_unary(ctx: RunContext) -> float:
    payload = item_payload()
    async with grpc.aio.insecure_channel(ctx.fixture.address) as channel:
        call = channel.unary_unary(UNARY_METHOD)  # no serializers: bytes in, bytes out
        await channel.channel_ready()
        return await closed_loop(lambda: call(payload), UNARY_IN_FLIGHT, ctx.seconds)


async def run_stream(ctx: RunContext) -> float:
    items = [item_payload(i) for i in range(ITEMS_PER_STREAM)]
    async with grpc.aio.insecure_channel(ctx.fixture.address) as channel:
        upload = channel.stream_unary(UPLOAD_METHOD)
        await channel.channel_ready()

        async def one_stream() -> None:
            reply = await upload(iter(items))
            if int.from_bytes(reply, "big") != ITEMS_PER_STREAM:
                raise RuntimeError(f"server counted {int.from_bytes(reply, 'big')} items")

        streams_per_s = await closed_loop(one_stream, STREAMS_IN_FLIGHT, ctx.seconds)
        return streams_per_s * ITEMS_PER_STREAM


register(
    Benchmark(
        key="bare_grpc_unary",
        unit="req/s",
        run=run_unary,
        fixture=echo_server,
        description=f"grpc.aio unary echo (~300 B), {UNARY_IN_FLIGHT} calls in flight",
    )
)
register(
    Benchmark(
        key="bare_grpc_stream",
        unit="items/s",
        run=run_stream,
        fixture=echo_server,
        description=(
            f"grpc.aio client-streaming upload, {STREAMS_IN_FLIGHT} streams x "
            f"{ITEMS_PER_STREAM} items of ~300 B"
        ),
    )
)

"""Bare grpc.aio echo server built from generic handlers (no proto compilation).

Run: python -m bench.apps.grpc_echo --port N
  /bench.Echo/Unary   unary-unary: returns the request bytes
  /bench.Echo/Upload  stream-unary: counts the items, returns the count (8 bytes, big-endian)
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import AsyncIterator

import grpc

SERVICE = "bench.Echo"
UNARY_METHOD = f"/{SERVICE}/Unary"
UPLOAD_METHOD = f"/{SERVICE}/Upload"


async def _unary(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
    return request


async def _upload(requests: AsyncIterator[bytes], context: grpc.aio.ServicerContext) -> bytes:
    count = 0
    async for _ in requests:
        count += 1
    return count.to_bytes(8, "big")


def handler() -> grpc.GenericRpcHandler:
    # No (de)serializers: grpc hands the raw message bytes through unchanged.
    return grpc.method_handlers_generic_handler(
        SERVICE,
        {
            "Unary": grpc.unary_unary_rpc_method_handler(_unary),
            "Upload": grpc.stream_unary_rpc_method_handler(_upload),
        },
    )


async def serve(port: int) -> None:
    server = grpc.aio.server()
    server.add_generic_rpc_handlers((handler(),))
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    await stopping.wait()
    await server.stop(grace=0.5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()

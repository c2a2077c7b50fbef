"""Composition root of the procedures service."""

from __future__ import annotations

import asyncio

from gongshi.v1 import procedures_pb2_grpc
from services.procedures.servicer import PUBLIC_METHODS, ProceduresServicer
from services.runtime.app import ServiceRuntime
from services.runtime.settings import Settings, load_settings

NAME = "procedures"


def build(settings: Settings) -> ServiceRuntime:
    runtime = ServiceRuntime(NAME, settings, tables=[], public_methods=PUBLIC_METHODS)
    runtime.grpc.add(
        procedures_pb2_grpc.add_ProceduresServiceServicer_to_server,
        ProceduresServicer(runtime),
        "gongshi.v1.ProceduresService",
    )
    return runtime


async def serve() -> None:
    # Built inside the running loop: grpc.aio objects bind to the loop that makes them.
    await build(load_settings()).serve()


def main() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    main()

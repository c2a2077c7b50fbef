"""Composition root of the feedback service."""

from __future__ import annotations

import asyncio

from gongshi.v1 import feedback_pb2_grpc
from services.feedback.servicer import PUBLIC_METHODS, FeedbackServicer
from services.runtime.app import ServiceRuntime
from services.runtime.settings import Settings, load_settings

NAME = "feedback"


def build(settings: Settings) -> ServiceRuntime:
    runtime = ServiceRuntime(NAME, settings, tables=[], public_methods=PUBLIC_METHODS)
    runtime.grpc.add(
        feedback_pb2_grpc.add_FeedbackServiceServicer_to_server,
        FeedbackServicer(runtime),
        "gongshi.v1.FeedbackService",
    )
    return runtime


async def serve() -> None:
    # Built inside the running loop: grpc.aio objects bind to the loop that makes them.
    await build(load_settings()).serve()


def main() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    main()

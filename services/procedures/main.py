"""Composition root of the procedures service."""

from __future__ import annotations

from gongshi.v1 import procedures_pb2_grpc
from services.procedures.consumers import agencies_subscription, duty_items_subscription
from services.procedures.handlers import ProceduresHandlers
from services.procedures.models import TABLES
from services.procedures.servicer import PUBLIC_METHODS, ProceduresServicer
from services.runtime.app import ServiceRuntime, run_service
from services.runtime.settings import Settings

NAME = "procedures"


def build(settings: Settings) -> ServiceRuntime:
    runtime = ServiceRuntime(NAME, settings, tables=TABLES, public_methods=PUBLIC_METHODS)
    handlers = ProceduresHandlers(runtime)
    runtime.grpc.add(
        procedures_pb2_grpc.add_ProceduresServiceServicer_to_server,
        ProceduresServicer(handlers),
        "gongshi.v1.ProceduresService",
    )
    runtime.subscribe(agencies_subscription())
    runtime.subscribe(duty_items_subscription(runtime.clock))
    return runtime


def main() -> None:
    run_service(build)


if __name__ == "__main__":
    main()

"""Composition root of the duties service."""

from __future__ import annotations

from gongshi.v1 import duties_pb2_grpc
from services.duties.handlers import DutiesHandlers
from services.duties.models import TABLES
from services.duties.servicer import PUBLIC_METHODS, AdminServicer, DutiesServicer
from services.runtime.app import ServiceRuntime, run_service
from services.runtime.settings import Settings

NAME = "duties"


def build(settings: Settings) -> ServiceRuntime:
    runtime = ServiceRuntime(NAME, settings, tables=TABLES, public_methods=PUBLIC_METHODS)
    # Duties owns the credential registry: it writes credentials, it does not copy them.
    runtime.sync_credentials = False
    handlers = DutiesHandlers(runtime)
    runtime.grpc.add(
        duties_pb2_grpc.add_AdminServiceServicer_to_server, AdminServicer(handlers), "gongshi.v1.AdminService"
    )
    runtime.grpc.add(
        duties_pb2_grpc.add_DutiesServiceServicer_to_server,
        DutiesServicer(handlers),
        "gongshi.v1.DutiesService",
    )
    return runtime


def main() -> None:
    run_service(build)


if __name__ == "__main__":
    main()

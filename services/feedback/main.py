"""Composition root of the feedback service."""

from __future__ import annotations

from gongshi.v1 import feedback_pb2_grpc
from services.feedback.clocks import OverdueScanner
from services.feedback.config import FeedbackConfig
from services.feedback.consumers import copies_subscription
from services.feedback.handlers import FeedbackHandlers
from services.feedback.models import TABLES
from services.feedback.queries import FeedbackQueries
from services.feedback.servicer import PUBLIC_METHODS, FeedbackServicer
from services.feedback.unit_of_work import DatabaseUnits
from services.runtime.app import ServiceRuntime, run_service
from services.runtime.settings import Settings

NAME = "feedback"


def build(settings: Settings, config: FeedbackConfig | None = None) -> ServiceRuntime:
    runtime = ServiceRuntime(NAME, settings, tables=TABLES, public_methods=PUBLIC_METHODS)
    # The use cases run in units of work over this process's database (unit_of_work.py).
    handlers = FeedbackHandlers(runtime, DatabaseUnits(runtime.db), config or FeedbackConfig())
    runtime.grpc.add(
        feedback_pb2_grpc.add_FeedbackServiceServicer_to_server,
        FeedbackServicer(handlers, FeedbackQueries(handlers)),
        "gongshi.v1.FeedbackService",
    )
    runtime.subscribe(copies_subscription())
    scanner = OverdueScanner(handlers)
    runtime.add_job(
        scanner.scan_round, every=handlers.config.overdue_scan_seconds, name="feedback overdue scan"
    )
    # Tests and operators reach the wiring through the runtime.
    runtime.feedback_handlers = handlers  # type: ignore[attr-defined]
    runtime.overdue_scanner = scanner  # type: ignore[attr-defined]
    return runtime


def main() -> None:
    run_service(build)


if __name__ == "__main__":
    main()

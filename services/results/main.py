"""Composition root of the results service."""

from __future__ import annotations

from gongshi.v1 import results_pb2_grpc
from services.results import duty_items
from services.results.annual_reports import AnnualReports
from services.results.consumers import directory_subscription, objection_subscription
from services.results.directory import AgencyDirectory
from services.results.handlers import ResultsHandlers
from services.results.index_queue import IndexQueueRow, SearchIndexer
from services.results.lifecycle import LifecycleHandlers
from services.results.models import TABLES
from services.results.policy import load_policies
from services.results.query import add_query_service
from services.results.servicer import PUBLIC_METHODS, ResultsServicer
from services.results.settings import ResultsSettings
from services.results.timeliness import TimelinessGauges
from services.runtime.app import ServiceRuntime, run_service
from services.runtime.settings import Settings

NAME = "results"


def build(settings: Settings) -> ServiceRuntime:
    runtime = ServiceRuntime(NAME, settings, tables=TABLES, public_methods=PUBLIC_METHODS)
    agencies = AgencyDirectory(runtime)
    own = ResultsSettings()
    policies = load_policies(own.policy_file)
    runtime.tables.append(IndexQueueRow.__table__)
    indexer = SearchIndexer(runtime.db, paused=own.index_paused)
    runtime.add_job(indexer.run)
    handlers = ResultsHandlers(runtime, agencies, indexer, policies)
    lifecycle = LifecycleHandlers(runtime, policies, scan_seconds=own.scan_seconds)
    runtime.grpc.add(
        results_pb2_grpc.add_ResultsServiceServicer_to_server,
        ResultsServicer(handlers, lifecycle, own.bulk_batch),
        "gongshi.v1.ResultsService",
    )
    annual_reports = AnnualReports(runtime, policies, scan_seconds=own.scan_seconds)
    add_query_service(runtime, indexer, annual_reports)
    annual_reports.install()
    TimelinessGauges(runtime, own.timeliness_seconds).install()
    runtime.subscribe(directory_subscription(agencies))
    runtime.subscribe(objection_subscription(lifecycle))
    runtime.add_job(lifecycle.scan_round, every=lifecycle.scan_seconds, name="results scans")
    runtime.subscribe(duty_items.subscription(runtime))
    return runtime


def main() -> None:
    run_service(build)


if __name__ == "__main__":
    main()

"""gRPC entrypoint of the results read side (search, statistics, annual
report), and its wiring: main.py calls `add_query_service(runtime, indexer)`."""

from __future__ import annotations

from gongshi.v1 import results_query_pb2 as qpb
from gongshi.v1 import results_query_pb2_grpc
from services.results.annual_reports import AnnualReports
from services.results.index_queue import SearchIndexer
from services.results.search import ResultSearch
from services.results.search_index import ResultSearchRow
from services.results.statistics import DutyPowerCopy, PowerDirectory, ResultStatistics
from services.runtime.app import ServiceRuntime

SERVICE_NAME = "gongshi.v1.ResultsQueryService"
PUBLIC_METHODS = {
    f"/{SERVICE_NAME}/SearchResults",
    f"/{SERVICE_NAME}/Statistics",
    f"/{SERVICE_NAME}/AnnualReport",
}


class ResultsQueryServicer(results_query_pb2_grpc.ResultsQueryServiceServicer):
    def __init__(
        self,
        search: ResultSearch,
        statistics: ResultStatistics,
        indexer: SearchIndexer,
        annual: AnnualReports | None = None,
    ) -> None:
        self.search = search
        self.stats = statistics
        self.indexer = indexer
        # The annual report with its status, narrative and confirmed snapshot.
        self.annual = annual

    async def SearchResults(self, request: qpb.SearchResultsRequest, context) -> qpb.SearchResultsResponse:
        await self.indexer.caught_up()  # a publish that was answered is in the next search
        return await self.search.search(request)

    async def Statistics(self, request: qpb.StatisticsRequest, context) -> qpb.StatisticsResponse:
        await self.indexer.caught_up()  # statistics count from the same read model
        return await self.stats.statistics(request)

    async def AnnualReport(self, request: qpb.AnnualReportRequest, context) -> qpb.AnnualEnforcementReport:
        await self.indexer.caught_up()
        return await (self.annual or self.stats).annual_report(request)


def add_query_service(
    runtime: ServiceRuntime, indexer: SearchIndexer, annual: AnnualReports | None = None
) -> None:
    """Register the read model's tables, the duty-power copy and the public query service,
    and keep SQLite's planner statistics (PRAGMA optimize) fresh: in the background shortly
    after start-up (milliseconds on a million results, sampled) and hourly."""
    runtime.tables.extend([ResultSearchRow.__table__, DutyPowerCopy.__table__])
    runtime.add_job(runtime.db.keep_optimized)
    powers = PowerDirectory()
    runtime.subscribe(powers.subscription())
    runtime.grpc.add(
        results_query_pb2_grpc.add_ResultsQueryServiceServicer_to_server,
        ResultsQueryServicer(
            ResultSearch(runtime.db),
            ResultStatistics(runtime.db, runtime.clock, powers),
            indexer,
            annual,
        ),
        SERVICE_NAME,
        public_methods=PUBLIC_METHODS,
    )

"""Publication timeliness per agency as Prometheus gauges: the share of
decisions published by their deadline, and how many are overdue right now.

The figures come from one grouped query every GONGSHI_RESULTS_TIMELINESS_SECONDS
(observable gauge callbacks cannot await the database)."""

from __future__ import annotations

import logging

from sqlalchemy import text

from gongshi.v1 import results_pb2 as pb
from services.results.statistics import PUBLISHED_STATUSES
from services.runtime.app import ServiceRuntime
from services.runtime.metrics import gauge

log = logging.getLogger(__name__)

_PUBLISHED = ", ".join(str(s) for s in PUBLISHED_STATUSES)
_ON_TIME_SQL = text(
    f"SELECT agency_code, count(*), sum(CASE WHEN published_on_time THEN 1 ELSE 0 END) "
    f"FROM results_search WHERE status IN ({_PUBLISHED}) GROUP BY agency_code"
)
_OVERDUE_SQL = text(
    "SELECT agency_code, count(*) FROM results WHERE status = :pending AND overdue_at IS NOT NULL "
    "GROUP BY agency_code"
)


class TimelinessGauges:
    def __init__(self, runtime: ServiceRuntime, refresh_seconds: float) -> None:
        self.runtime = runtime
        self.refresh_seconds = refresh_seconds
        self.on_time_ratio: dict[str, float] = {}
        self.overdue: dict[str, int] = {}

    def install(self) -> None:
        gauge(
            "gongshi_publication_on_time_ratio",
            "share of published decisions published by their deadline",
            "1",
            lambda: ((v, {"agency": a}) for a, v in self.on_time_ratio.items()),
        )
        gauge(
            "gongshi_publication_overdue",
            "decisions past their publication deadline and still unpublished",
            "1",
            lambda: ((v, {"agency": a}) for a, v in self.overdue.items()),
        )
        # A failed refresh is logged; metrics never take the service down.
        self.runtime.add_job(self.refresh, every=self.refresh_seconds, name="timeliness metrics")

    async def refresh(self) -> None:
        async with self.runtime.db.reader() as session:
            published = (await session.execute(_ON_TIME_SQL)).all()
            overdue = (await session.execute(_OVERDUE_SQL, {"pending": pb.RESULT_STATUS_PENDING})).all()
        self.on_time_ratio = {agency: (on_time or 0) / total for agency, total, on_time in published if total}
        self.overdue = {agency: count for agency, count in overdue}

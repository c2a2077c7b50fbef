"""Public statistics and the annual enforcement data report."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from gateway import cache
from gateway.convert import to_json
from gateway.queries import AgencyParam, CategoryParam, RegionParam, ResultFilters
from gateway.reports import report_csv, report_view
from gongshi.v1 import results_pb2
from gongshi.v1 import results_query_pb2 as qpb
from services.runtime import limits

router = APIRouter(prefix="/api/v1", tags=["statistics"])


@router.get(
    "/statistics", summary="Decisions per month and category, on-time publication, penalties, amounts"
)
async def statistics(
    request: Request,
    agency: AgencyParam = None,
    region: RegionParam = None,
    category: CategoryParam = None,
    decided_from: dt.date | None = None,
    decided_to: dt.date | None = None,
) -> dict:
    """Counts include decisions that were not published (no personal data is
    involved) but not withdrawn ones. Penalty decisions count once, in their most
    severe kind. Amounts are in fen. Platform-wide figures (no agency or region) may be
    up to a minute old."""
    fields = ResultFilters(agency, region, category, decided_from, decided_to).fields()
    reply = await cache.statistics(request.app.state.clients, qpb.StatisticsRequest(**fields))
    return to_json(reply)


@router.get(
    "/reports/annual/missing",
    summary="Agencies whose annual enforcement data report is past its deadline and unconfirmed",
)
async def missing_annual_reports(
    request: Request,
    year: Annotated[int | None, Query(ge=1950, le=9999, description="default: the previous year")] = None,
    region: RegionParam = None,
) -> dict:
    """DOMAIN.md I1, I5: a report is missing from the day after its region's
    deadline (31 January unless the region's policy says otherwise) until the
    agency confirms it. A province or prefecture code takes in its districts."""
    reply = await request.app.state.clients.annual_reports.ListMissingAnnualReports(
        results_pb2.ListMissingAnnualReportsRequest(year=year or 0, region_code=region or "")
    )
    return to_json(reply)


@router.get(
    "/reports/annual/{agency}/{year}",
    summary="Annual enforcement data report of an agency (行政执法年度数据)",
    responses={200: {"content": {"text/csv": {}}}},
)
async def annual_report(
    request: Request,
    agency: Annotated[str, Path(pattern=limits.AGENCY_CODE_PATTERN)],
    year: Annotated[int, Path(ge=1950, le=9999)],
    format: Annotated[Literal["json", "csv"], Query(description="json (default) or csv")] = "json",
):
    """Six behaviour types (DOMAIN.md I2): a number when the agency holds the power
    (0 if idle), 无相关行政执法职责 when it does not; the I3 penalty table; amounts in 万元.
    `status` is open, draft, missing or confirmed; a confirmed report carries the
    agency's 情况说明 (`narrative`) and the figures as they were at confirmation."""
    report = await request.app.state.clients.results_query.AnnualReport(
        qpb.AnnualReportRequest(agency_code=agency, year=year)
    )
    if format == "csv":
        filename = f"annual-report-{agency}-{year}.csv"
        return Response(
            report_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return report_view(report)

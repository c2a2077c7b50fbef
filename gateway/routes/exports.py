"""Open data: full exports of public results (CSV, NDJSON), streamed page by
page from the results service so memory stays flat, and Atom feeds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import AsyncIterator
from xml.sax.saxutils import escape, quoteattr

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from gateway.convert import to_json
from gateway.queries import (
    AgencyParam,
    CategoryParam,
    QueryText,
    RegionParam,
    ResultFilters,
    search_request,
)
from gateway.reports import csv_cell
from gongshi.v1 import common_pb2
from gongshi.v1 import results_pb2 as pb
from services.runtime import limits

router = APIRouter(tags=["open data"])

CSV_COLUMNS = [
    "id", "agency_code", "region_code", "document_number", "category", "status", "party_type", "party_name",
    "violation_type", "legal_basis", "conclusion", "penalty_kinds", "fine_amount_fen",
    "confiscation_amount_fen", "licence_item", "decision_date", "published_at", "publish_deadline",
    "published_on_time", "version",
]  # fmt: skip


def csv_row(result: dict) -> list:
    party = result["party"]
    flat = {
        **result,
        "party_type": party["type"],
        "party_name": party["name"],
        "legal_basis": "；".join(result["legal_basis"]),
        "penalty_kinds": ";".join(result["penalty_kinds"]),
    }
    return [csv_cell(flat[c]) if isinstance(flat[c], str) else flat[c] for c in CSV_COLUMNS]


@router.get(
    "/api/v1/exports/results.csv",
    summary="All public results as CSV (streamed)",
    responses={200: {"content": {"text/csv": {}}}},
    response_class=StreamingResponse,
)
async def export_csv(
    request: Request,
    agency: AgencyParam = None,
    region: RegionParam = None,
    category: CategoryParam = None,
    decided_from: dt.date | None = None,
    decided_to: dt.date | None = None,
):
    results = await _all_results(request, ResultFilters(agency, region, category, decided_from, decided_to))

    async def rows() -> AsyncIterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        yield "\ufeff" + buffer.getvalue()
        async for result in results:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(csv_row(to_json(result)))
            yield buffer.getvalue()

    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="gongshi-results.csv"'},
    )


@router.get(
    "/api/v1/exports/results.ndjson",
    summary="All public results as newline-delimited JSON (streamed)",
    responses={200: {"content": {"application/x-ndjson": {}}}},
    response_class=StreamingResponse,
)
async def export_ndjson(
    request: Request,
    agency: AgencyParam = None,
    region: RegionParam = None,
    category: CategoryParam = None,
    decided_from: dt.date | None = None,
    decided_to: dt.date | None = None,
):
    results = await _all_results(request, ResultFilters(agency, region, category, decided_from, decided_to))

    async def lines() -> AsyncIterator[str]:
        async for result in results:
            yield json.dumps(to_json(result), ensure_ascii=False, separators=(",", ":")) + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


async def _all_results(request: Request, filters: ResultFilters) -> AsyncIterator[pb.Result]:
    """Every public result the filters select, page by page while the client
    listens. The first page is asked before the response starts, so a bad
    filter or a down service is a proper problem response rather than a
    broken stream."""

    async def page(token: str) -> pb.ListResultsResponse:
        return await request.app.state.clients.results.ListResults(
            pb.ListResultsRequest(
                page=common_pb2.PageRequest(page_size=limits.EXPORT_PAGE_SIZE, page_token=token),
                **filters.fields(),
            )
        )

    first = await page("")

    async def chain() -> AsyncIterator[pb.Result]:
        reply = first
        while True:
            for result in reply.results:
                yield result
            if not reply.next_page_token or await request.is_disconnected():
                return
            reply = await page(reply.next_page_token)

    return chain()


@router.get(
    "/feeds/results.atom",
    summary="Atom feed of newly published results (per agency, region, category or saved search)",
    responses={200: {"content": {"application/atom+xml": {}}}},
    response_class=Response,
)
async def results_feed(
    request: Request,
    agency: AgencyParam = None,
    region: RegionParam = None,
    category: CategoryParam = None,
    q: QueryText = None,
):
    filters = ResultFilters(agency, region, category)
    reply = await request.app.state.clients.results_query.SearchResults(
        search_request(
            filters,
            q=q,
            penalty_kind=None,
            status=None,
            sort="newest",
            limit=limits.FEED_ENTRIES,
            cursor=None,
        )
    )
    results = [hit.result for hit in reply.hits]
    base = str(request.base_url).rstrip("/")
    self_url = str(request.url)
    updated = max((r.updated_at or r.published_at for r in results), default="1970-01-01T00:00:00Z")
    title = "行政执法结果公示" + "".join(f" · {v}" for v in (agency, region, category, q) if v)
    entries = "".join(_entry(base, r) for r in results)
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">'
        f"<id>{escape(self_url)}</id><title>{escape(title)}</title><updated>{escape(updated)}</updated>"
        f'<link rel="self" href={quoteattr(self_url)}/><link href={quoteattr(base + "/search")}/>'
        f"<generator>Gongshi</generator>{entries}</feed>"
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def _entry(base: str, r: pb.Result) -> str:
    link = f"{base}/results/{r.id}"
    title = f"{r.document_number} {r.party.name}".strip()
    return (
        f"<entry><id>urn:gongshi:result:{escape(r.id)}</id><title>{escape(title)}</title>"
        f"<updated>{escape(r.updated_at or r.published_at)}</updated>"
        f"<published>{escape(r.published_at)}</published>"
        f"<author><name>{escape(r.agency_code)}</name></author>"
        f"<link href={quoteattr(link)}/><summary>{escape(r.conclusion)}</summary></entry>"
    )

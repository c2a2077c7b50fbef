"""Public search API: one endpoint across record types."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from gateway import record_json
from gateway.convert import to_json
from gateway.queries import (
    CATEGORIES,
    AgencyParam,
    CategoryParam,
    CursorParam,
    LimitParam,
    PenaltyKindParam,
    QueryText,
    RegionParam,
    ResultFilters,
    SortParam,
    StatusParam,
    page_request,
    search_request,
)
from gongshi.v1 import duties_pb2, procedures_pb2
from services.runtime import limits

router = APIRouter(prefix="/api/v1", tags=["search"])

# Duty items and procedures are matched by their owning services (name substring);
# categories of results map onto duty items' power types by name.
POWER_TYPES = {
    name: duties_pb2.PowerType.Value("POWER_TYPE_" + name.upper())
    for name in CATEGORIES
    if "POWER_TYPE_" + name.upper() in duties_pb2.PowerType.keys()
}


@router.get("/search", summary="Search published records (Chinese full text plus filters)")
async def search(
    request: Request,
    q: QueryText = None,
    type: Annotated[
        Literal["results", "duty_items", "procedures"], Query(description="record type")
    ] = "results",
    agency: AgencyParam = None,
    region: RegionParam = None,
    category: CategoryParam = None,
    penalty_kind: PenaltyKindParam = None,
    status: StatusParam = None,
    decided_from: dt.date | None = None,
    decided_to: dt.date | None = None,
    sort: SortParam = None,
    limit: LimitParam = limits.DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> dict:
    """Results: Chinese full text over document number, party (as published), facts,
    conclusion, violation and legal basis; withdrawn, expired and unpublished records are
    never found; `total` is exact up to 1000, beyond it `total_is_lower_bound` is true.
    Sorting by `fine` or `relevance` orders every match, so it is refused (400, field `sort`)
    when more than 10,000 records match (for `relevance`: contain the words of 3 or more
    characters, whatever the filters); `newest` and `oldest` work at any size.
    Duty items and procedures: `q` matches their names (agency, region and, for duty items,
    category filters apply)."""
    if type != "results":
        return await _search_ex_ante(request, type, q, agency, region, category, limit, cursor)
    filters = ResultFilters(agency, region, category, decided_from, decided_to)
    reply = await request.app.state.clients.results_query.SearchResults(
        search_request(
            filters, q=q, penalty_kind=penalty_kind, status=status, sort=sort, limit=limit, cursor=cursor
        )
    )
    # Spliced from each record's JSON, encoded once per version (gateway/record_json.py).
    body = record_json.page(
        [
            record_json.with_fields(record_json.records.encode(h.result), snippet=h.snippet)
            for h in reply.hits
        ],
        type=type,
        total=reply.total,
        total_is_lower_bound=reply.total_is_lower_bound,
        limit=limit,
        next_cursor=reply.next_page_token or None,
    )
    return Response(body, media_type="application/json")


async def _search_ex_ante(request, kind, q, agency, region, category, limit, cursor) -> dict:
    page = page_request(limit, cursor)
    clients = request.app.state.clients
    if kind == "duty_items":
        if category and category not in POWER_TYPES:
            reply, items = duties_pb2.ListDutyItemsResponse(), []
        else:
            reply = await clients.duties.ListDutyItems(
                duties_pb2.ListDutyItemsRequest(
                    page=page,
                    agency_code=agency or "",
                    region_code=region or "",
                    power_type=POWER_TYPES[category] if category else 0,
                    query=q or "",
                )
            )
            items = reply.duty_items
    else:
        reply = await clients.procedures.ListProcedures(
            procedures_pb2.ListProceduresRequest(
                page=page, agency_code=agency or "", region_code=region or "", query=q or ""
            )
        )
        items = reply.procedures
    return {
        "type": kind,
        "data": [to_json(item) for item in items],
        "total": reply.total,
        "total_is_lower_bound": False,
        "limit": limit,
        "next_cursor": reply.next_page_token or None,
    }

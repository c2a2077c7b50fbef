"""Public search API: one endpoint across record types."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from gateway.convert import to_json
from gateway.queries import (
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
    search_request,
)
from services.runtime import limits

router = APIRouter(prefix="/api/v1", tags=["search"])

# Record types whose owning service offers search. Duty items and procedures join
# when the duties and procedures services expose their search RPCs.
NOT_YET_SEARCHABLE = {
    "duty_items": "the duties service does not offer search yet",
    "procedures": "the procedures service does not offer search yet",
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
    """Withdrawn, expired and unpublished records are never found. `total` is exact up to
    the cap (1000); beyond it `total_is_lower_bound` is true."""
    if type in NOT_YET_SEARCHABLE:
        return {
            "type": type,
            "data": [],
            "total": 0,
            "total_is_lower_bound": False,
            "limit": limit,
            "next_cursor": None,
            "unavailable": NOT_YET_SEARCHABLE[type],
        }
    filters = ResultFilters(agency, region, category, decided_from, decided_to)
    reply = await request.app.state.clients.results_query.SearchResults(
        search_request(
            filters, q=q, penalty_kind=penalty_kind, status=status, sort=sort, limit=limit, cursor=cursor
        )
    )
    return {
        "type": type,
        "data": [{**to_json(hit.result), "snippet": hit.snippet} for hit in reply.hits],
        "total": reply.total,
        "total_is_lower_bound": reply.total_is_lower_bound,
        "limit": limit,
        "next_cursor": reply.next_page_token or None,
    }

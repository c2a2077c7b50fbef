"""Public REST API for enforcement results."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from gateway.convert import enum_values, to_json
from gongshi.v1 import common_pb2
from gongshi.v1 import results_pb2 as pb
from services.runtime import limits

router = APIRouter(prefix="/api/v1", tags=["results"])

CATEGORIES = enum_values(pb.DecisionCategory.DESCRIPTOR)
CategoryName = Annotated[
    str | None,
    Query(description="one of: " + ", ".join(CATEGORIES), pattern="^(" + "|".join(CATEGORIES) + ")$"),
]


@router.get("/results", summary="List published enforcement results")
async def list_results(
    request: Request,
    agency: Annotated[str | None, Query(pattern=limits.AGENCY_CODE_PATTERN)] = None,
    region: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    category: CategoryName = None,
    decided_from: dt.date | None = None,
    decided_to: dt.date | None = None,
    limit: Annotated[
        int, Query(ge=1, le=limits.MAX_PAGE_SIZE, description=f"page size, at most {limits.MAX_PAGE_SIZE}")
    ] = limits.DEFAULT_PAGE_SIZE,
    cursor: Annotated[
        str | None, Query(max_length=200, description="next_cursor of the previous page")
    ] = None,
) -> dict:
    """Newest decisions first (decision date, then id): a stable order for cursor paging."""
    reply = await request.app.state.clients.results.ListResults(
        pb.ListResultsRequest(
            page=common_pb2.PageRequest(page_size=limit, page_token=cursor or ""),
            agency_code=agency or "",
            region_code=region or "",
            category=CATEGORIES[category] if category else 0,
            decided_from=decided_from.isoformat() if decided_from else "",
            decided_to=decided_to.isoformat() if decided_to else "",
        )
    )
    return {
        "data": [to_json(r) for r in reply.results],
        "total": reply.total,
        "limit": limit,
        "next_cursor": reply.next_page_token or None,
    }


@router.get("/results/{result_id}", summary="One published enforcement result")
async def get_result(request: Request, result_id: Annotated[str, Path(max_length=40)]) -> dict:
    return to_json(await request.app.state.clients.results.GetResult(pb.GetResultRequest(id=result_id)))

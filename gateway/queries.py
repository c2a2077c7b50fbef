"""Query parameters shared by the public API and the portal, and their
translation to the results query service's requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import Query

from gateway.convert import enum_values
from gongshi.v1 import common_pb2
from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb
from services.runtime import limits

CATEGORIES = enum_values(pb.DecisionCategory.DESCRIPTOR)
PENALTY_KINDS = enum_values(pb.PenaltyKind.DESCRIPTOR)
SEARCHABLE_STATUSES = {"published": pb.RESULT_STATUS_PUBLISHED, "corrected": pb.RESULT_STATUS_CORRECTED}
SORTS = {k: v for k, v in enum_values(qpb.SearchSort.DESCRIPTOR).items()}
REGION_PATTERN = r"^\d{6}$"


def _one_of(names) -> str:
    return "^(" + "|".join(names) + ")$"


AgencyParam = Annotated[str | None, Query(pattern=limits.AGENCY_CODE_PATTERN, description="agency code")]
RegionParam = Annotated[
    str | None, Query(pattern=REGION_PATTERN, description="6-digit administrative division code")
]
CategoryParam = Annotated[
    str | None, Query(pattern=_one_of(CATEGORIES), description="one of: " + ", ".join(CATEGORIES))
]
PenaltyKindParam = Annotated[
    str | None,
    Query(
        pattern=_one_of(PENALTY_KINDS),
        description="decisions including this penalty kind: " + ", ".join(PENALTY_KINDS),
    ),
]
StatusParam = Annotated[
    str | None,
    Query(
        pattern=_one_of(SEARCHABLE_STATUSES), description="published or corrected (nothing else is public)"
    ),
]
SortParam = Annotated[
    str | None,
    Query(
        pattern=_one_of(SORTS),
        description="newest (default), oldest, fine (largest first), relevance (slower on broad queries)",
    ),
]
QueryText = Annotated[
    str | None,
    Query(
        max_length=limits.MAX_SEARCH_QUERY_CHARS,
        description="Chinese full-text query; space-separated terms must all match; short terms work",
    ),
]
LimitParam = Annotated[
    int, Query(ge=1, le=limits.MAX_PAGE_SIZE, description=f"page size, at most {limits.MAX_PAGE_SIZE}")
]
CursorParam = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")]


def page_request(limit: int, cursor: str | None) -> common_pb2.PageRequest:
    """The page a REST list asks for: `limit` rows from the client's cursor."""
    return common_pb2.PageRequest(page_size=limit, page_token=cursor or "")


@dataclass
class ResultFilters:
    agency: str | None = None
    region: str | None = None
    category: str | None = None
    decided_from: dt.date | None = None
    decided_to: dt.date | None = None

    def fields(self) -> dict:
        return dict(
            agency_code=self.agency or "",
            region_code=self.region or "",
            category=CATEGORIES[self.category] if self.category else 0,
            decided_from=self.decided_from.isoformat() if self.decided_from else "",
            decided_to=self.decided_to.isoformat() if self.decided_to else "",
        )


def search_request(
    filters: ResultFilters,
    *,
    q: str | None,
    penalty_kind: str | None,
    status: str | None,
    sort: str | None,
    limit: int,
    cursor: str | None,
) -> qpb.SearchResultsRequest:
    return qpb.SearchResultsRequest(
        page=page_request(limit, cursor),
        query=q or "",
        penalty_kind=PENALTY_KINDS[penalty_kind] if penalty_kind else 0,
        status=SEARCHABLE_STATUSES[status] if status else 0,
        sort=SORTS[sort] if sort else 0,
        **filters.fields(),
    )

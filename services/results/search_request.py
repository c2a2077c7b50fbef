"""A search request, validated (every problem named by its field), and its
page tokens (offsets, at most MAX_SEARCH_OFFSET deep)."""

from __future__ import annotations

from dataclasses import dataclass

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb
from services.results import domain
from services.runtime import limits, paging
from services.runtime.errors import FieldViolation, InvalidArgument, invalid


@dataclass(frozen=True)
class SearchQuery:
    terms: list[str]
    filters: dict
    sort: int
    offset: int
    limit: int


def parse_request(request: qpb.SearchResultsRequest) -> SearchQuery:
    """Validate a search request; every problem is named by its field."""
    violations: list[FieldViolation] = []
    query = request.query.strip()
    if len(query) > limits.MAX_SEARCH_QUERY_CHARS:
        violations.append(
            FieldViolation(
                "query", f"is {len(query)} characters long; the limit is {limits.MAX_SEARCH_QUERY_CHARS}"
            )
        )
    terms = list(dict.fromkeys(query.split()))
    if len(terms) > limits.MAX_SEARCH_TERMS:
        violations.append(
            FieldViolation("query", f"has {len(terms)} terms; the limit is {limits.MAX_SEARCH_TERMS}")
        )
    limit = request.page.page_size or limits.DEFAULT_PAGE_SIZE
    size_problem = paging.page_size_problem(request.page)
    if size_problem:
        violations.append(FieldViolation("page.page_size", size_problem))
    for name in ("decided_from", "decided_to"):
        value = getattr(request, name)
        if value and domain.parse_date(value) is None:
            violations.append(FieldViolation(name, "must be a date in the form YYYY-MM-DD"))
    for name, enum in (
        ("category", pb.DecisionCategory),
        ("penalty_kind", pb.PenaltyKind),
        ("status", pb.ResultStatus),
        ("sort", qpb.SearchSort),
    ):
        value = getattr(request, name)
        if value and value not in enum.values():
            violations.append(FieldViolation(name, f"unknown value {value}"))
    if violations:
        raise InvalidArgument(violations)
    filters = {
        "agency_code": request.agency_code,
        "region_code": request.region_code,
        "category": request.category,
        "penalty_kind": request.penalty_kind,
        "decided_from": request.decided_from,
        "decided_to": request.decided_to,
        "status": request.status,
    }
    # Newest first unless relevance is asked for: ranking must score every match, which
    # costs time on broad queries; newest-first stops at the page size.
    sort = request.sort or qpb.SEARCH_SORT_NEWEST
    return SearchQuery(terms, filters, sort, decode_offset(request.page.page_token), limit)


def encode_offset(offset: int) -> str:
    return paging.encode_token(f"o:{offset}")


def decode_offset(token: str) -> int:
    if not token:
        return 0
    (raw,) = paging.decode_token(token, 1)
    kind, _, value = raw.partition(":")
    try:
        offset = int(value)
    except ValueError as exc:
        raise invalid("page.page_token", paging.NOT_OURS) from exc
    if kind != "o" or not 0 <= offset <= limits.MAX_SEARCH_OFFSET:
        raise invalid(
            "page.page_token",
            f"{paging.NOT_OURS} (search pages go {limits.MAX_SEARCH_OFFSET} rows deep)",
        )
    return offset

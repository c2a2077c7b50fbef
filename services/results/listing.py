"""ListResults: the public list of records, newest decision first, with
cursor paging and a capped total, and the planner that builds its
statements once per request shape. Mixed into ResultsHandlers (handlers.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, literal_column, tuple_
from sqlmodel import select

from gongshi.v1 import results_pb2 as pb
from services.results import domain, records
from services.results.models import ResultRow
from services.runtime import limits, paging
from services.runtime.errors import invalid


class Listing:
    async def list_results(self, request: pb.ListResultsRequest) -> pb.ListResultsResponse:
        """Newest decision first (then id), cursor paging. `total` is exact up to
        LIST_COUNT_CAP and a lower bound beyond it (`total_is_lower_bound`), like
        search: an exact count of a million rows is ~95% of the call. See
        `_listing_statements` below."""
        page_size = paging.page_size(request.page)
        listing, params = _listing_statements(request, page_size, sqlite=self.db.is_sqlite)
        async with self.db.engine.connect() as conn:
            if listing.page_with_count is not None:  # one statement: the page, each row with the count
                rows = (await conn.execute(listing.page_with_count, params)).all()
                total = rows[0][3] if rows else (await conn.execute(listing.count, params)).scalar_one()
            else:
                total = (await conn.execute(listing.count, params)).scalar_one()
                page = listing.page_few if total <= LIST_COUNT_CAP else listing.page_many
                rows = (await conn.execute(page, params)).all()
        return _listing_response(rows, page_size, total)


def _encode_cursor(decision_date: str, result_id: str) -> str:
    return paging.encode_token(decision_date, result_id)


def _decode_cursor(token: str) -> tuple[str, str]:
    date, result_id = paging.decode_token(token, 2)
    if domain.parse_date(date) is None:
        raise invalid("page.page_token", paging.NOT_OURS)
    return date, result_id


# Totals of ListResults are exact up to this many records, then reported as a lower bound.
LIST_COUNT_CAP = limits.SEARCH_COUNT_CAP
_RESULTS = ResultRow.__table__


@dataclass(frozen=True)
class _Listing:
    """The statements of one shape of ListResults request (which filters, a cursor or not),
    built once with bound parameters: a call only binds its values."""

    count: object  # the count, capped at :count_cap (LIST_COUNT_CAP + 1)
    page_few: object  # the page when the count is at most LIST_COUNT_CAP
    page_many: object  # the page when it is more
    page_with_count: object | None  # the page with the count as a 4th column, when both pages are one


def _listing_statements(
    request: pb.ListResultsRequest, page_size: int, *, sqlite: bool
) -> tuple[_Listing, dict]:
    """The statements and parameters of one ListResults call (its filters validated)."""
    params: dict = {"limit": page_size + 1, "count_cap": LIST_COUNT_CAP + 1}
    for name in ("agency_code", "region_code", "category"):
        if getattr(request, name):
            params[name] = getattr(request, name)
    for name in ("decided_from", "decided_to"):
        value = getattr(request, name)
        if value:
            if domain.parse_date(value) is None:
                raise invalid(name, "must be a date in the form YYYY-MM-DD")
            params[name] = value
    if request.page.page_token:
        params["cursor_date"], params["cursor_id"] = _decode_cursor(request.page.page_token)
    key = (frozenset(params), sqlite)
    listing = _LISTING_SHAPES.get(key)
    if listing is None:
        listing = _LISTING_SHAPES[key] = _listing_shape(*key)
    return listing, params


_LISTING_SHAPES: dict[tuple[frozenset[str], bool], _Listing] = {}  # at most 2^6 shapes x 2 back-ends


def _listing_shape(names: frozenset[str], sqlite: bool) -> _Listing:
    """On SQLite (no ANALYZE needed):
    - no filter, or dates: the page walks ix_results_public_order, the count the covering
      (public, ...) index and stops at the cap; one statement does both;
    - an agency: page and count walk ix_results_agency_order (agency, date, id: the order);
    - a region: the count walks ix_results_region_code; the page walks the public order and
      stops at the page when the region holds more than the cap, else it sorts the region's
      (at most LIST_COUNT_CAP) rows from ix_results_region_code instead of walking past
      every other region's rows: the only case where the count comes first."""
    c = _RESULTS.c
    # `public` where SQLite must not pick an index by it: with an agency or a region filter
    # the index of that column is the one to walk (without statistics SQLite prefers the
    # (public, ...) indexes, which hold every public row).
    public_not_indexed = literal_column("+results.public") == 1
    public = c.public.is_(True)
    filters = [
        getattr(c, n) == bindparam(n) for n in ("agency_code", "region_code", "category") if n in names
    ]
    if "decided_from" in names:
        filters.append(c.decision_date >= bindparam("decided_from"))
    if "decided_to" in names:
        filters.append(c.decision_date <= bindparam("decided_to"))
    # Stable order: newest decision first, then id; the cursor is the last row seen.
    cursor = (
        [tuple_(c.decision_date, c.id) < tuple_(bindparam("cursor_date"), bindparam("cursor_id"))]
        if "cursor_date" in names
        else []
    )
    narrow = sqlite and bool({"agency_code", "region_code"} & names)
    capped = select(c.id).where(public_not_indexed if narrow else public, *filters)
    count = select(func.count()).select_from(capped.limit(bindparam("count_cap")).subquery())

    def page(by_own_index: bool, *columns):
        return (
            select(c.doc, c.decision_date, c.id, *columns)
            .where(public_not_indexed if sqlite and by_own_index else public, *filters, *cursor)
            .order_by(c.decision_date.desc(), c.id.desc())
            .limit(bindparam("limit"))
        )

    agency = "agency_code" in names
    if sqlite and "region_code" in names and not agency:
        return _Listing(count, page(True), page(False), None)
    return _Listing(count, page(agency), page(agency), page(agency, count.scalar_subquery()))


def _listing_response(rows, page_size: int, total: int) -> pb.ListResultsResponse:
    response = pb.ListResultsResponse(
        total=min(total, LIST_COUNT_CAP), total_is_lower_bound=total > LIST_COUNT_CAP
    )
    # The stored docs are Result messages: concatenated as field 1 they parse in one call.
    response.MergeFromString(
        b"".join(
            records.wrap_field(pb.ListResultsResponse.RESULTS_FIELD_NUMBER, row[0])
            for row in rows[:page_size]
        )
    )
    if len(rows) > page_size:
        last = rows[page_size - 1]
        response.next_page_token = _encode_cursor(last[1], last[2])
    return response

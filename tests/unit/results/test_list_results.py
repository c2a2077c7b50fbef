"""ListResults: a capped total (exact up to the cap, then a lower bound), the same pages
whichever index SQLite walks, on both back-ends."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from types import SimpleNamespace

import pytest
from sqlalchemy.dialects import sqlite as sqlite_dialect

from gongshi.v1 import common_pb2
from gongshi.v1 import results_pb2 as pb
from services.results import listing
from services.results.handlers import ResultsHandlers
from services.results.listing import _listing_statements
from services.results.models import ResultRow
from services.runtime.db import Database
from services.runtime.errors import InvalidArgument
from tests.support.results import result_row

NOW = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
AGENCIES = [("SCJG-A", "310101"), ("SCJG-B", "310101"), ("ZJJ-C", "440305"), ("ZJJ-D", "440306")]


def _results(count: int = 60, seed: int = 3) -> list[tuple[pb.Result, bool]]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        agency, region = rng.choice(AGENCIES[:3]) if n else AGENCIES[3]  # one region with one result
        result = pb.Result(
            id=f"r{rng.randint(0, 10**6):07d}{n:03d}",
            agency_code=agency,
            region_code=region,
            document_number=f"罚〔2026〕{n}号",
            category=rng.choice([pb.DECISION_CATEGORY_PENALTY, pb.DECISION_CATEGORY_LICENSING]),
            status=pb.RESULT_STATUS_PUBLISHED,
            decision_date=f"2026-{rng.randint(1, 11):02d}-01",  # many ties: the id decides
            facts=f"第{n}件",
        )
        out.append((result, rng.random() > 0.2))
    return out


@pytest.fixture
async def listed(db_url):
    results = _results()
    db = Database(db_url)
    await db.create_tables([ResultRow.__table__])
    async with db.transaction() as session:
        for result, public in results:
            session.add(result_row(result, public, NOW))
    yield ResultsHandlers(runtime=SimpleNamespace(db=db), agencies=None, indexer=None), results
    await db.dispose()


def _expected(results, request: pb.ListResultsRequest) -> list[str]:
    rows = [
        r
        for r, public in results
        if public
        and (not request.agency_code or r.agency_code == request.agency_code)
        and (not request.region_code or r.region_code == request.region_code)
        and (not request.category or r.category == request.category)
        and (not request.decided_from or r.decision_date >= request.decided_from)
        and (not request.decided_to or r.decision_date <= request.decided_to)
    ]
    rows.sort(key=lambda r: (r.decision_date, r.id), reverse=True)
    return [r.id for r in rows]


async def _pages(h: ResultsHandlers, request: pb.ListResultsRequest, page_size: int):
    ids, first, token = [], None, ""
    while True:
        page = pb.ListResultsRequest()
        page.CopyFrom(request)
        page.page.page_size, page.page.page_token = page_size, token
        reply = await h.list_results(page)
        first = first or reply
        ids += [r.id for r in reply.results]
        for r in reply.results:
            assert r.document_number and r.facts  # the stored public view, whole
        token = reply.next_page_token
        if not token:
            return ids, first


REQUESTS = [
    pb.ListResultsRequest(),
    pb.ListResultsRequest(agency_code="SCJG-A"),
    pb.ListResultsRequest(region_code="310101"),
    pb.ListResultsRequest(region_code="440306"),
    pb.ListResultsRequest(region_code="440305", category=pb.DECISION_CATEGORY_PENALTY),
    pb.ListResultsRequest(agency_code="SCJG-B", region_code="310101", decided_from="2026-03-01"),
    pb.ListResultsRequest(decided_from="2026-04-01", decided_to="2026-08-01"),
    pb.ListResultsRequest(agency_code="NOBODY"),
]


@pytest.mark.parametrize("cap", [5, 1000])
@pytest.mark.parametrize("index", range(len(REQUESTS)))
async def test_pages_and_capped_totals(listed, cap, index, monkeypatch):
    h, results = listed
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", cap)
    request = REQUESTS[index]
    expected = _expected(results, request)
    for page_size in (4, 200):
        ids, first = await _pages(h, request, page_size)
        assert ids == expected
        assert (first.total, first.total_is_lower_bound) == (min(len(expected), cap), len(expected) > cap)


async def test_bad_dates_and_cursors_are_refused(listed):
    h, _ = listed
    with pytest.raises(InvalidArgument) as bad:
        await h.list_results(pb.ListResultsRequest(decided_from="2026-13-01"))
    assert bad.value.violations[0].field == "decided_from"
    with pytest.raises(InvalidArgument) as bad:
        await h.list_results(pb.ListResultsRequest(page=common_pb2.PageRequest(page_token="nope")))
    assert bad.value.violations[0].field == "page.page_token"


def _plan(conn: sqlite3.Connection, statement, params: dict) -> str:
    compiled = statement.compile(dialect=sqlite_dialect.dialect())
    values = compiled.construct_params(params)
    args = [values[name] for name in compiled.positiontup]
    return " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + str(compiled), args))


async def test_sqlite_walks_the_index_of_the_filter_without_statistics(tmp_path):
    path = tmp_path / "list.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.create_tables([ResultRow.__table__])
    await db.dispose()
    conn = sqlite3.connect(path)
    try:
        every, params = _listing_statements(pb.ListResultsRequest(), 20, sqlite=True)
        assert "ix_results_public_order" in _plan(conn, every.page_with_count, params)
        count = _plan(conn, every.count, params)
        assert "COVERING INDEX" in count and "TEMP B-TREE" not in count
        request = pb.ListResultsRequest(agency_code="A", page=common_pb2.PageRequest(page_token=_token()))
        agency, params = _listing_statements(request, 20, sqlite=True)
        assert "ix_results_agency_order" in _plan(conn, agency.page_with_count, params)
        assert "TEMP B-TREE" not in _plan(conn, agency.page_with_count, params)
        region, params = _listing_statements(pb.ListResultsRequest(region_code="310101"), 20, sqlite=True)
        assert region.page_with_count is None  # the page's plan depends on the count
        assert "ix_results_region_code" in _plan(conn, region.count, params)
        assert "ix_results_region_code" in _plan(conn, region.page_few, params)  # sort the region's rows
        assert "ix_results_public_order" in _plan(conn, region.page_many, params)  # walk, stop at the page
    finally:
        conn.close()


def _token() -> str:
    return listing._encode_cursor("2026-11-01", "r1")

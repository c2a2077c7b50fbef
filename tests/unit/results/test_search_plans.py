"""Search at scale runs one of several plans on SQLite (FTS rowids first for rare words,
a walk along an index with LIKE for common ones, a capped count from FTS with a fallback):
whichever runs, the hits, their order, the pages and the capped total must be the same,
and the same as on PostgreSQL. Checked against a plain Python reading of the request."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3

import pytest
from sqlalchemy import text

from gongshi.v1 import common_pb2
from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb
from services.results import domain, search_index, search_plan
from services.results.models import ResultRow
from services.results.search import ResultSearch
from services.results.search_index import ResultSearchRow
from services.results.search_plan import like_equivalent
from services.results.search_request import parse_request
from services.runtime import limits
from services.runtime.db import Database
from services.runtime.errors import InvalidArgument
from tests.support.results import result_row

NOW = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
AGENCIES = [("SCJG-A", "310101"), ("SCJG-B", "310101"), ("ZJJ-C", "440305")]
PHRASES = ["超过保质期的食品", "虚假广告", "未取得施工许可证擅自施工", "特种设备", "ABC贸易有限公司", "KASSE"]
KINDS = [pb.PENALTY_KIND_FINE, pb.PENALTY_KIND_CONFISCATION, pb.PENALTY_KIND_WARNING]


def _results(seed: int = 7, count: int = 80) -> list[tuple[pb.Result, bool]]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        agency, region = rng.choice(AGENCIES)
        words = rng.sample(PHRASES, rng.randint(1, 3))
        result = pb.Result(
            id=f"r{n:04d}",
            agency_code=agency,
            region_code=region,
            document_number=f"沪罚〔2026〕{n}号",
            category=rng.choice([pb.DECISION_CATEGORY_PENALTY, pb.DECISION_CATEGORY_LICENSING]),
            status=rng.choice(domain.PUBLIC_STATUSES),
            party=pb.PublicParty(name=f"上海{rng.choice(['鑫源', '华泰', '海纳'])}公司"),
            facts="经查，当事人" + "，".join(words) + "。",
            conclusion=rng.choice(["罚款人民币五万元。", "警告。", "没收违法所得。"]),
            # few dates: ties are broken by the search row's seq
            decision_date=f"2026-{rng.randint(1, 11):02d}-{rng.choice([1, 15]):02d}",
            fine_amount_fen=rng.choice([0, 100_000, 5_000_000, 10_000_000]),
        )
        result.penalty_kinds.extend(rng.sample(KINDS, rng.randint(0, 2)))
        out.append((result, rng.random() > 0.15))
    return out


async def _database(url: str, results) -> Database:
    db = Database(url)
    await db.create_tables([ResultRow.__table__, ResultSearchRow.__table__])
    async with db.transaction() as session:
        for result, public in results:
            session.add(result_row(result, public, NOW))
            await session.flush()
            conn = await session.connection()
            await conn.execute(
                ResultSearchRow.__table__.insert().values(**search_index.facets(result, public))
            )
    return db


@pytest.fixture
async def searched(db_url):
    results = _results()
    db = await _database(db_url, results)
    async with db.engine.connect() as conn:
        seq = dict((await conn.execute(text("SELECT result_id, seq FROM results_search"))).all())
    yield db, results, seq
    await db.dispose()


def _request(query="", sort=0, page_size=200, page_token="", **filters) -> qpb.SearchResultsRequest:
    return qpb.SearchResultsRequest(
        query=query,
        sort=sort,
        page=common_pb2.PageRequest(page_size=page_size, page_token=page_token),
        **filters,
    )


def _expected(results, seq, request: qpb.SearchResultsRequest) -> list[str]:
    """The request read literally: public rows containing every term (case folded), the filters, the order."""
    terms = request.query.split()
    found = []
    for result, public in results:
        text_ = search_index.search_text(result).casefold()
        if not public or not all(t.casefold() in text_ for t in terms):
            continue
        if request.agency_code and result.agency_code != request.agency_code:
            continue
        if request.region_code and result.region_code != request.region_code:
            continue
        if request.category and result.category != request.category:
            continue
        if request.penalty_kind and request.penalty_kind not in result.penalty_kinds:
            continue
        if request.status and result.status != request.status:
            continue
        if request.decided_from and result.decision_date < request.decided_from:
            continue
        if request.decided_to and result.decision_date > request.decided_to:
            continue
        found.append(result)
    if request.sort == qpb.SEARCH_SORT_OLDEST:
        found.sort(key=lambda r: (r.decision_date, seq[r.id]))
    elif request.sort == qpb.SEARCH_SORT_FINE:
        found.sort(key=lambda r: (r.fine_amount_fen, r.decision_date, seq[r.id]), reverse=True)
    else:
        found.sort(key=lambda r: (r.decision_date, seq[r.id]), reverse=True)
    return [r.id for r in found]


async def _pages(searcher: ResultSearch, request: qpb.SearchResultsRequest, page_size: int = 3):
    ids, first = [], None
    token = ""
    while True:
        page = qpb.SearchResultsRequest()
        page.CopyFrom(request)
        page.page.page_size, page.page.page_token = page_size, token
        reply = await searcher.search(page)
        first = first or reply
        ids += [h.result.id for h in reply.hits]
        token = reply.next_page_token
        if not token:
            return ids, first


# Plans forced on SQLite: FTS rowids first; a walk with LIKE (or the FTS rowid list) and a
# count from FTS; the same with the count falling back to the filters' index.
PLANS = {
    "fts_first": {"FTS_DRIVE_MAX": 10**6},
    "walk": {"FTS_DRIVE_MAX": 0},
    "walk_count_fallback": {"FTS_DRIVE_MAX": 0, "FTS_COUNT_BUDGET": 1},
}

REQUESTS = [
    _request("超过保质期"),
    _request("虚假广告 罚款"),
    _request("施工许可", agency_code="SCJG-A"),
    _request("特种设备", region_code="310101", sort=qpb.SEARCH_SORT_OLDEST),
    _request("abc贸易", decided_from="2026-04-01", decided_to="2026-09-30"),  # ASCII folded, LIKE-safe
    _request("kasse"),  # k and s: FTS5 also folds the KELVIN SIGN and LONG S, so no LIKE
    _request("鑫源"),  # two characters: LIKE in every plan
    _request("超过保质期 食品 肉", category=pb.DECISION_CATEGORY_PENALTY),
    _request("广告", penalty_kind=pb.PENALTY_KIND_FINE, status=pb.RESULT_STATUS_CORRECTED),
    _request("超过保质期", sort=qpb.SEARCH_SORT_FINE),
    _request(region_code="440305", sort=qpb.SEARCH_SORT_FINE),
    _request(agency_code="SCJG-B"),
    _request("量子计算机"),
]


@pytest.mark.parametrize("plan", sorted(PLANS))
@pytest.mark.parametrize("request_index", range(len(REQUESTS)))
async def test_every_plan_finds_the_same_hits_in_the_same_order(searched, plan, request_index, monkeypatch):
    db, results, seq = searched
    for name, value in PLANS[plan].items():
        monkeypatch.setattr(search_plan, name, value)
    request = REQUESTS[request_index]
    expected = _expected(results, seq, request)
    reply = await ResultSearch(db).search(request)
    assert [h.result.id for h in reply.hits] == expected
    assert (reply.total, reply.total_is_lower_bound) == (len(expected), False)
    for hit in reply.hits:
        assert hit.result.status in domain.PUBLIC_STATUSES and hit.snippet


@pytest.mark.parametrize("plan", sorted(PLANS))
async def test_pages_and_capped_totals_hold_in_every_plan(searched, plan, monkeypatch):
    db, results, seq = searched
    for name, value in PLANS[plan].items():
        monkeypatch.setattr(search_plan, name, value)
    monkeypatch.setattr(limits, "SEARCH_COUNT_CAP", 5)
    searcher = ResultSearch(db)
    for request in (
        _request("超过保质期"),
        _request("食品", region_code="310101"),
        _request("超过保质期 虚假广告"),
    ):
        expected = _expected(results, seq, request)
        assert len(expected) > 5
        ids, first = await _pages(searcher, request)
        assert ids == expected
        assert (first.total, first.total_is_lower_bound) == (5, True)


async def test_relevance_ranks_every_match_and_only_matches(searched):
    db, results, seq = searched
    request = _request("超过保质期", sort=qpb.SEARCH_SORT_RELEVANCE)
    reply = await ResultSearch(db).search(request)
    assert sorted(h.result.id for h in reply.hits) == sorted(_expected(results, seq, request))


async def test_sorting_every_match_is_refused_over_the_cap(searched, monkeypatch):
    db, results, seq = searched
    assert search_plan.SORT_CAP == limits.SEARCH_SORT_CAP  # the named limit is the one applied
    monkeypatch.setattr(search_plan, "SORT_CAP", 3)
    searcher = ResultSearch(db)
    for request in (
        _request("超过保质期", sort=qpb.SEARCH_SORT_FINE),
        _request("超过保质期", sort=qpb.SEARCH_SORT_RELEVANCE),
        _request(sort=qpb.SEARCH_SORT_FINE),
        _request("罚款", sort=qpb.SEARCH_SORT_RELEVANCE),
    ):
        with pytest.raises(InvalidArgument) as refused:
            await searcher.search(request)
        assert refused.value.violations[0].field == "sort"
        assert "10,000" not in str(refused.value.violations[0].description)  # says the cap in force
    # Narrow enough: sorted as asked; newest first works at any size.
    narrow = _request("施工许可", agency_code="SCJG-A", decided_from="2026-10-01", sort=qpb.SEARCH_SORT_FINE)
    expected = _expected(results, seq, narrow)
    if len(expected) <= 3:
        assert [h.result.id for h in (await searcher.search(narrow)).hits] == expected
    assert len((await searcher.search(_request("超过保质期"))).hits) > 3


def test_like_is_used_only_where_it_matches_what_fts_matches():
    assert like_equivalent("超过保质期") and like_equivalent("沪罚〔2026〕1号") and like_equivalent("ABC贸易")
    for term in ("kasse", "Süd", "Äpfel", "ＡＢＣ", "ΣΑΣ", "a\ufffdb"):
        assert not like_equivalent(term), term


def test_like_equivalent_terms_match_like_the_trigram_index():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(t, tokenize='trigram')")
    texts = [
        "ABC贸易公司",
        "abc贸易",
        "aBc贸易",
        "Kasse",
        "\u212aasse",
        "ſüß",
        "Äpfel",
        "äpfel",
        "超过保质期",
    ]
    conn.executemany("INSERT INTO f(rowid, t) VALUES (?, ?)", list(enumerate(texts)))
    for term in ("abc贸易", "ABC", "kasse", "Äpf", "äpf", "保质期", "ſüß"):
        by_fts = {
            r
            for (r,) in conn.execute("SELECT rowid FROM f WHERE f MATCH ?", (search_plan._fts_phrase(term),))
        }
        by_like = {
            i for i, t in enumerate(texts) if conn.execute("SELECT ? LIKE ?", (t, f"%{term}%")).fetchone()[0]
        }
        assert (by_fts == by_like) or not like_equivalent(term), term


async def test_fts_semantics_are_kept_for_terms_like_cannot_match(tmp_path, monkeypatch):
    """SQLite only: FTS5 folds Ä into ä; LIKE would not. Both plans find it."""
    results = [
        (
            pb.Result(
                id=f"u{n}", document_number=f"N{n}", facts=f"Äpfel {n} 超过保质期", decision_date="2026-11-01"
            ),
            True,
        )
        for n in range(6)
    ]
    db = await _database(f"sqlite+aiosqlite:///{tmp_path / 'u.db'}", results)
    try:
        for plan in PLANS.values():
            for name in ("FTS_DRIVE_MAX", "FTS_COUNT_BUDGET"):
                monkeypatch.setattr(search_plan, name, plan.get(name, getattr(search_plan, name)))
            reply = await ResultSearch(db).search(_request("äpfel"))
            assert reply.total == 6, plan
    finally:
        await db.dispose()


def _statements(request: qpb.SearchResultsRequest, conn: sqlite3.Connection) -> list[str]:
    steps = search_plan.search_steps(parse_request(request), "sqlite")
    rows, seen = None, []
    try:
        while True:
            sql, params = steps.send(rows)
            plan = " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
            seen.append((sql, plan))
            rows = conn.execute(sql, params).fetchall()
    except StopIteration:
        return seen


@pytest.mark.parametrize("analyzed", [False, True])
async def test_sqlite_plans_use_the_primary_key_for_docs_and_fts_first_for_rare_words(tmp_path, analyzed):
    path = tmp_path / "plans.db"
    db = await _database(f"sqlite+aiosqlite:///{path}", _results(count=40))
    if analyzed:
        assert "results" in await db.optimize()
    await db.dispose()
    conn = sqlite3.connect(path)
    try:
        statements = _statements(_request("超过保质期", agency_code="SCJG-A"), conn)
        docs = [plan for sql, plan in statements if sql.startswith("SELECT id, doc, public FROM results")]
        assert docs and "ix_results_expiry_scan" not in docs[0] and "public" not in docs[0]
        assert "sqlite_autoindex_results_1" in docs[0] or "PRIMARY KEY" in docs[0]
        # Rare words (here: all of them, under FTS_DRIVE_MAX): the FTS rowids lead, then the row by its key.
        page = next(plan for sql, plan in statements if "ORDER BY" in sql)
        assert page.index("results_search_fts") < page.index("INTEGER PRIMARY KEY")
    finally:
        conn.close()


async def test_sqlite_walks_use_the_agency_or_region_index(tmp_path, monkeypatch):
    monkeypatch.setattr(search_plan, "FTS_DRIVE_MAX", 0)
    path = tmp_path / "walk.db"
    db = await _database(f"sqlite+aiosqlite:///{path}", _results(count=40))
    await db.dispose()
    conn = sqlite3.connect(path)
    try:
        for request, index in (
            (_request("超过保质期", agency_code="SCJG-A"), "ix_results_search_agency"),
            (_request("超过保质期", region_code="310101"), "ix_results_search_region"),
            (_request("超过保质期"), "ix_results_search_order"),
        ):
            page = next(plan for sql, plan in _statements(request, conn) if "ORDER BY" in sql)
            assert index in page and "TEMP B-TREE" not in page, page
    finally:
        conn.close()


async def test_short_words_prove_the_cap_from_the_trigram_index(tmp_path, monkeypatch):
    """1–2 character words: the page's hits show which trigrams hold them; the rows with any
    of those are a subset of the matches, counted from the FTS index instead of row by row."""
    monkeypatch.setattr(limits, "SEARCH_COUNT_CAP", 3)
    path = tmp_path / "short.db"
    results = _results()
    db = await _database(f"sqlite+aiosqlite:///{path}", results)
    try:
        reply = await ResultSearch(db).search(_request("食品", page_size=2))
        assert (reply.total, reply.total_is_lower_bound) == (3, True)
    finally:
        await db.dispose()
    conn = sqlite3.connect(path)
    try:
        statements = [sql for sql, _plan in _statements(_request("食品", page_size=2), conn)]
        assert len(statements) == 3 and "MATCH" in statements[1]  # page, subset count, docs
        # Under the cap the subset proves nothing: the exact count row by row follows.
        monkeypatch.setattr(limits, "SEARCH_COUNT_CAP", 1000)
        statements = [sql for sql, _plan in _statements(_request("食品", page_size=2), conn)]
        assert len(statements) == 4 and "MATCH" not in statements[2]
    finally:
        conn.close()

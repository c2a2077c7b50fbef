"""The search mix of search_1m (and of its bare reference): what citizens type
into the portal's search box, alone or with the portal's filters.

Terms of three or more characters go through the FTS5 trigram index; one- and
two-character terms (食品, 罚款) are matched with LIKE in the requested order;
a few terms match most of the 1M records (有限公司), a few match none.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
import time
from pathlib import Path

from bench.platform._decisions import AGENCIES
from gongshi.v1 import common_pb2
from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb

PAGE_SIZE = 20


def queries(rows: int, today: dt.date | None = None) -> list[tuple[str, qpb.SearchResultsRequest]]:
    """(label, request) pairs; ``rows`` picks document numbers that exist in the data set."""
    today = today or dt.date.today()
    recent = (today - dt.timedelta(days=60)).isoformat()
    quarter = (today - dt.timedelta(days=90)).isoformat()
    sh, gz, hz = AGENCIES[0], AGENCIES[3], AGENCIES[5]
    j = rows // 2 - rows // 2 % len(AGENCIES)  # a record of AGENCIES[0], half-way through the data set

    def q(query: str = "", page_token: str = "", **filters) -> qpb.SearchResultsRequest:
        page = common_pb2.PageRequest(page_size=PAGE_SIZE, page_token=page_token)
        return qpb.SearchResultsRequest(page=page, query=query, **filters)

    return [
        ("phrase 超过保质期", q("超过保质期")),
        (
            "phrase 虚假广告 + category + from",
            q("虚假广告", category=pb.DECISION_CATEGORY_PENALTY, decided_from=quarter),
        ),
        ("two terms 电动自行车 充电器", q("电动自行车 充电器")),
        ("phrase 危险化学品 + agency", q("危险化学品", agency_code=gz.code)),
        ("phrase 大气污染防治法 + region", q("大气污染防治法", region_code=hz.region_code)),
        ("document number", q(f"{sh.short}〔{today.year}〕{j}号")),
        ("phrase 特种设备 + penalty kind", q("特种设备", penalty_kind=pb.PENALTY_KIND_LICENCE_REVOCATION)),
        (
            "phrase 明码标价, newest, last 60 days",
            q("明码标价", sort=qpb.SEARCH_SORT_NEWEST, decided_from=recent),
        ),
        ("company name 华泰餐饮管理", q("华泰餐饮管理")),
        ("no match 量子计算机", q("量子计算机")),
        ("two-char 食品 + region", q("食品", region_code=sh.region_code)),
        ("two-char 罚款", q("罚款")),
        ("two-char 鑫源 + from", q("鑫源", decided_from=recent)),
        ("broad 有限公司", q("有限公司")),
        ("broad 中华人民共和国, largest fine", q("中华人民共和国", sort=qpb.SEARCH_SORT_FINE)),
        (
            "filters only: region + category",
            q(region_code=gz.region_code, category=pb.DECISION_CATEGORY_PENALTY),
        ),
        ("filters only: agency, oldest", q(agency_code=sh.code, sort=qpb.SEARCH_SORT_OLDEST)),
        (
            "filters only: penalty kind + dates",
            q(penalty_kind=pb.PENALTY_KIND_CONFISCATION, decided_from=quarter),
        ),
        ("page 3 of 食品安全法", q("食品安全法", page_token=_offset(40))),
        (
            "phrase 施工许可 + region + from",
            q("施工许可", region_code=AGENCIES[7].region_code, decided_from=quarter),
        ),
    ]


def _offset(n: int) -> str:
    from services.results.search_request import encode_offset

    return encode_offset(n)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


# A query slower than this counts as this long (censored): at 1M rows some statements of
# the current search SQL run for minutes, and a run must stay bounded. The RPC of such a
# query is not sent at all, so no orphaned statement keeps the service busy afterwards.
DEADLINE_MS = 2000.0
_too_slow: dict[Path, frozenset[str]] = {}


def run_sql(conn: sqlite3.Connection, request, deadline_ms: float = DEADLINE_MS) -> float:
    """Run the statements the results service issues for ``request`` with plain sqlite3
    (services.results.search_plan.search_steps: the same generator drives the service); return
    the milliseconds taken, or ``deadline_ms`` if it was interrupted there. A request the
    service refuses (e.g. a fine sort over too many matches) counts the time to refuse."""
    from services.results.search_plan import search_steps
    from services.results.search_request import parse_request
    from services.runtime.errors import InvalidArgument

    start = time.perf_counter()
    conn.set_progress_handler(lambda: (time.perf_counter() - start) * 1000 > deadline_ms, 1000)
    try:
        steps = search_steps(parse_request(request), "sqlite")
        rows = None
        while True:
            sql, params = steps.send(rows)
            rows = conn.execute(sql, params).fetchall()
    except (StopIteration, InvalidArgument):
        pass
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
        return deadline_ms
    finally:
        conn.set_progress_handler(None, 0)
    return (time.perf_counter() - start) * 1000


def too_slow(path: Path, mix: list[tuple[str, object]]) -> frozenset[str]:
    """Labels of the queries whose SQL alone exceeds DEADLINE_MS on this file (probed once
    per bench process with plain sqlite3, shared by bare_sqlite_search and search_1m)."""
    if path not in _too_slow:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            _too_slow[path] = frozenset(label for label, r in mix if run_sql(conn, r) >= DEADLINE_MS)
        finally:
            conn.close()
    return _too_slow[path]

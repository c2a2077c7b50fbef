"""bare_sqlite_search: the SQL of one search, run by plain sqlite3 on the 1M-result file.

The statements are exactly those services/results/search_plan.py yields for the
search_1m mix: the same generator (`search_steps`) yields them to the service and
to this benchmark (the FTS5 probe, the page from the FTS rowids or along an index,
the capped count, the docs of the page by primary key), so the ratio of search_1m
to this is what the service adds on top of SQLite: gRPC, SQLAlchemy + aiosqlite,
protobuf and snippets. A query whose SQL exceeds DEADLINE_MS is interrupted and
counted at DEADLINE_MS; a sort the service refuses counts the time to refuse.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from bench.harness import Benchmark, Extra, Measurement, RunContext, register
from bench.platform._data import results_db, search_rows
from bench.platform._queries import DEADLINE_MS, percentile, queries, run_sql, too_slow


@contextlib.contextmanager
def search_db(ctx: RunContext) -> Iterator[tuple[Path, int]]:
    rows = search_rows(ctx.quick)
    yield results_db(rows), rows


def run(ctx: RunContext) -> Measurement:
    path, rows = ctx.fixture
    mix = queries(rows)
    slow = too_slow(path, mix)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    latencies: list[float] = []
    try:
        deadline = time.perf_counter() + ctx.seconds
        passes = 0
        while passes == 0 or time.perf_counter() < deadline:
            latencies += [DEADLINE_MS if label in slow else run_sql(conn, r) for label, r in mix]
            passes += 1
    finally:
        conn.close()
    return Measurement(
        percentile(latencies, 95),
        {
            "bare_sqlite_search_p50": percentile(latencies, 50),
            "bare_sqlite_search_censored": 100 * sum(v >= DEADLINE_MS for v in latencies) / len(latencies),
        },
    )


register(
    Benchmark(
        key="bare_sqlite_search",
        unit="ms",
        run=run,
        fixture=search_db,
        higher_is_better=False,
        description=(
            "p95 latency of the SQL of the search_1m mix (services.results.search_plan.search_steps: FTS5 "
            "probe, page, capped count, docs of the page) by plain sqlite3 on the cached 1M-result file, one "
            "query at a time; queries slower "
            f"than {DEADLINE_MS:,.0f} ms are interrupted and counted at {DEADLINE_MS:,.0f} ms"
        ),
        extras=(
            Extra("bare_sqlite_search_p50", "ms", higher_is_better=False, description="p50 of the same"),
            Extra(
                "bare_sqlite_search_censored",
                "%",
                higher_is_better=False,
                description=f"share of queries cut off at {DEADLINE_MS:,.0f} ms",
            ),
        ),
    )
)

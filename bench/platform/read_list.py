"""read_list: GET /api/v1/results (a page of 20) through the gateway and the gRPC hop.

The platform runs on a copy of the cached 10,000-result file; the gateway runs
as `gongshi run` starts it (uvicorn, uvloop + httptools, one process), the
same server flavour as its reference bare_http_list_fast. Load comes from
`wrk -t2 -c64`, as for the reference. Nothing is written during the run, so
after the first request every one is answered from the gateway's read cache
(gateway/cached_reads.py: the stored bytes, X-Cache: hit), as a public page is
between two changes. The first request (the fixture's check) is the miss: one
ListResults gRPC call to the results service (one statement: an indexed page
query with the count of public results, capped at 1,000) and the page spliced
from the records' encoded JSON.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import urllib.request
from collections.abc import Iterator

from bench.harness import Benchmark, RunContext, register
from bench.platform._data import LIST_ROWS, results_db
from bench.platform._platform import BenchPlatform, running_platform
from bench.records import LIST_SIZE
from bench.wrk import WRK_CONNECTIONS, WRK_THREADS, ensure_wrk, run_wrk

PATH = f"/api/v1/results?limit={LIST_SIZE}"


@contextlib.contextmanager
def list_platform(ctx: RunContext) -> Iterator[BenchPlatform]:
    ensure_wrk()  # fail (with a clear message) before starting anything
    data_dir = ctx.data_dir / "platform"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    copy = data_dir / "results.db"
    shutil.copyfile(results_db(LIST_ROWS), copy)
    with running_platform(data_dir, results_db=copy, keep_data=True) as platform:
        with urllib.request.urlopen(platform.http_url + PATH, timeout=30) as response:
            page = json.load(response)
        # The total is exact up to the service's cap (1,000), then a lower bound.
        complete = page["total"] >= LIST_ROWS or page.get("total_is_lower_bound")
        if len(page["data"]) != LIST_SIZE or not complete:
            raise RuntimeError(
                f"expected {LIST_SIZE} of {LIST_ROWS} results, got {len(page['data'])}/{page['total']}"
            )
        yield platform


# wrk's 2 s default would fail a run on a busy machine; a slow answer is still an answer.
TIMEOUT_SECONDS = 10.0


def run(ctx: RunContext) -> float:
    return run_wrk(ctx.fixture.http_url + PATH, ctx.seconds, timeout=TIMEOUT_SECONDS)


register(
    Benchmark(
        key="read_list",
        unit="req/s",
        run=run,
        fixture=list_platform,
        reference_key="bare_http_list_fast",
        target=">= 0.35x bare",
        target_ratio=0.35,
        description=(
            f"GET {PATH} at the gateway (uvicorn, uvloop + httptools, one process) -> ResultsService."
            f"ListResults over gRPC, {LIST_ROWS:,} published results stored; wrk -t{WRK_THREADS} "
            f"-c{WRK_CONNECTIONS}"
        ),
    )
)

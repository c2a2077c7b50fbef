"""bare_http_list_h11 / bare_http_list_fast: Starlette + uvicorn (one worker) under wrk."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from bench.harness import Benchmark, RunContext, register
from bench.records import LIST_SIZE
from bench.servers import Server, free_port, python_module, spawn
from bench.wrk import WRK_CONNECTIONS, WRK_THREADS, ensure_wrk, run_wrk

PATH = "/records"


def uvicorn_server(loop: str, http: str) -> Callable[[RunContext], contextlib.AbstractContextManager[Server]]:
    @contextlib.contextmanager
    def fixture(ctx: RunContext) -> Iterator[Server]:
        ensure_wrk()  # fail (with a clear message) before starting anything
        port = free_port()
        argv = python_module(
            "uvicorn", "bench.apps.http_list:app",
            "--host", "127.0.0.1", "--port", str(port),
            "--loop", loop, "--http", http,
            "--workers", "1", "--log-level", "warning", "--no-access-log",
        )  # fmt: skip
        with spawn(f"uvicorn-{loop}-{http}", argv, port) as server:
            yield server

    return fixture


def run_list(ctx: RunContext) -> float:
    return run_wrk(f"http://{ctx.fixture.address}{PATH}", ctx.seconds)


for key, loop, http in (
    ("bare_http_list_h11", "asyncio", "h11"),
    ("bare_http_list_fast", "uvloop", "httptools"),
):
    register(
        Benchmark(
            key=key,
            unit="req/s",
            run=run_list,
            fixture=uvicorn_server(loop, http),
            description=(
                f"bare Starlette GET of a {LIST_SIZE}-record JSON list (12 fields, Chinese text) under "
                f"uvicorn --loop {loop} --http {http}, one worker; wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}"
            ),
        )
    )

"""bare_startup / bare_footprint: the platform's process layout with bare apps.

Six processes, started the way the launcher starts the platform (NATS first,
then four servers together, then the HTTP app): a JetStream nats-server, four
bare grpc.aio echo servers (bench/apps/grpc_echo.py) and the bare Starlette
app under uvicorn (uvloop + httptools). bare_startup is the time until every
one listens; bare_footprint the resident memory of all six once idle. What
startup and footprint add over these is Gongshi: its imports, its runtime
(database engine, NATS client, consumers, relay, telemetry) and its data.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time

from bench.harness import REPO_ROOT, Benchmark, Extra, Measurement, RunContext, register
from bench.platform._platform import footprint_mb
from bench.servers import HOST, LOG_DIR, NATS_SERVER, free_port, stop

SETTLE_SECONDS = 3.0  # idle time before memory is read (as for footprint)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


def _start(name: str, argv: list[str]) -> subprocess.Popen[bytes]:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOG_DIR / f"bare-{name}.log", "wb") as log:
        return subprocess.Popen(
            argv, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )


def _wait(procs: dict[str, tuple[subprocess.Popen[bytes], int]], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    waiting = dict(procs)
    while waiting:
        for name, (proc, port) in list(waiting.items()):
            if proc.poll() is not None:
                raise RuntimeError(f"bare {name} exited with {proc.returncode}")
            if _listening(port):
                del waiting[name]
        if time.monotonic() > deadline:
            raise TimeoutError(f"not listening after {timeout}s: {sorted(waiting)}")
        time.sleep(0.02)


def run(ctx: RunContext) -> Measurement:
    store = ctx.data_dir / "jetstream"
    shutil.rmtree(store, ignore_errors=True)
    procs: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    try:
        start = time.perf_counter()
        port = free_port()
        nats_argv = [str(NATS_SERVER), "-js", "-a", HOST, "-p", str(port), "-sd", str(store)]
        procs["nats"] = (_start("nats", nats_argv), port)
        _wait({"nats": procs["nats"]})
        servers = {}
        for name in ("duties", "procedures", "results", "feedback"):
            port = free_port()
            argv = [sys.executable, "-m", "bench.apps.grpc_echo", "--port", str(port)]
            servers[name] = (_start(name, argv), port)
        procs |= servers
        _wait(servers)
        port = free_port()
        argv = [
            sys.executable, "-m", "uvicorn", "bench.apps.http_list:app", "--host", HOST, "--port", str(port),
            "--loop", "uvloop", "--http", "httptools", "--log-level", "warning",
        ]  # fmt: skip
        procs["gateway"] = (_start("gateway", argv), port)
        _wait({"gateway": procs["gateway"]})
        started = time.perf_counter() - start
        time.sleep(SETTLE_SECONDS)
        rss, _, _ = footprint_mb({name: proc.pid for name, (proc, _) in procs.items()})
    finally:
        for proc, _ in reversed(list(procs.values())):
            stop(proc)
        shutil.rmtree(store, ignore_errors=True)
    return Measurement(started, {"bare_footprint": rss})


register(
    Benchmark(
        key="bare_startup",
        unit="s",
        run=run,
        higher_is_better=False,
        description=(
            "nats-server -js, then 4 bare grpc.aio echo servers together, then the bare Starlette app under "
            "uvicorn (uvloop, httptools), as the launcher orders the platform; seconds until each listens"
        ),
        extras=(
            Extra(
                "bare_footprint",
                "MB",
                higher_is_better=False,
                description=f"RSS sum of the six processes, {SETTLE_SECONDS:g} s after the last one listens",
            ),
        ),
    )
)

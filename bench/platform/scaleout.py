"""scaleout_*: what a second process buys, on one PostgreSQL database.

One platform, started once, with the results service on PostgreSQL (a fresh
database on GONGSHI_BENCH_PG_DSN's server, dropped afterwards; the other
services on SQLite as usual), a second results replica on the same database
(tests/trust/test_replicas.py's layout) and a second gateway process (its own
GONGSHI_GATEWAY_NAME, its own small gateway.db, dialling the second replica).
Each run measures four figures one after the other, so the 1-process and the
2-process figures share the machine's load of that moment:

- ingest r1: PublishDecision, 64 in flight (as ingest_unary), all to replica 1;
- ingest r2: the same 64 calls, half to each replica;
- read g1: wrk -t2 -c64 on GET /api/v1/results?limit=20 at gateway 1 (as read_list);
- read g2: two wrk -t1 -c32 at once, one per gateway, their req/s summed.

The second replica and gateway idle (relay and index polls) while the 1-process
figures are taken. The load comes from two agencies, 32 calls each, and in r2
each agency's calls go to one replica: an agency's chain head is locked per
publish (FOR UPDATE), and an agency's system keeps one long-lived channel to
one replica, so this is the shape a deployment sees.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import secrets
import shutil
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import grpc

from bench.harness import Benchmark, Extra, Measurement, RunContext, Skipped, register
from bench.load import closed_loop
from bench.platform._cpu import CpuMeter
from bench.platform._decisions import AGENCIES, Agency, decision
from bench.platform._platform import BenchPlatform, auth, bench_settings, platform_env, stop_platform
from bench.platform.ingest import CHANNEL_OPTIONS, UNARY_IN_FLIGHT
from bench.records import LIST_SIZE
from bench.servers import free_port
from bench.wrk import WRK_CONNECTIONS, WRK_THREADS, ensure_wrk, run_wrk
from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from services.launcher import Part, Platform, grpc_healthy, http_healthy

PG_DSN = os.environ.get("GONGSHI_BENCH_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
PATH = f"/api/v1/results?limit={LIST_SIZE}"
# Enough public results that the list's count reaches the service's cap (1,000) before
# the first read: the read figures then do not depend on how much the ingest runs added.
SEED_ROWS = 1_200
READ_TIMEOUT_SECONDS = 10.0  # as read_list: a slow answer on a busy machine is still an answer
_runs = itertools.count(1)


# ------------------------------------------------------------------ PostgreSQL


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_DSN, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def pg_backends(database: str) -> list[int]:
    """The server processes serving connections to ``database`` (on this machine)."""

    async def query() -> list[int]:
        import asyncpg

        conn = await asyncpg.connect(PG_DSN, timeout=5)
        try:
            rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", database)
        finally:
            await conn.close()
        return [row["pid"] for row in rows]

    return asyncio.run(query())


@contextlib.contextmanager
def pg_database() -> Iterator[str]:
    """A fresh database on the server for the results service (SQLAlchemy URL), dropped after."""
    try:
        asyncio.run(_pg_admin("SELECT 1"))
    except Exception as exc:
        raise Skipped(
            f"PostgreSQL is not reachable at {PG_DSN} ({type(exc).__name__}: {exc}); the scale-out "
            "figures need it (start it, or point GONGSHI_BENCH_PG_DSN at one)"
        ) from exc
    name = f"gongshi_bench_{secrets.token_hex(4)}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    base = PG_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with contextlib.suppress(Exception):
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# ------------------------------------------------------------------ the platform


@dataclass
class ScaleOut:
    platform: BenchPlatform
    replica_addr: str  # the second results replica
    gateway2_url: str  # the second gateway (dials the second replica)
    agencies: tuple[Agency, Agency]
    tokens: dict[str, str]
    meter: CpuMeter  # results (both replicas), gateway (both), pg, nats, other (the other services)


def _extra_part(running: Platform, name: str, module: str, env: dict[str, str], healthy) -> Part:
    return Part(
        name,
        [sys.executable, "-m", module],
        {**running.env, **env},
        healthy,
        "",
        running.log_dir / f"{name}.log",
    )


def _replica(running: Platform) -> tuple[Part, str]:
    """A second results process on the same database (tests/trust/test_replicas.py), and its address."""
    port = free_port()
    address = f"127.0.0.1:{port}"
    env = {
        **running.nats_login("results"),
        "GONGSHI_RESULTS_PORT": str(port),
        "GONGSHI_RESULTS_METRICS_PORT": str(free_port()),
    }
    return _extra_part(running, "results-2", "services.results", env, lambda: grpc_healthy(address)), address


def _gateway(running: Platform, results_addr: str) -> tuple[Part, str]:
    """A second gateway process dialling ``results_addr``, and its URL. Its own name (so its own
    durable consumers) and its own small database, as a second gateway machine would have."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **running.nats_login("gateway"),
        "GONGSHI_HTTP_PORT": str(port),
        "GONGSHI_GATEWAY_NAME": "gateway-2",
        "GONGSHI_GATEWAY_DB_URL": f"sqlite+aiosqlite:///{running.data_dir / 'gateway-2.db'}",
        "GONGSHI_RESULTS_ADDR": results_addr,
    }
    return _extra_part(running, "gateway-2", "gateway", env, lambda: http_healthy(f"{url}/healthz")), url


def _meter(running: Platform, replica: Part, gateway2: Part, database: str) -> CpuMeter:
    services = running.services
    return CpuMeter(
        {
            "results": lambda: [services["results"].proc.pid, replica.proc.pid],
            "gateway": lambda: [running.gateway.proc.pid, gateway2.proc.pid],
            "pg": lambda: pg_backends(database),
            "nats": lambda: [running.nats.proc.pid],
            "other": lambda: [part.proc.pid for name, part in services.items() if name != "results"],
        }
    )


@contextlib.contextmanager
def scaleout_platform(ctx: RunContext) -> Iterator[ScaleOut]:
    ensure_wrk()  # fail (with a clear message) before starting anything
    with pg_database() as results_url:
        data_dir = ctx.data_dir / "platform"
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        settings = bench_settings(data_dir, results_db_url=results_url)
        platform = Platform(settings, extra_env=platform_env(settings))
        started = time.perf_counter()
        platform.start()
        bench_platform = BenchPlatform(platform, settings, time.perf_counter() - started)
        replica, replica_addr = _replica(platform)
        gateway2, gateway2_url = _gateway(platform, replica_addr)
        try:
            for part in (replica, gateway2):
                part.start()
                part.wait_healthy(60)
            agencies = (AGENCIES[0], AGENCIES[1])
            tokens = {a.code: bench_platform.register_agency(a) for a in agencies}
            meter = _meter(platform, replica, gateway2, results_url.rsplit("/", 1)[1])
            fixture = ScaleOut(bench_platform, replica_addr, gateway2_url, agencies, tokens, meter)
            _seed(fixture)
            yield fixture
        finally:
            for part in (gateway2, replica):
                part.stop()  # a part never started is not running: nothing to do
            stop_platform(platform)


def _seed(fixture: ScaleOut) -> None:
    """SEED_ROWS public results, then wait until both gateways list a full page of them."""
    agency = fixture.agencies[0]
    requests = [
        pb.PublishDecisionRequest(
            agency_code=agency.code, decision=decision(n, agency=agency, prefix="SEED-")
        )
        for n in range(SEED_ROWS)
    ]
    with grpc.insecure_channel(fixture.platform.grpc_addr("results"), options=CHANNEL_OPTIONS) as channel:
        reply = results_pb2_grpc.ResultsServiceStub(channel).BulkPublish(
            iter(requests), metadata=auth(fixture.tokens[agency.code]), timeout=600
        )
    if reply.refused:
        raise RuntimeError(f"{reply.refused} seed decisions refused")
    deadline = time.monotonic() + 60
    for url in (fixture.platform.http_url, fixture.gateway2_url):
        while True:
            with urllib.request.urlopen(url + PATH, timeout=30) as response:
                page = json.load(response)
            if len(page["data"]) == LIST_SIZE and page["total"] >= 1_000:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url}: {len(page['data'])} of {page['total']} results listed")
            time.sleep(0.2)


# ------------------------------------------------------------------ one run


async def _ingest(fixture: ScaleOut, addresses: tuple[str, str], seconds: float, tag: str) -> float:
    """64 PublishDecision calls in flight, 32 per agency; agency i's calls go to addresses[i]."""
    per_agency = UNARY_IN_FLIGHT // len(fixture.agencies)
    async with contextlib.AsyncExitStack() as stack:
        loops = []
        for agency, address in zip(fixture.agencies, addresses, strict=True):
            channel = await stack.enter_async_context(
                grpc.aio.insecure_channel(address, options=CHANNEL_OPTIONS)
            )
            await channel.channel_ready()
            loops.append(_publisher(results_pb2_grpc.ResultsServiceStub(channel), agency, fixture, tag))
        rates = await asyncio.gather(*(closed_loop(op, per_agency, seconds) for op in loops))
    return sum(rates)


def _publisher(stub, agency: Agency, fixture: ScaleOut, tag: str):
    numbers = itertools.count()
    metadata = auth(fixture.tokens[agency.code])

    async def publish_one() -> None:
        request = pb.PublishDecisionRequest(
            agency_code=agency.code, decision=decision(next(numbers), agency=agency, prefix=tag)
        )
        reply = await stub.PublishDecision(request, metadata=metadata, timeout=60)
        if not reply.created:
            raise RuntimeError(f"{request.decision.document_number} was not created")

    return publish_one


def _read(urls: list[str], seconds: float) -> float:
    """wrk with WRK_THREADS threads and WRK_CONNECTIONS connections in all, split over ``urls``."""
    threads, connections = WRK_THREADS // len(urls), WRK_CONNECTIONS // len(urls)
    with ThreadPoolExecutor(len(urls)) as pool:
        rates = pool.map(
            lambda url: run_wrk(
                url + PATH, seconds, threads=threads, connections=connections, timeout=READ_TIMEOUT_SECONDS
            ),
            urls,
        )
        return sum(rates)


def _measured(fixture: ScaleOut, phase: Callable[[], float]) -> tuple[float, dict[str, float]]:
    """(requests/s, CPU ms per request of each group of processes) of one phase of load."""
    fixture.meter.start()
    started = time.perf_counter()
    rate = phase()
    requests = rate * (time.perf_counter() - started)
    used = fixture.meter.stop()
    return rate, {name: 1000 * cpu / requests for name, cpu in used.items()} if requests else {}


def run(ctx: RunContext) -> Measurement:
    fixture: ScaleOut = ctx.fixture
    one, two = fixture.platform.grpc_addr("results"), fixture.replica_addr
    gateways = [fixture.platform.http_url, fixture.gateway2_url]
    tag = f"S{next(_runs)}"
    r1, r1_cpu = _measured(
        fixture, lambda: asyncio.run(_ingest(fixture, (one, one), ctx.seconds, tag + "A-"))
    )
    r2, r2_cpu = _measured(
        fixture, lambda: asyncio.run(_ingest(fixture, (one, two), ctx.seconds, tag + "B-"))
    )
    g1, g1_cpu = _measured(fixture, lambda: _read(gateways[:1], ctx.seconds))
    g2, g2_cpu = _measured(fixture, lambda: _read(gateways, ctx.seconds))
    extras = {
        "scaleout_ingest_unary_pg_r2": r2,
        "scaleout_read_list_g1": g1,
        "scaleout_read_list_g2": g2,
        "scaleout_ingest_cpu_r1": sum(r1_cpu.values()),
        "scaleout_ingest_cpu_r2": sum(r2_cpu.values()),
        "scaleout_read_cpu_g1": sum(g1_cpu.values()),
        "scaleout_read_cpu_g2": sum(g2_cpu.values()),
    }
    extras |= {f"scaleout_ingest_cpu_{name}": ms for name, ms in r1_cpu.items()}
    extras |= {f"scaleout_read_cpu_{name}": ms for name, ms in g1_cpu.items()}
    return Measurement(r1, extras)


def _cpu_extra(key: str, what: str) -> Extra:
    return Extra(key, "ms/req", higher_is_better=False, description=f"CPU ms per request: {what}")


CPU_GROUPS = {
    "results": "the results service processes",
    "gateway": "the gateway processes",
    "pg": "the PostgreSQL backends of the results database",
    "nats": "nats-server",
    "other": "the duties, procedures and feedback services",
}


register(
    Benchmark(
        key="scaleout_ingest_unary_pg_r1",
        unit="req/s",
        run=run,
        fixture=scaleout_platform,
        reference_key="bare_grpc_unary",
        description=(
            f"ResultsService.PublishDecision with the results service on PostgreSQL, {UNARY_IN_FLIGHT} "
            "calls in flight from two agencies, all to one replica (a second replica on the same "
            "database idles)"
        ),
        extras=(
            Extra(
                "scaleout_ingest_unary_pg_r2",
                "req/s",
                reference_key="scaleout_ingest_unary_pg_r1",
                description="the same calls, each agency's half to its own replica: two results processes",
            ),
            Extra(
                "scaleout_read_list_g1",
                "req/s",
                reference_key="bare_http_list_fast",
                description=(
                    f"GET {PATH} at one gateway process (results on PostgreSQL, {SEED_ROWS:,}+ results), "
                    f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}"
                ),
            ),
            Extra(
                "scaleout_read_list_g2",
                "req/s",
                reference_key="scaleout_read_list_g1",
                description=(
                    "the same at two gateway processes (each dialling its own results replica), "
                    f"wrk -t{WRK_THREADS // 2} -c{WRK_CONNECTIONS // 2} on each, summed"
                ),
            ),
            _cpu_extra("scaleout_ingest_cpu_r1", "all the platform's processes and PostgreSQL, ingest r1"),
            _cpu_extra("scaleout_ingest_cpu_r2", "all the platform's processes and PostgreSQL, ingest r2"),
            *(_cpu_extra(f"scaleout_ingest_cpu_{n}", f"{w}, ingest r1") for n, w in CPU_GROUPS.items()),
            _cpu_extra("scaleout_read_cpu_g1", "all the platform's processes and PostgreSQL, read g1"),
            _cpu_extra("scaleout_read_cpu_g2", "all the platform's processes and PostgreSQL, read g2"),
            *(_cpu_extra(f"scaleout_read_cpu_{n}", f"{w}, read g1") for n, w in CPU_GROUPS.items()),
        ),
    )
)

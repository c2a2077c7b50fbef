"""Benchmark definitions, the registry and the repeat-and-summarise loop.

A benchmark is a callable that performs ONE measured run and returns a float
(a throughput such as req/s, or a latency when ``higher_is_better=False``).
The harness repeats it, takes the median and the spread, and relates
platform benchmarks to the bare-stack reference they name.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib
import inspect
import pkgutil
import statistics
import time
import traceback
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var" / "bench"  # cached data, logs, raw results; never committed

# Packages whose modules register benchmarks on import.
BENCH_PACKAGES = ("bench.bare", "bench.platform")


@dataclass
class RunContext:
    """What a run (and its fixture) gets from the harness."""

    key: str
    seconds: float  # how long a time-bounded run should measure for
    quick: bool  # development mode: smaller data sets, shorter runs
    data_dir: Path  # scratch/cache dir var/bench/data/<key>/, kept between bench runs
    fixture: Any = None  # whatever the benchmark's fixture yielded (a server, a db path ...)
    warmup: bool = False  # True for the discarded warm-up run


class Unavailable(RuntimeError):
    """A tool the benchmark needs is missing; reported with its message, no traceback."""


RunFn = Callable[[RunContext], float | Awaitable[float]]
FixtureFn = Callable[[RunContext], AbstractContextManager[Any]]


@dataclass(frozen=True)
class Benchmark:
    key: str
    unit: str
    run: RunFn  # one measured run -> value; may be ``async def``
    reference_key: str | None = None  # bare benchmark this one is compared with
    target: str = ""  # human-readable target, shown in the table
    target_ratio: float | None = None  # if set, ratio to the reference must reach this
    higher_is_better: bool = True
    fixture: FixtureFn | None = None  # entered once around all runs of this benchmark
    description: str = ""

    @property
    def is_reference(self) -> bool:
        return self.reference_key is None


@dataclass
class Result:
    bench: Benchmark
    values: list[float] = field(default_factory=list)
    error: str | None = None
    reference: Result | None = None
    wall_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def spread(self) -> float:
        """(max - min) / median: relative spread of the runs."""
        med = self.median
        return (max(self.values) - min(self.values)) / med if med else 0.0

    @property
    def ratio(self) -> float | None:
        """Platform vs. reference, oriented so that > 1 always means better."""
        ref = self.reference
        if ref is None or not ref.ok or not self.ok or ref.median == 0 or self.median == 0:
            return None
        if self.bench.higher_is_better:
            return self.median / ref.median
        return ref.median / self.median

    @property
    def target_met(self) -> bool | None:
        if self.bench.target_ratio is None or self.ratio is None:
            return None
        return self.ratio >= self.bench.target_ratio


_REGISTRY: dict[str, Benchmark] = {}


def register(bench: Benchmark) -> Benchmark:
    if bench.key in _REGISTRY:
        raise ValueError(f"benchmark {bench.key!r} registered twice")
    _REGISTRY[bench.key] = bench
    return bench


def benchmark(key: str, unit: str, **kwargs: Any) -> Callable[[RunFn], RunFn]:
    """Decorator form of ``register``: ``@benchmark("x", "req/s", reference_key=...)``."""

    def wrap(fn: RunFn) -> RunFn:
        register(Benchmark(key=key, unit=unit, run=fn, **kwargs))
        return fn

    return wrap


def discover() -> dict[str, Benchmark]:
    """Import every module of the benchmark packages so they register themselves."""
    for pkg_name in BENCH_PACKAGES:
        pkg = importlib.import_module(pkg_name)
        for info in pkgutil.iter_modules(pkg.__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{pkg_name}.{info.name}")
    return dict(_REGISTRY)


def select(benches: dict[str, Benchmark], prefixes: Iterable[str]) -> list[Benchmark]:
    """Benchmarks matching any prefix, plus the references they need, references first."""
    prefixes = list(prefixes)
    chosen = [b for b in benches.values() if not prefixes or any(b.key.startswith(p) for p in prefixes)]
    keys = {b.key for b in chosen}
    for b in list(chosen):
        ref = b.reference_key
        if ref is not None and ref not in keys:
            if ref not in benches:
                raise KeyError(f"{b.key}: unknown reference_key {ref!r}")
            chosen.append(benches[ref])
            keys.add(ref)
    # References first (registration order kept) so ratios come from this same run.
    return sorted(chosen, key=lambda b: not b.is_reference)


def _call(fn: RunFn, ctx: RunContext) -> float:
    out = fn(ctx)
    if inspect.isawaitable(out):
        # A fresh event loop per run: no state leaks between runs or benchmarks.
        out = asyncio.run(_await(out))
    return float(out)


async def _await(aw: Awaitable[float]) -> float:
    return await aw


@contextlib.contextmanager
def _fixture(bench: Benchmark, ctx: RunContext) -> Iterator[Any]:
    if bench.fixture is None:
        yield None
    else:
        with bench.fixture(ctx) as value:
            yield value


def run_benchmark(
    bench: Benchmark,
    *,
    runs: int,
    seconds: float,
    warmup_seconds: float,
    quick: bool,
    log: Callable[[str], None] = print,
) -> Result:
    result = Result(bench)
    data_dir = VAR_DIR / "data" / bench.key
    data_dir.mkdir(parents=True, exist_ok=True)
    ctx = RunContext(key=bench.key, seconds=seconds, quick=quick, data_dir=data_dir)
    started = time.perf_counter()
    try:
        with _fixture(bench, ctx) as ctx.fixture:
            if warmup_seconds > 0:
                # Discarded: JIT-free Python still has caches, connections and page cache to warm.
                _call(bench.run, dataclasses.replace(ctx, seconds=warmup_seconds, warmup=True))
            for i in range(runs):
                value = _call(bench.run, ctx)
                result.values.append(value)
                log(f"  run {i + 1}/{runs}: {value:,.1f} {bench.unit}")
    except Unavailable as exc:
        result.error = f"unavailable: {exc}"
        log(f"  UNAVAILABLE: {exc}")
    except Exception as exc:  # one broken benchmark must not sink the whole report
        result.error = f"{type(exc).__name__}: {exc}"
        log(traceback.format_exc().rstrip())
    result.wall_seconds = time.perf_counter() - started
    return result

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


class Skipped(Unavailable):
    """Something optional the benchmark needs (a PostgreSQL server) is not there: reported
    as SKIPPED with its message, and not counted as a failure of the bench run."""


@dataclass(frozen=True)
class Measurement:
    """What a run returns when it measures more than one figure: the main value
    plus the figures of the benchmark's ``extras`` (by key), e.g. p50 beside p95."""

    value: float
    extras: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Extra:
    """A further figure of the same runs, reported as its own RESULT line and row."""

    key: str
    unit: str
    reference_key: str | None = None
    target: str = ""
    target_ratio: float | None = None
    target_value: float | None = None
    higher_is_better: bool = True
    description: str = ""


RunFn = Callable[[RunContext], float | Measurement | Awaitable[float | Measurement]]
FixtureFn = Callable[[RunContext], AbstractContextManager[Any]]


@dataclass(frozen=True)
class Benchmark:
    key: str
    unit: str
    run: RunFn  # one measured run -> value; may be ``async def``
    reference_key: str | None = None  # bare benchmark this one is compared with
    target: str = ""  # human-readable target, shown in the table
    target_ratio: float | None = None  # if set, ratio to the reference must reach this
    # If set, the median itself must reach this (>= when higher is better, else <=): for
    # targets stated in absolute terms, such as "p95 <= 50 ms".
    target_value: float | None = None
    higher_is_better: bool = True
    fixture: FixtureFn | None = None  # entered once around all runs of this benchmark
    description: str = ""
    extras: tuple[Extra, ...] = ()  # further figures each run returns in a Measurement
    # Set on the benchmarks made from extras: whether their benchmark is a bare reference.
    extra_of_reference: bool | None = None

    @property
    def is_reference(self) -> bool:
        if self.extra_of_reference is not None:
            return self.extra_of_reference
        return self.reference_key is None and not self.target

    def extra_benchmarks(self) -> list[Benchmark]:
        """The extras as benchmarks of their own, so they are reported like any other."""
        return [
            Benchmark(
                key=e.key,
                unit=e.unit,
                run=self.run,
                reference_key=e.reference_key,
                target=e.target,
                target_ratio=e.target_ratio,
                target_value=e.target_value,
                higher_is_better=e.higher_is_better,
                description=e.description,
                extra_of_reference=self.is_reference,
            )
            for e in self.extras
        ]


@dataclass
class Result:
    bench: Benchmark
    values: list[float] = field(default_factory=list)
    error: str | None = None
    reference: Result | None = None
    wall_seconds: float = 0.0
    extras: list[Result] = field(default_factory=list)  # one per Benchmark.extras, same runs
    skipped: bool = False  # a Skipped benchmark: error says why; not a failure

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
        """None when there is nothing to check (no target, or no figure to check it on)."""
        b = self.bench
        checks = []
        if b.target_ratio is not None and self.ratio is not None:
            checks.append(self.ratio >= b.target_ratio)
        if b.target_value is not None and self.ok:
            checks.append(
                self.median >= b.target_value if b.higher_is_better else self.median <= b.target_value
            )
        return all(checks) if checks else None


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
    # A reference may be an extra figure of another benchmark: that benchmark is what runs.
    owner = {b.key: b for b in benches.values()}
    owner |= {e.key: b for b in benches.values() for e in b.extras}
    for b in list(chosen):
        for ref in [b.reference_key, *(e.reference_key for e in b.extras)]:
            if ref is None:
                continue
            if ref not in owner:
                raise KeyError(f"{b.key}: unknown reference_key {ref!r}")
            if owner[ref].key not in keys:
                chosen.append(owner[ref])
                keys.add(owner[ref].key)
    # References first (registration order kept) so ratios come from this same run.
    return sorted(chosen, key=lambda b: not b.is_reference)


def _call(fn: RunFn, ctx: RunContext) -> Measurement:
    out = fn(ctx)
    if inspect.isawaitable(out):
        # A fresh event loop per run: no state leaks between runs or benchmarks.
        out = asyncio.run(_await(out))
    return out if isinstance(out, Measurement) else Measurement(float(out))


async def _await(aw: Awaitable[float | Measurement]) -> float | Measurement:
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
    result = Result(bench, extras=[Result(b) for b in bench.extra_benchmarks()])
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
                measured = _call(bench.run, ctx)
                result.values.append(measured.value)
                line = f"  run {i + 1}/{runs}: {measured.value:,.1f} {bench.unit}"
                for extra in result.extras:
                    value = measured.extras.get(extra.bench.key)
                    if value is None:
                        raise RuntimeError(f"the run returned no value for extra {extra.bench.key!r}")
                    extra.values.append(float(value))
                    line += f", {extra.bench.key} {value:,.1f} {extra.bench.unit}"
                log(line)
    except Skipped as exc:
        result.error = f"skipped: {exc}"
        result.skipped = True
        log(f"  SKIPPED: {exc}")
    except Unavailable as exc:
        result.error = f"unavailable: {exc}"
        log(f"  UNAVAILABLE: {exc}")
    except Exception as exc:  # one broken benchmark must not sink the whole report
        result.error = f"{type(exc).__name__}: {exc}"
        log(traceback.format_exc().rstrip())
    result.wall_seconds = time.perf_counter() - started
    for extra in result.extras:
        extra.wall_seconds = result.wall_seconds
        if result.error is not None:
            extra.error = result.error
            extra.skipped = result.skipped
            extra.values.clear()
    return result

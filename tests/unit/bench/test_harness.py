"""The bench harness: extra figures, absolute targets, references resolved, helpers."""

from __future__ import annotations

from bench.harness import Benchmark, Extra, Measurement, run_benchmark, select
from bench.platform._queries import percentile
from bench.platform._stream import subject_matches


def _latency_bench(values: list[float]) -> Benchmark:
    runs = iter(values)

    def run(ctx) -> Measurement:
        value = next(runs)
        return Measurement(value, {"lat_p50": value / 2})

    return Benchmark(
        key="lat",
        unit="ms",
        run=run,
        reference_key="bare_lat",
        higher_is_better=False,
        target="p95 <= 50 ms",
        target_value=50.0,
        extras=(Extra("lat_p50", "ms", reference_key="bare_lat_p50", higher_is_better=False),),
    )


def test_extras_are_recorded_per_run_and_absolute_targets_are_checked():
    res = run_benchmark(
        _latency_bench([0, 40, 60, 45]),
        runs=3,
        seconds=0.01,
        warmup_seconds=0.01,
        quick=True,
        log=lambda _: None,
    )
    assert res.values == [40, 60, 45] and res.median == 45
    (p50,) = res.extras
    assert p50.bench.key == "lat_p50" and p50.values == [20, 30, 22.5]
    assert res.target_met is True  # 45 ms <= 50 ms, lower is better
    slow = run_benchmark(
        _latency_bench([0, 70, 80, 90]),
        runs=3,
        seconds=0.01,
        warmup_seconds=0.01,
        quick=True,
        log=lambda _: None,
    )
    assert slow.target_met is False


def test_a_failed_run_fails_its_extras_too():
    def broken(ctx):
        raise RuntimeError("boom")

    bench = Benchmark(key="x", unit="ms", run=broken, extras=(Extra("x_p50", "ms"),))
    res = run_benchmark(bench, runs=3, seconds=0.01, warmup_seconds=0, quick=True, log=lambda _: None)
    assert not res.ok and not res.extras[0].ok and "boom" in res.extras[0].error


def test_select_brings_the_benchmark_that_measures_a_referenced_extra():
    bare = Benchmark(key="bare_lat", unit="ms", run=lambda ctx: 1.0, extras=(Extra("bare_lat_p50", "ms"),))
    benches = {"bare_lat": bare, "lat": _latency_bench([1.0])}
    chosen = select(benches, ["lat"])
    assert [b.key for b in chosen] == ["bare_lat", "lat"]  # the reference first
    assert not benches["lat"].extra_benchmarks()[0].is_reference
    assert bare.extra_benchmarks()[0].is_reference


def test_subject_wildcards_and_percentiles():
    assert subject_matches("gongshi.>", "gongshi.results.published.X")
    assert subject_matches("gongshi.results.*.X", "gongshi.results.published.X")
    assert not subject_matches("gongshi.duties.>", "gongshi.results.published.X")
    assert not subject_matches("gongshi.results.published", "gongshi.results.published.X")
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95 and percentile([7], 99) == 7

"""The bench harness: extra figures, absolute targets, references resolved, helpers."""

from __future__ import annotations

from bench.harness import Benchmark, Extra, Measurement, Skipped, discover, run_benchmark, select
from bench.platform._queries import percentile
from bench.platform._stream import subject_matches
from bench.report import markdown, result_lines


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


def test_a_skipped_benchmark_is_reported_as_skipped_not_failed():
    def no_server(ctx):
        raise Skipped("PostgreSQL is not reachable at postgresql://nowhere")

    bench = Benchmark(
        key="pg", unit="req/s", run=no_server, extras=(Extra("pg_r2", "req/s", reference_key="pg"),)
    )
    res = run_benchmark(bench, runs=3, seconds=0.01, warmup_seconds=0, quick=True, log=lambda _: None)
    assert res.skipped and not res.ok and res.extras[0].skipped
    assert result_lines(res) == ["SKIPPED pg skipped: PostgreSQL is not reachable at postgresql://nowhere"]
    table = markdown([res, *res.extras], runs=3, seconds=0.01, quick=True, elapsed=0, machine="test")
    assert "| pg | req/s | skipped | skipped: PostgreSQL is not reachable" in table
    broken = run_benchmark(
        Benchmark(key="x", unit="ms", run=lambda ctx: 1 / 0),
        runs=3,
        seconds=0.01,
        warmup_seconds=0,
        quick=True,
        log=lambda _: None,
    )
    assert not broken.skipped and result_lines(broken)[0].startswith("FAILED x ")


def test_scaleout_compares_each_two_process_figure_with_its_one_process_figure():
    from bench.platform.scaleout import scaleout_platform  # registers on import

    benches = discover()
    scaleout = benches["scaleout_ingest_unary_pg_r1"]
    assert scaleout.fixture is scaleout_platform
    refs = {e.key: e.reference_key for e in scaleout.extras if e.reference_key}
    assert refs == {
        "scaleout_ingest_unary_pg_r2": "scaleout_ingest_unary_pg_r1",
        "scaleout_read_list_g1": "bare_http_list_fast",
        "scaleout_read_list_g2": "scaleout_read_list_g1",
    }
    cpu = [e for e in scaleout.extras if not e.reference_key]
    assert cpu and all(e.unit == "ms/req" and not e.higher_is_better for e in cpu)
    chosen = [b.key for b in select(benches, ["scaleout"])]
    assert chosen[-1] == "scaleout_ingest_unary_pg_r1"
    assert {"bare_grpc_unary", "bare_http_list_fast"} <= set(chosen[:-1])


def test_scaleout_skips_when_postgresql_is_not_reachable(monkeypatch):
    import pytest

    from bench.platform import scaleout
    from bench.servers import free_port

    monkeypatch.setattr(scaleout, "PG_DSN", f"postgresql://postgres@127.0.0.1:{free_port()}/test")
    with pytest.raises(Skipped, match="PostgreSQL is not reachable"), scaleout.pg_database():
        pass

"""Console RESULT lines, the Markdown table and the raw JSON record."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Sequence
from pathlib import Path

from bench.harness import VAR_DIR, Result

RESULTS_MD = Path(__file__).resolve().parent / "results" / "latest.md"
RAW_DIR = VAR_DIR / "results"
# --only / --quick runs go here, so bench/results/latest.md always holds a complete run.
PARTIAL_MD = RAW_DIR / "latest-partial.md"


def fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:,.2f}"
    return f"{value:.4g}"


def result_lines(res: Result) -> list[str]:
    """Machine-readable lines: exactly ``RESULT <key> <unit> <median>`` (+ RATIO for platform)."""
    b = res.bench
    if res.skipped:
        return [f"SKIPPED {b.key} {res.error}"]
    if not res.ok:
        return [f"FAILED {b.key} {res.error}"]
    lines = [f"RESULT {b.key} {b.unit} {res.median:.1f}"]
    if b.reference_key is not None:
        ratio = res.ratio
        if ratio is None:
            lines.append(f"RATIO {b.key} n/a (reference {b.reference_key} not measured)")
        else:
            verdict = {None: "", True: " target met", False: " TARGET MISSED"}[res.target_met]
            lines.append(f"RATIO {b.key} {ratio:.3f} vs {b.reference_key}{verdict}")
    elif res.target_met is not None:
        lines.append(f"TARGET {b.key} {'met' if res.target_met else 'MISSED'} ({b.target})")
    return lines


def spread_text(res: Result) -> str:
    return f"{fmt(min(res.values))}–{fmt(max(res.values))} (±{res.spread * 50:.1f}%)"


def markdown(
    results: Sequence[Result], *, runs: int, seconds: float, quick: bool, elapsed: float, machine: str
) -> str:
    head = [
        "# Benchmark results",
        "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M:%S %Z')} "
        f"by `python -m bench{' --quick' if quick else ''}` "
        f"with {platform.python_implementation()} {platform.python_version()} ({machine}); "
        f"{runs} runs of ~{seconds:g}s each after one warm-up, whole run {elapsed:.0f}s.",
        "",
        "Median of the runs; spread is min–max (± half the range relative to the median). "
        "Ratio is platform vs. its bare-stack reference measured in the same run (> 1 is better).",
        "",
        "| key | unit | median | spread | reference key | reference median | ratio | target |",
        "| --- | --- | ---: | --- | --- | ---: | ---: | --- |",
    ]
    rows = []
    for res in results:
        b = res.bench
        if not res.ok:
            state = "skipped" if res.skipped else "failed"
            rows.append(
                f"| {b.key} | {b.unit} | {state} | {res.error} | {b.reference_key or '—'} | | | {b.target} |"
            )
            continue
        ref = res.reference
        ref_med = fmt(ref.median) if ref is not None and ref.ok else "—"
        ratio = f"{res.ratio:.2f}" if res.ratio is not None else "—"
        target = b.target or ("reference" if b.is_reference else "")
        if res.target_met is not None:
            target += " ✅" if res.target_met else " ❌"
        rows.append(
            f"| {b.key} | {b.unit} | {fmt(res.median)} | {spread_text(res)} | {b.reference_key or '—'} "
            f"| {ref_med} | {ratio} | {target} |"
        )
    notes = ["", "## What each benchmark measures", ""]
    notes += [f"- `{r.bench.key}`: {r.bench.description}" for r in results if r.bench.description]
    return "\n".join(head + rows + notes) + "\n"


def write(
    results: Sequence[Result],
    *,
    runs: int,
    seconds: float,
    quick: bool,
    elapsed: float,
    machine: str,
    complete: bool,
) -> Path:
    md_path = RESULTS_MD if complete else PARTIAL_MD
    md_path.parent.mkdir(parents=True, exist_ok=True)
    md_path.write_text(
        markdown(results, runs=runs, seconds=seconds, quick=quick, elapsed=elapsed, machine=machine)
    )
    # Raw values kept locally (var/ is never committed) for comparing runs over time.
    RAW_DIR.mkdir(parents=True, exist_ok=True)
    raw = {
        "time": time.time(),
        "quick": quick,
        "runs": runs,
        "seconds": seconds,
        "machine": machine,
        "results": {
            r.bench.key: {
                "unit": r.bench.unit,
                "values": r.values,
                "error": r.error,
                "reference_key": r.bench.reference_key,
                "ratio": r.ratio,
                "wall_seconds": r.wall_seconds,
            }
            for r in results
        },
    }
    (RAW_DIR / f"{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(raw, indent=2))
    return md_path

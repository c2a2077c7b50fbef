"""Command line: select, run and report benchmarks.

python -m bench                     # everything, default durations
python -m bench --quick             # short runs, small data sets (development)
python -m bench --only bare_grpc    # key prefix(es); references of the chosen come along
python -m bench --list
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

if __name__ == "__main__" and not __package__:
    # Run as `python bench/run.py`: put the repo root, not bench/, first on the path
    # (bench/platform/ would otherwise shadow the standard library's `platform`).
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import machine, report
from bench.harness import REPO_ROOT, Result, discover, run_benchmark, select

MIN_RUNS = 3  # the benchmark issue requires at least three runs per benchmark
BUSY_WARNING = 0.15  # share of CPU used by others before start that makes figures suspect


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description="Gongshi benchmarks")
    p.add_argument(
        "--only", action="append", default=[], metavar="PREFIX", help="run keys starting with PREFIX"
    )
    p.add_argument("--quick", action="store_true", help="short runs and small data (numbers are rough)")
    p.add_argument("--runs", type=int, default=MIN_RUNS, help=f"measured runs per benchmark (>= {MIN_RUNS})")
    p.add_argument("--seconds", type=float, help="seconds per measured run (default 4, quick 1)")
    p.add_argument("--list", action="store_true", help="list benchmarks and exit")
    args = p.parse_args(argv)
    if args.runs < MIN_RUNS:
        p.error(f"--runs must be at least {MIN_RUNS}")
    if args.seconds is None:
        args.seconds = 1.0 if args.quick else 4.0
    return args


def _exit_on_sigterm(signum: int, frame: object) -> None:
    # Turn SIGTERM into an exception so every `with spawn(...)` stops its server.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    benches = select(discover(), args.only)
    if args.list:
        for b in benches:
            print(f"{b.key:28} {b.unit:8} ref={b.reference_key or '-':24} {b.description}")
        return 0
    if not benches:
        print(f"no benchmark matches {args.only}", file=sys.stderr)
        return 2

    busy = machine.busy_fraction()
    machine_note = machine.describe(busy)
    print(f"machine: {machine_note}", flush=True)
    if busy is not None and busy > BUSY_WARNING:
        print("WARNING: the machine is busy with other work; figures will be low and noisy", flush=True)

    warmup = min(1.0, args.seconds / 2)
    started = time.perf_counter()
    done: dict[str, Result] = {}
    for b in benches:
        print(f"== {b.key} ({b.unit})", flush=True)
        res = run_benchmark(
            b,
            runs=args.runs,
            seconds=args.seconds,
            warmup_seconds=warmup,
            quick=args.quick,
            log=lambda line: print(line, flush=True),
        )
        print(f"  ({res.wall_seconds:.0f} s with set-up)", flush=True)
        for figure in (res, *res.extras):
            if figure.bench.reference_key is not None:
                figure.reference = done.get(figure.bench.reference_key)
            done[figure.bench.key] = figure
            for line in report.result_lines(figure):
                print(line, flush=True)

    elapsed = time.perf_counter() - started
    results = list(done.values())
    path = report.write(
        results,
        runs=args.runs,
        seconds=args.seconds,
        quick=args.quick,
        elapsed=elapsed,
        machine=machine_note,
        complete=not args.only and not args.quick,
    )
    print(f"\nwrote {path.relative_to(REPO_ROOT)} in {elapsed:.0f}s total")
    failed = [r.bench.key for r in results if not r.ok and not r.skipped]
    if failed:
        print(f"FAILED: {' '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

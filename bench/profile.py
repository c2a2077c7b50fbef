"""Profile one process of the platform while a platform benchmark runs.

    .venv/bin/python -m bench.profile ingest_unary results        # py-spy on the results service
    .venv/bin/python -m bench.profile read_list gateway --seconds 8
    .venv/bin/python -m bench.profile ingest_stream results --format speedscope

Runs the benchmark's fixture and one measured run of --seconds while
`py-spy record` samples the named part (nats, duties, procedures, results,
feedback, gateway, or "bench" for the load generator itself) and writes the
profile to var/bench/profiles/<key>-<part>.<ext>. With --top it prints the
functions with the most own time instead (py-spy's raw output, aggregated).
py-spy is a development tool, not a dependency: `.venv/bin/pip install py-spy`.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import VAR_DIR, RunContext, _call, discover

PROFILE_DIR = VAR_DIR / "profiles"


def _pids(fixture) -> dict[str, int]:
    """The platform's processes, whether the fixture is the platform, holds it, or is a tuple."""
    from bench.platform._platform import BenchPlatform

    for candidate in (
        fixture,
        getattr(fixture, "platform", None),
        *(fixture if isinstance(fixture, tuple) else ()),
    ):
        if isinstance(candidate, BenchPlatform):
            return candidate.pids()
    raise SystemExit("this benchmark's fixture is not a running platform")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.profile")
    p.add_argument("key")
    p.add_argument("part")
    p.add_argument("--seconds", type=float, default=6.0)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--format", default="raw", choices=["raw", "flamegraph", "speedscope"])
    p.add_argument("--rate", type=int, default=100)
    p.add_argument("--top", type=int, default=30, help="print the N functions with most own time (raw)")
    args = p.parse_args(argv)
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not os.path.exists(spy):
        raise SystemExit("py-spy is not installed: .venv/bin/pip install py-spy")
    bench = discover()[args.key]
    data_dir = VAR_DIR / "data" / bench.key
    data_dir.mkdir(parents=True, exist_ok=True)
    ctx = RunContext(key=bench.key, seconds=args.seconds, quick=args.quick, data_dir=data_dir)
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    ext = {"raw": "txt", "flamegraph": "svg", "speedscope": "json"}[args.format]
    out = PROFILE_DIR / f"{args.key}-{args.part}.{ext}"
    with bench.fixture(ctx) as ctx.fixture:
        _call(bench.run, RunContext(**{**ctx.__dict__, "seconds": 1.0, "warmup": True}))
        pid = os.getpid() if args.part == "bench" else _pids(ctx.fixture)[args.part]
        argv = [
            spy,
            "record",
            "-p",
            str(pid),
            "-o",
            str(out),
            "-f",
            args.format,
            "-r",
            str(args.rate),
            "--function",
        ]
        argv += ["--nonblocking"] if args.part != "bench" else []
        spy_proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(0.5)
        value = _call(bench.run, ctx).value
        spy_proc.send_signal(signal.SIGINT)
        spy_proc.wait(timeout=60)
    print(f"{args.key}: {value:,.1f} {bench.unit} while profiling {args.part}; profile in {out}")
    if args.format == "raw" and args.top:
        print_top(out, args.top)
    return 0


def print_top(path: Path, top: int) -> None:
    """Own and total sample share per function, from py-spy's collapsed stacks."""
    own: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        samples += n
        frames = stack.split(";")
        own[frames[-1]] += n
        for frame in set(frames):
            total[frame] += n
    print(f"{samples} samples; own% total%  function (file:line)")
    for frame, n in own.most_common(top):
        print(f"{100 * n / samples:5.1f} {100 * total[frame] / samples:5.1f}  {frame}")


if __name__ == "__main__":
    sys.exit(main())

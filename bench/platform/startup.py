"""startup / footprint: the launcher starting the whole platform, and its memory idle.

Each run starts a fresh platform with services/launcher.py Platform.start() —
what `gongshi run` (`make run`) does, with the installed venv — on free ports
and an empty data directory, and times it until every part answers its health
check (NATS listening, each service's gRPC health SERVING, the gateway's
/healthz). Then, after SETTLE_SECONDS with no requests, it sums the resident
memory of every process from /proc (footprint; PSS as well, which counts a
shared page once). The platform is stopped by pid after each run.
"""

from __future__ import annotations

import time

from bench.harness import Benchmark, Extra, Measurement, RunContext, register
from bench.platform._platform import footprint_mb, running_platform

SETTLE_SECONDS = 3.0
TARGET_SECONDS = 10.0
FOOTPRINT_TARGET_MB = 500.0


def run(ctx: RunContext) -> Measurement:
    with running_platform(ctx.data_dir / "platform") as platform:
        started = platform.started_in
        time.sleep(SETTLE_SECONDS)
        rss, pss, parts = footprint_mb(platform.pids())
    if not ctx.warmup:
        print("    RSS MB per part: " + ", ".join(f"{k} {v:.0f}" for k, v in parts.items()), flush=True)
    return Measurement(started, {"footprint": rss, "footprint_pss": pss})


register(
    Benchmark(
        key="startup",
        unit="s",
        run=run,
        reference_key="bare_startup",
        higher_is_better=False,
        target=f"<= {TARGET_SECONDS:g} s",
        target_value=TARGET_SECONDS,
        description=(
            "services/launcher.py Platform.start() (what `gongshi run` runs) on an empty data directory, "
            "until NATS, the four services (gRPC health) and the gateway (/healthz) all report healthy"
        ),
        extras=(
            Extra(
                "footprint",
                "MB",
                reference_key="bare_footprint",
                higher_is_better=False,
                target=f"idle <= {FOOTPRINT_TARGET_MB:g} MB",
                target_value=FOOTPRINT_TARGET_MB,
                description=(
                    f"RSS sum (/proc/<pid>/smaps_rollup) of nats, the 4 services and the gateway, idle "
                    f"{SETTLE_SECONDS:g} s after start-up"
                ),
            ),
            Extra(
                "footprint_pss",
                "MB",
                higher_is_better=False,
                description="the same as PSS: pages shared between processes (libraries) counted once",
            ),
        ),
    )
)

"""How busy the machine is besides the bench: other work skews every figure."""

from __future__ import annotations

import os
import time


def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def busy_fraction(sample_seconds: float = 0.5) -> float | None:
    """Share of all CPUs busy during a short sample, before the bench starts anything."""
    try:
        busy0, total0 = _cpu_times()
        time.sleep(sample_seconds)
        busy1, total1 = _cpu_times()
    except OSError:
        return None
    return (busy1 - busy0) / max(1, total1 - total0)


def describe(busy: float | None) -> str:
    cpus = os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    share = "unknown" if busy is None else f"{busy:.0%}"
    return f"{cpus} CPUs, {share} busy before start, load average {load:.2f}"

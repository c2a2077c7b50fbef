"""CPU time the processes of a platform spend on a phase of load, per request.

On a shared 2-core machine a throughput says how much of the cores a part
got; the CPU it burned per request says what it costs, which is what sizing
needs (requests/s one core can serve = 1000 / CPU ms per request).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from bench.platform._platform import all_pids

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command name: state is field 3, utime 14 and stime 15 (1-based, man proc).
    return (int(fields[11]) + int(fields[12])) / TICKS


class CpuMeter:
    """CPU seconds per group of processes between ``start()`` and ``stop()``.

    ``groups`` maps a name to a function returning that group's root pids now
    (called at both ends: a PostgreSQL backend may appear during the phase);
    their descendants count too. A process that exits during the phase loses
    its share, so the figures are a floor.
    """

    def __init__(self, groups: dict[str, Callable[[], list[int]]]) -> None:
        self.groups = groups
        self._before: dict[str, dict[int, float]] = {}

    def _sample(self) -> dict[str, dict[int, float]]:
        return {
            name: {pid: cpu_seconds(pid) for pid in all_pids(roots())} for name, roots in self.groups.items()
        }

    def start(self) -> None:
        self._before = self._sample()

    def stop(self) -> dict[str, float]:
        after = self._sample()
        used = {}
        for name, pids in after.items():
            before = self._before.get(name, {})
            used[name] = sum(max(0.0, cpu - before.get(pid, 0.0)) for pid, cpu in pids.items())
        return used

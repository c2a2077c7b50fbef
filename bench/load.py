"""Load-generation helpers shared by bare and platform benchmarks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any


async def closed_loop(op: Callable[[], Awaitable[Any]], concurrency: int, seconds: float) -> float:
    """Keep ``concurrency`` calls of ``op`` in flight for ``seconds``; return completed ops/s.

    Closed loop (each worker issues its next call when the previous returns), so
    the number in flight is exactly ``concurrency`` and nothing queues unboundedly.
    """
    done = 0
    deadline = 0.0

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await op()
            done += 1

    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / (time.perf_counter() - start)


def timed_loop(op: Callable[[], int], seconds: float) -> float:
    """Call ``op`` (which returns how many items it handled) until ``seconds`` pass; items/s."""
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        done += op()
    return done / (time.perf_counter() - start)

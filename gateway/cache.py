"""A small time-bounded cache for platform-wide aggregates: statistics over
every decision scan the whole read model, so the home page and unfiltered
statistics are recomputed at most once per TTL, not on every view."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

STATISTICS_TTL_SECONDS = 60.0


class TtlCache:
    def __init__(self, ttl: float, max_entries: int = 256) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[Any, tuple[float, Any]] = {}
        self._locks: dict[Any, asyncio.Lock] = {}

    async def get(self, key, compute: Callable[[], Awaitable[Any]]):
        entry = self._entries.get(key)
        if entry and time.monotonic() - entry[0] < self.ttl:
            return entry[1]
        # One computation per key at a time: a burst of views waits for the first.
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            entry = self._entries.get(key)
            if entry and time.monotonic() - entry[0] < self.ttl:
                return entry[1]
            value = await compute()
            if len(self._entries) >= self.max_entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = (time.monotonic(), value)
            return value


statistics_cache = TtlCache(STATISTICS_TTL_SECONDS)


async def statistics(clients, request) -> Any:
    """Statistics from results; platform-wide ones (no agency or region) come from the cache."""
    if request.agency_code or request.region_code:
        return await clients.results_query.Statistics(request)
    return await statistics_cache.get(
        request.SerializeToString(deterministic=True), lambda: clients.results_query.Statistics(request)
    )

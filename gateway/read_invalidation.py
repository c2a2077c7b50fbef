"""Keeps the read cache (gateway/read_cache.py) in step with the results: every
message on `gongshi.results.>` drops the cached pages, and the cache serves
only while this subscription is known to be alive.

A plain NATS subscription is enough: a missed event cannot leave a stale page
behind, because the cache is emptied whenever the connection comes back, and
while the connection is down (or back but not yet confirmed) nothing is served
from memory. "Confirmed" means a PING/PONG after the subscription was (re)sent:
the server has it, so every event published after that reaches us, and every
change published before it was committed before the cache was emptied.
"""

from __future__ import annotations

import asyncio
import logging

from gateway.read_cache import ReadCache
from services.runtime.bus import Bus

log = logging.getLogger(__name__)

SUBJECT = "gongshi.results.>"
CONFIRM_TIMEOUT_SECONDS = 2.0


class CacheInvalidator:
    def __init__(self, cache: ReadCache, bus: Bus) -> None:
        self.cache = cache
        self.bus = bus
        self._sub = None
        # The connection's reconnect count when the subscription was last confirmed;
        # None while it is not (not yet subscribed, or a confirmation is due).
        self._confirmed_at: int | None = None
        self._confirming: asyncio.Task | None = None
        cache.link = self.live

    async def start(self, connected: asyncio.Event) -> None:
        """Subscribe once the gateway's NATS connection is up (the hub connects it)."""
        await connected.wait()
        self._sub = await self.bus.nc.subscribe(SUBJECT, cb=self._on_event)
        await self._confirm()

    async def _on_event(self, _msg) -> None:
        self.cache.invalidate()

    def _reconnects(self) -> int:
        # nats-py counts a reconnect before it reports the connection as up again,
        # so a reconnect can never look like the connection that was confirmed.
        return self.bus.nc.stats["reconnects"]

    def live(self) -> bool:
        """True while pages may be served from memory."""
        if not self.bus.connected:
            return False
        if self._confirmed_at == self._reconnects():
            return True
        if self._sub is not None and (self._confirming is None or self._confirming.done()):
            self._confirming = asyncio.create_task(self._confirm())
        return False

    async def _confirm(self) -> None:
        self._confirmed_at = None
        reconnects = self._reconnects()
        try:
            await self.bus.nc.flush(timeout=CONFIRM_TIMEOUT_SECONDS)
        except Exception as exc:  # still or again disconnected: the next request tries again
            log.info("read cache stays off: NATS did not confirm its subscription: %s", exc)
            return
        # Whatever was published while we could not hear it is in the services now.
        self.cache.invalidate()
        self._confirmed_at = reconnects
        log.info("read cache on (subscribed to %s)", SUBJECT)

"""Periodic background work, written once: one round every so many seconds,
a failed round logged and retried by the next (ServiceRuntime.add_job)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


def periodic(
    round_: Callable[[], Awaitable[object]], every: float, name: str
) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        while True:
            try:
                await round_()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("%s failed: %r; retrying in %gs", name, exc, every)
            await asyncio.sleep(every)

    run.__name__ = name
    return run

"""The gateway's woken workers: the webhook dispatcher and the follow mails'
postman. Each sends the pending rows of one table, at least once: a row is
claimed when its next attempt is due, tried, and then marked done, given up
after its last attempt, or rescheduled with exponential back-off.

The loop is written once here: a round runs again at once while rounds find
work; otherwise the worker sleeps until a commit wakes it (`notify`) or the
poll interval passes (a back-off ended, or another replica stored rows)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlmodel import col, select


class WokenWorker:
    """Subclasses say what a round does (`round`, returning how many rows it
    handled) and how a failed round reads in their module's log."""

    failure = "worker round failed: %s"

    def __init__(self, *, retry_base: float, retry_max: float, poll_seconds: float) -> None:
        self.retry_base = retry_base
        self.retry_max = retry_max
        self.poll_seconds = poll_seconds
        self.wake = asyncio.Event()
        self._stopping = asyncio.Event()

    def notify(self) -> None:
        self.wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self.wake.set()

    def backoff(self, attempts: int) -> float:
        return min(self.retry_base * 2 ** (attempts - 1), self.retry_max)

    async def round(self) -> int:
        raise NotImplementedError

    async def close(self) -> None:
        """Release what the rounds opened (called once the loop ends)."""

    async def run(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    busy = await self.round()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    logging.getLogger(type(self).__module__).warning(self.failure, exc)
                    busy = 0
                if busy:
                    continue
                self.wake.clear()
                try:
                    await asyncio.wait_for(self.wake.wait(), self.poll_seconds)
                except TimeoutError:
                    pass
        finally:
            await self.close()

    def attempted(self, row: Any, *, ok: bool, max_attempts: int, now: dt.datetime) -> bool:
        """Counts an attempt on a claimed row. True when it succeeded (the caller
        marks it done, its own way); otherwise the row is failed for good after
        `max_attempts`, or waits its back-off."""
        row.attempts += 1
        if ok:
            return True
        if row.attempts >= max_attempts:
            row.status = "failed"
        else:
            row.next_attempt_at = now + dt.timedelta(seconds=self.backoff(row.attempts))
        return False


def due(row_type: Any, *joined: Any, now: dt.datetime, batch: int):
    """The select of a table's pending rows whose next attempt is due, oldest
    first (with the columns of `joined`, for the caller to join)."""
    return (
        select(row_type, *joined)
        .where(row_type.status == "pending", row_type.next_attempt_at <= now)
        .order_by(row_type.next_attempt_at, row_type.id)
        .limit(batch)
    )


async def reload(session, row_type: Any, ids: list[int]) -> dict[int, Any]:
    """The rows with these ids as they are now, in the writing session, by id
    (a row removed since it was claimed is missing)."""
    rows = (await session.exec(select(row_type).where(col(row_type.id).in_(ids)))).all()
    return {row.id: row for row in rows}


class WakesWorker:
    """The intake side of a woken worker: the consumer whose units queue its
    rows. It wakes the worker after the commit of a unit that queued some, and
    only then (most units queue none)."""

    def __init__(self, wake: Callable[[], None]) -> None:
        self._wake_worker = wake
        self._queued = False  # the last unit queued rows: set by the subclass's unit

    def after_commit(self) -> None:
        if self._queued:
            self._queued = False
            self._wake_worker()

"""Group commit: concurrent single writes stored by one transaction.

Why: a PublishDecision is a fraction of a millisecond of CPU (validation,
masking) and then a transaction of a dozen statements, each a hop to the
database thread. SQLite has one writer, so with 64 calls in flight 63 used to
wait while one transaction walked its statements (docs/performance.md,
"ingest_unary"). The batch path stores hundreds of decisions with about the
same statements as one, so calls that arrive while a transaction runs are
stored together by the next one.

How: each caller prepares its own item (the CPU half, no lock needed) and
`submit`s it. One committer task runs while there is work: it takes what is
queued (at most MAX_GROUP_ITEMS), stores the group with one call of
`commit_group`, gives each caller its own result, then takes what queued
meanwhile. A caller's `submit` returns only after the transaction that
stored its item committed; if it failed, every caller of that group gets the
exception. A caller cancelled while it waits just stops waiting: an item not
yet taken is dropped, one already in a running transaction is still stored
(as when a reply is lost on the wire), and the others are not disturbed.

Each group runs in the context (contextvars: the trace, among others) of its
first caller, so its transaction span is a child of that call's span.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# A group is one transaction: big enough that 64 or 256 calls in flight need
# one or two of them, small enough that a transaction stays short.
MAX_GROUP_ITEMS = 256


@dataclass
class _Waiter(Generic[T]):
    item: T
    future: asyncio.Future
    context: contextvars.Context


class GroupCommitter(Generic[T, R]):
    """Stores items submitted concurrently in groups, one group at a time.

    `commit_group(items)` must return one result per item, in order, or
    raise: then every caller of that group gets the exception."""

    def __init__(
        self,
        commit_group: Callable[[list[T]], Awaitable[Sequence[R]]],
        *,
        max_items: int = MAX_GROUP_ITEMS,
    ) -> None:
        self._commit_group = commit_group
        self._max_items = max_items
        self._queue: deque[_Waiter[T]] = deque()
        self._runner: asyncio.Task | None = None

    async def submit(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        waiter = _Waiter(item, loop.create_future(), contextvars.copy_context())
        self._queue.append(waiter)
        if self._runner is None:
            self._runner = loop.create_task(self._run(), name="group-commit")
        return await waiter.future

    async def _run(self) -> None:
        try:
            while self._queue:
                group = self._take()
                if group:
                    await self._commit(group)
        finally:
            self._runner = None
            # Only reached with items left if this task itself was cancelled
            # (shutdown): nobody would store them, so nobody may wait for them.
            _fail(self._queue, RuntimeError("group commit stopped before storing this item"))
            self._queue.clear()

    def _take(self) -> list[_Waiter[T]]:
        group: list[_Waiter[T]] = []
        while self._queue and len(group) < self._max_items:
            waiter = self._queue.popleft()
            if not waiter.future.done():  # done before it was taken: its caller was cancelled
                group.append(waiter)
        return group

    async def _commit(self, group: list[_Waiter[T]]) -> None:
        items = [w.item for w in group]
        task = asyncio.get_running_loop().create_task(self._commit_group(items), context=group[0].context)
        try:
            results = await task
            if len(results) != len(group):
                raise RuntimeError(f"commit_group returned {len(results)} results for {len(group)} items")
        except asyncio.CancelledError:
            _fail(group, RuntimeError("the transaction of this item was cancelled"))
            if asyncio.current_task().cancelling():
                raise  # this task is being stopped; otherwise only that transaction was
            return
        except Exception as exc:
            _fail(group, exc)
            return
        for waiter, result in zip(group, results, strict=True):
            if not waiter.future.done():
                waiter.future.set_result(result)


def _fail(waiters, exc: BaseException) -> None:
    for waiter in waiters:
        if not waiter.future.done():
            waiter.future.set_exception(exc)

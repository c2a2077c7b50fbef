"""The SQLite write lock: one holder at a time, arrival order, urgent writers first."""

from __future__ import annotations

import asyncio

from services.runtime.db import WriteLock


async def _holder(lock: WriteLock, name: str, order: list[str], *, urgent: bool = False, hold: float = 0.0):
    async with lock.hold(urgent=urgent):
        order.append(name)
        await asyncio.sleep(hold)


async def test_waiters_are_served_in_arrival_order_with_urgent_ones_first():
    lock, order = WriteLock(), []
    first = asyncio.create_task(_holder(lock, "first", order, hold=0.05))
    await asyncio.sleep(0)  # "first" holds the lock
    tasks = [asyncio.create_task(_holder(lock, f"normal-{i}", order)) for i in range(3)]
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(_holder(lock, "urgent", order, urgent=True)))
    await asyncio.gather(first, *tasks)
    assert order == ["first", "urgent", "normal-0", "normal-1", "normal-2"]
    assert not lock.locked


async def test_holders_never_overlap():
    lock, inside, most = WriteLock(), 0, 0

    async def writer(i: int) -> None:
        nonlocal inside, most
        async with lock.hold(urgent=i % 3 == 0):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.001)
            inside -= 1

    await asyncio.gather(*(writer(i) for i in range(30)))
    assert most == 1 and not lock.locked


async def test_a_cancelled_waiter_leaves_the_queue():
    lock, order = WriteLock(), []
    first = asyncio.create_task(_holder(lock, "first", order, hold=0.05))
    await asyncio.sleep(0)
    doomed = asyncio.create_task(_holder(lock, "doomed", order))
    after = asyncio.create_task(_holder(lock, "after", order))
    await asyncio.sleep(0)
    doomed.cancel()
    await asyncio.gather(first, after, doomed, return_exceptions=True)
    assert order == ["first", "after"] and not lock.locked


async def test_a_waiter_cancelled_as_it_is_handed_the_lock_passes_it_on():
    lock, order = WriteLock(), []
    held = lock.hold()
    await held.__aenter__()
    doomed = asyncio.create_task(_holder(lock, "doomed", order))
    after = asyncio.create_task(_holder(lock, "after", order))
    await asyncio.sleep(0)  # both wait
    await held.__aexit__(None, None, None)  # hands the lock to "doomed", which has not run yet ...
    doomed.cancel()  # ... and is cancelled before it does
    await asyncio.gather(after, doomed, return_exceptions=True)
    assert order == ["after"] and doomed.cancelled() and not lock.locked

"""The group committer: calls that arrive while a group commits are stored by
the next group, each caller gets its own result only after its group is
stored, a failure reaches every caller of its group, and a cancelled caller
disturbs nobody."""

from __future__ import annotations

import asyncio
import contextvars

import pytest

from services.results.group_commit import GroupCommitter

CALLER: contextvars.ContextVar[str] = contextvars.ContextVar("caller", default="")


class Store:
    """A commit_group that records its groups and can be held, or made to fail once."""

    def __init__(self) -> None:
        self.groups: list[list[int]] = []
        self.callers: list[str] = []
        self.stored: list[int] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.fail: BaseException | None = None

    async def commit(self, items: list[int]) -> list[str]:
        self.groups.append(list(items))
        self.callers.append(CALLER.get())
        await self.gate.wait()
        fail, self.fail = self.fail, None  # one group fails, the next is stored
        if fail is not None:
            raise fail
        self.stored.extend(items)
        return [f"stored {i}" for i in items]


async def submit_as(committer: GroupCommitter, item: int) -> str:
    CALLER.set(f"caller {item}")
    return await committer.submit(item)


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_calls_that_arrive_during_a_commit_are_stored_together_each_with_its_own_result():
    store = Store()
    committer = GroupCommitter(store.commit)
    store.gate.clear()
    first = asyncio.create_task(submit_as(committer, 0))
    await settle()  # the first group ({0}) is committing and held
    rest = [asyncio.create_task(submit_as(committer, i)) for i in range(1, 20)]
    await settle()
    assert not any(t.done() for t in [first, *rest])  # nobody answered before its commit
    store.gate.set()
    assert await first == "stored 0"
    assert await asyncio.gather(*rest) == [f"stored {i}" for i in range(1, 20)]
    assert store.groups == [[0], list(range(1, 20))]
    # Each group runs in the context of its first caller (its trace, for one).
    assert store.callers == ["caller 0", "caller 1"]


async def test_groups_are_capped():
    store = Store()
    committer = GroupCommitter(store.commit, max_items=4)
    results = await asyncio.gather(*(committer.submit(i) for i in range(10)))
    assert results == [f"stored {i}" for i in range(10)]
    assert [len(g) for g in store.groups] == [4, 4, 2]


async def test_a_failed_commit_reaches_every_caller_of_its_group_and_the_next_group_still_runs():
    store = Store()
    committer = GroupCommitter(store.commit)
    store.gate.clear()
    store.fail = RuntimeError("disk full")
    doomed = [asyncio.create_task(committer.submit(i)) for i in range(5)]
    await settle()
    assert store.groups == [[0, 1, 2, 3, 4]]
    later = asyncio.create_task(committer.submit(5))  # queued behind the failing group
    await settle()
    store.gate.set()
    for task in doomed:
        with pytest.raises(RuntimeError, match="disk full"):
            await asyncio.wait_for(task, 5)
    assert await asyncio.wait_for(later, 5) == "stored 5"
    assert store.stored == [5]


async def test_a_cancelled_waiter_is_dropped_if_not_yet_taken_and_never_breaks_its_group():
    store = Store()
    committer = GroupCommitter(store.commit)
    store.gate.clear()
    running = [asyncio.create_task(committer.submit(i)) for i in range(3)]
    await settle()  # group [0, 1, 2] is committing
    queued = [asyncio.create_task(committer.submit(i)) for i in range(3, 6)]
    await settle()
    running[1].cancel()  # its item is in the running transaction
    queued[0].cancel()  # its item is not taken yet
    await settle()
    store.gate.set()
    assert await asyncio.wait_for(running[0], 5) == "stored 0"
    assert await asyncio.wait_for(running[2], 5) == "stored 2"
    assert await asyncio.wait_for(asyncio.gather(*queued[1:]), 5) == ["stored 4", "stored 5"]
    for task in (running[1], queued[0]):
        with pytest.raises(asyncio.CancelledError):
            await task
    # The item already in a transaction is stored anyway; the one not taken is not.
    assert store.groups == [[0, 1, 2], [4, 5]]
    assert store.stored == [0, 1, 2, 4, 5]


async def test_a_cancelled_transaction_fails_its_group_and_the_committer_goes_on():
    store = Store()
    committer = GroupCommitter(store.commit)
    store.fail = asyncio.CancelledError()
    store.gate.clear()
    doomed = [asyncio.create_task(committer.submit(i)) for i in range(2)]
    await settle()
    store.gate.set()
    for task in doomed:
        with pytest.raises(RuntimeError, match="cancelled"):
            await asyncio.wait_for(task, 5)
    assert await asyncio.wait_for(committer.submit(2), 5) == "stored 2"


async def test_a_wrong_number_of_results_is_an_error_for_every_caller():
    async def short(items: list[int]) -> list[str]:
        return ["only one"]

    committer = GroupCommitter(short)
    results = await asyncio.gather(*(committer.submit(i) for i in range(3)), return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)

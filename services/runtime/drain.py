"""A graceful stop of a gRPC server that answers UNAVAILABLE, never CANCELLED.

A call cut by a stop must end with a code clients retry (UNAVAILABLE, as
documented in docs/reliability.md): CANCELLED reads as "the client gave up",
and a client that retries only the retryable codes would report a write as
failed that was never stored. grpc's own stop(grace) cancels what is still
running when the grace ends, and depending on timing the client then sees
CANCELLED. So the server drains itself first:

1. new calls are refused at once with UNAVAILABLE ("stopping; retry");
2. calls in flight get the grace period to finish;
3. those still running are cancelled by us, and answer UNAVAILABLE (their
   transaction rolls back; if it had committed, the retry finds the stored
   record, since every write is idempotent);
4. calls that reached grpc but not yet this code are let in (and refused
   UNAVAILABLE) until none has come for SETTLE_QUIET_SECONDS;
5. only then does grpc's own stop run, with nothing left to cancel.

One window stays: a call that grpc core accepted in the instant before its
stop, and never handed to Python, is answered CANCELLED by core itself
(grpc/grpc#41785, fix proposed upstream in #41786). Such a call never ran,
so clients may retry a CANCELLED they did not cause on an idempotent write
(docs/reliability.md).
"""

from __future__ import annotations

import asyncio

import grpc

# After the grace period, how long cut calls get to send their UNAVAILABLE.
CUT_REPLY_SECONDS = 1.0
# Step 4: the quiet that shows grpc's queue of accepted calls is empty, and its cap.
SETTLE_QUIET_SECONDS = 0.05
SETTLE_MAX_SECONDS = 0.5
STOPPING = "the service is stopping; retry (another replica or after the restart)"


class Drain:
    def __init__(self) -> None:
        self.draining = False
        self._calls: set[asyncio.Task] = set()
        self._cut: set[asyncio.Task] = set()
        self._arrivals = 0  # calls seen by admit, admitted or refused

    async def admit(self, context: grpc.aio.ServicerContext) -> None:
        """At the start of a call: refuse it while draining, else track it."""
        self._arrivals += 1
        if self.draining:
            await context.abort(grpc.StatusCode.UNAVAILABLE, STOPPING)
        task = asyncio.current_task()
        if task is not None:
            self._calls.add(task)

    def release(self) -> None:
        task = asyncio.current_task()
        self._calls.discard(task)
        self._cut.discard(task)

    def was_cut(self) -> bool:
        """True when the current call's CancelledError is our doing (step 3)."""
        return asyncio.current_task() in self._cut

    async def drain(self, grace: float) -> None:
        self.draining = True
        if self._calls:
            await asyncio.wait(set(self._calls), timeout=grace)
        remaining = set(self._calls)
        self._cut |= remaining
        for task in remaining:
            task.cancel()
        if remaining:
            await asyncio.wait(remaining, timeout=CUT_REPLY_SECONDS)
        await self._settle()

    async def _settle(self) -> None:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + SETTLE_MAX_SECONDS
        while loop.time() < give_up:
            seen = self._arrivals
            await asyncio.sleep(SETTLE_QUIET_SECONDS)
            if self._arrivals == seen:
                return

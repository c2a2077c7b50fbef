"""Kill test: while an agency pushes 10,000 decisions, SIGKILL in turn the
results service, the NATS server and a consumer process, restarting each.

At the end every acknowledged decision is stored exactly once, its event is
in the stream exactly once, every consumer applied it exactly once, and the
outbox is empty. The figures are printed (pytest -s shows them).
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from services.launcher import Part
from tests.support.platform import register_agency
from tests.trust.conftest import effects_consumer_part
from tests.trust.load import (
    Ledger,
    Pusher,
    document_numbers,
    pending_outbox,
    rows,
    stream_messages,
    tally,
    until,
)

TOTAL = 10_000


async def _restart(part: Part, *, how: str = "kill", health_wait: float = 60) -> None:
    await asyncio.to_thread(part.kill if how == "kill" else part.stop)
    await asyncio.to_thread(part.start)
    await asyncio.to_thread(part.wait_healthy, health_wait)


@pytest.mark.timeout(900)  # 10,000 writes on two shared cores
def test_nothing_lost_nothing_doubled_under_sigkill(sqlite_platform, tmp_path):
    running, settings, _ = sqlite_platform
    code = f"KILL-{uuid.uuid4().hex[:6]}"
    token = register_agency(settings, code)
    results_db = settings.db_url("results")
    effects_db = f"sqlite+aiosqlite:///{tmp_path / 'effects.db'}"
    consumer = effects_consumer_part(running, effects_db, tmp_path)
    consumer.start()
    consumer.wait_healthy(30)

    ledger = Ledger()
    documents = document_numbers(f"京{code}罚", TOTAL)
    # (victim, writes acknowledged when it was killed, when it was back, seconds into the load)
    phases: list[tuple[str, int, int, float]] = []

    async def scenario() -> None:
        async with Pusher(
            [settings.grpc_addr("results")], token, ledger, gateway=running.gateway.address
        ) as pusher:
            load = asyncio.create_task(pusher.push(documents, deadline=time.monotonic() + 240))
            started = time.monotonic()
            victims = [("results service", running.services["results"]), ("NATS server", running.nats)]
            victims.append(("consumer", consumer))
            for n, (name, part) in enumerate(victims, start=1):
                await until(
                    _at_least(ledger, TOTAL * n // (len(victims) + 1), load),
                    within=180,
                    what=f"{TOTAL * n // 4} acknowledged writes",
                )
                killed_at, at = len(ledger), time.monotonic() - started
                await _restart(part)
                phases.append((name, killed_at, len(ledger), at))
            await load
        print(
            f"\n{TOTAL} pushes acknowledged in {time.monotonic() - started:.1f}s "
            f"({ledger.calls} calls, {ledger.retries} retried; "
            f"{pusher.via_gateway} through the gateway's REST API)"
        )

        async def settled() -> bool:
            if await pending_outbox(results_db):
                return False
            applied = await rows(effects_db, "SELECT count(DISTINCT result_id) FROM trust_effects")
            return applied[0][0] >= len(ledger)

        # The consumer's unacknowledged batch comes back after the ack wait (30 s).
        await until(settled, within=120, interval=1, what="the outbox to drain and the consumer to catch up")

    asyncio.run(scenario())
    for (name, killed_at, back_at, at), nxt in zip(phases, [*phases[1:], None], strict=True):
        after = (nxt[1] if nxt else len(ledger)) - killed_at
        print(
            f"  SIGKILL {name} at {at:.0f}s, after {killed_at} writes: {back_at - killed_at} writes "
            f"acknowledged while it restarted, {after} from the kill to the next kill or the end"
        )

    events = asyncio.run(stream_messages(running.nats.address, f"gongshi.results.published.{code}"))
    # The feedback service consumes the same events (its copy of results): each applied once.
    event_ids = {m.headers["Nats-Msg-Id"] for m in events}
    feedback_db = settings.db_url("feedback")

    async def feedback_applied() -> set[str]:
        found = await rows(feedback_db, "SELECT event_id FROM inbox WHERE consumer = 'feedback-copies'")
        return {r[0] for r in found} & event_ids

    async def feedback_caught_up() -> bool:
        return len(await feedback_applied()) == len(event_ids)

    asyncio.run(until(feedback_caught_up, within=120, interval=1, what="the feedback service's consumer"))
    effects = asyncio.run(rows(effects_db, "SELECT event_id, result_id FROM trust_effects"))
    inbox = asyncio.run(rows(effects_db, "SELECT count(*) FROM inbox WHERE consumer = 'trust-effects'"))
    figures = asyncio.run(
        tally(ledger, agency=code, results_db=results_db, stream_events=events, effects=effects)
    )
    print(figures.line("kill test"))
    applied_by_feedback = len(asyncio.run(feedback_applied()))
    print(f"  feedback-copies consumer applied {applied_by_feedback} of {len(event_ids)} events")
    consumer.stop()

    assert figures.acknowledged == TOTAL
    assert figures.stored == TOTAL
    assert figures.lost == 0
    assert figures.duplicates == 0
    assert figures.outbox_pending == 0
    # The consumer applied each event once: one inbox row per event, one effect per inbox row.
    assert inbox[0][0] == len(effects) == TOTAL


def _at_least(ledger: Ledger, count: int, load: asyncio.Task):
    async def reached() -> bool:
        if load.done():
            load.result()  # surface a failed load at once
            return True
        return len(ledger) >= count

    return reached

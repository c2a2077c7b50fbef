"""The durable consumer loop against a real NATS server and a real database:
redelivery on failure, exactly-once application, dead letters, reconnects."""

from __future__ import annotations

import asyncio

import nats
import pytest
from sqlalchemy import func
from sqlmodel import Field, SQLModel, select

from gongshi.v1 import events_pb2
from services.runtime import events as ev
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.subscription import DeadLetterRow, InboxRow, Subscription
from tests.support.runtime import make_stack


class AppliedEffect(SQLModel, table=True):
    __tablename__ = "test_applied_effects"
    id: int | None = Field(default=None, primary_key=True)
    marker: str


async def publish(stack, subject: str, marker: str, msg_id: str, attempts: int = 1) -> None:
    message = events_pb2.EventDeadLettered(error=marker)
    for attempt in range(attempts):
        try:
            await stack.bus.js.publish(
                subject,
                message.SerializeToString(),
                timeout=2,
                headers={ev.HEADER_MSG_ID: msg_id, ev.HEADER_EVENT_TYPE: ev.event_type(message)},
            )
            return
        except nats.errors.TimeoutError:
            if attempt == attempts - 1:
                raise


async def effects(stack) -> list[str]:
    async with stack.db.reader() as session:
        return list((await session.exec(select(AppliedEffect.marker))).all())


async def wait_for(predicate, limit: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.1)


def recording_subscription(durable: str, subject: str, fail_times: dict[str, int]) -> Subscription:
    async def handler(session, message, inbound) -> None:
        session.add(AppliedEffect(marker=message.error))
        if fail_times.get(message.error, 0) > 0:
            fail_times[message.error] -= 1
            raise RuntimeError(f"handler failed on {message.error}")

    return Subscription(durable, PUBLIC_STREAM, [subject]).on(events_pb2.EventDeadLettered, handler)


async def test_failure_is_redelivered_and_applied_once(db_url, nats_server):
    stack = await make_stack(db_url, nats_server.url, tables=[AppliedEffect.__table__])
    # Two failures: one inside a batch (rolled back, retried alone) and one
    # alone, which is nak'ed and redelivered by the server.
    runner = stack.consumer(recording_subscription("redeliver", "gongshi.t1.>", {"flaky": 2}))
    task = asyncio.create_task(runner.run())
    try:
        await publish(stack, "gongshi.t1.x.a", "flaky", "e-flaky")
        await publish(stack, "gongshi.t1.x.a", "fine", "e-fine")
        await wait_for(lambda: _at_least(stack, InboxRow, 2))
        # The failed attempt rolled back with its effect; the redelivery applied it once.
        assert sorted(await effects(stack)) == ["fine", "flaky"]
        assert runner.redelivered >= 1 and runner.applied == 2
    finally:
        runner.stop()
        await task
        await stack.close()


async def test_redelivered_duplicate_is_applied_once(db_url, nats_server):
    # A short duplicate window lets the same event id into the stream twice,
    # as a re-publish after the window would: the inbox must catch it.
    stack = await make_stack(
        db_url, nats_server.url, tables=[AppliedEffect.__table__], stream_duplicate_window_seconds=0.5
    )
    runner = stack.consumer(recording_subscription("dedupe", "gongshi.t2.>", {}))
    task = asyncio.create_task(runner.run())
    try:
        await publish(stack, "gongshi.t2.x.a", "once", "e-dup")
        await asyncio.sleep(1.2)
        await publish(stack, "gongshi.t2.x.a", "once", "e-dup")
        info = await stack.bus.js.stream_info(PUBLIC_STREAM)
        assert info.state.messages == 2
        await wait_for(lambda: _consumer_done(stack, "dedupe"))
        assert await effects(stack) == ["once"]
    finally:
        runner.stop()
        await task
        await stack.close()


async def test_poison_message_is_dead_lettered(db_url, nats_server):
    stack = await make_stack(db_url, nats_server.url, tables=[AppliedEffect.__table__])
    runner = stack.consumer(recording_subscription("poison", "gongshi.t3.>", {"bad": 99}), max_deliver=3)
    task = asyncio.create_task(runner.run())
    relay = asyncio.create_task(stack.relay.run())
    try:
        await publish(stack, "gongshi.t3.x.a", "bad", "e-bad")
        await publish(stack, "gongshi.t3.x.a", "good", "e-good")
        await wait_for(lambda: _at_least(stack, DeadLetterRow, 1))
        await wait_for(lambda: _at_least(stack, InboxRow, 1))
        async with stack.db.reader() as session:
            dead = (await session.exec(select(DeadLetterRow))).one()
        assert dead.event_id == "e-bad" and dead.deliveries == 3 and "handler failed" in dead.error
        assert await effects(stack) == ["good"]
        # Oversight sees the dead letter as an event.
        nc = await nats.connect(nats_server.url)
        sub = await nc.jetstream().subscribe("gongshi.deadletter.test.poison", ordered_consumer=True)
        notice = events_pb2.EventDeadLettered.FromString((await sub.next_msg(timeout=10)).data)
        assert notice.event_id == "e-bad" and notice.deliveries == 3
        await nc.close()
    finally:
        runner.stop()
        await task
        await stack.relay.stop()
        relay.cancel()
        await stack.close()


@pytest.mark.slow  # restarts NATS
async def test_consumer_resubscribes_after_nats_restart(db_url, nats_server):
    stack = await make_stack(db_url, nats_server.url, tables=[AppliedEffect.__table__])
    runner = stack.consumer(recording_subscription("reconnect", "gongshi.t4.>", {}))
    task = asyncio.create_task(runner.run())
    try:
        await publish(stack, "gongshi.t4.x.a", "before", "e-before")
        await wait_for(lambda: _at_least(stack, InboxRow, 1))
        nats_server.restart()
        await wait_for(lambda: _reconnected(stack))
        # JetStream may still be recovering its streams just after the restart.
        await publish(stack, "gongshi.t4.x.a", "after", "e-after", attempts=10)
        await wait_for(lambda: _at_least(stack, InboxRow, 2), limit=30)
        assert sorted(await effects(stack)) == ["after", "before"]
    finally:
        runner.stop()
        await task
        await stack.close()


async def _at_least(stack, table, n: int) -> bool:
    async with stack.db.reader() as session:
        return await session.scalar(select(func.count()).select_from(table)) >= n


async def _reconnected(stack) -> bool:
    return stack.bus.generation >= 1 and stack.bus.connected


async def _consumer_done(stack, durable: str) -> bool:
    info = await stack.bus.js.consumer_info(PUBLIC_STREAM, durable)
    return info.num_pending == 0 and info.num_ack_pending == 0


@pytest.mark.slow  # waits out redeliveries
async def test_operator_replays_a_dead_letter_once_the_cause_is_fixed(db_url, nats_server):
    stack = await make_stack(db_url, nats_server.url, tables=[AppliedEffect.__table__])
    failures = {"needs-fix": 99}
    runner = stack.consumer(recording_subscription("replay", "gongshi.t5.>", failures), max_deliver=2)
    task = asyncio.create_task(runner.run())
    try:
        await publish(stack, "gongshi.t5.x.a", "needs-fix", "e-fix")
        await wait_for(lambda: _at_least(stack, DeadLetterRow, 1))
        assert await effects(stack) == []
        failures.clear()  # the bug is fixed
        async with stack.db.transaction() as session:
            dead = (await session.exec(select(DeadLetterRow))).one()
            dead.replay_requested_at = stack.clock.now()
            session.add(dead)
        await wait_for(lambda: _at_least(stack, InboxRow, 1))
        assert await effects(stack) == ["needs-fix"]
        async with stack.db.reader() as session:
            assert (await session.exec(select(DeadLetterRow))).one().replayed_at is not None
        # Asking again changes nothing: the inbox already has the event.
        assert await runner.replay_requested() == 0
    finally:
        runner.stop()
        await task
        await stack.close()

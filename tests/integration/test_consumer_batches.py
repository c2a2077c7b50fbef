"""A fetched batch is applied with a constant number of statements (one inbox
query, one inbox insert, the handlers' writes at commit), a duplicate inside
the batch is applied once, and a batch handler gets the new events at once
and falls back to one message at a time when it fails."""

from __future__ import annotations

import asyncio

from sqlalchemy import event, func
from sqlmodel import Field, SQLModel, select

from gongshi.v1 import events_pb2
from services.runtime import events as ev
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.subscription import InboxRow, Subscription
from tests.support.runtime import make_stack


class BatchEffect(SQLModel, table=True):
    # A natural key, as copies have: the unit of work writes new rows with one
    # executemany (rows whose key the database makes are inserted one by one on SQLite).
    __tablename__ = "test_batch_effects"
    marker: str = Field(primary_key=True, max_length=20)


async def _publish(stack, subject: str, marker: str, msg_id: str) -> None:
    message = events_pb2.EventDeadLettered(error=marker)
    await stack.bus.js.publish(
        subject,
        message.SerializeToString(),
        timeout=5,
        headers={ev.HEADER_MSG_ID: msg_id, ev.HEADER_EVENT_TYPE: ev.event_type(message)},
    )


async def _markers(stack) -> list[str]:
    async with stack.db.reader() as session:
        return sorted((await session.exec(select(BatchEffect.marker))).all())


async def _inbox(stack) -> int:
    async with stack.db.reader() as session:
        return await session.scalar(select(func.count()).select_from(InboxRow))


async def _wait(predicate, limit: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.1)


async def _fetch_all(stack, durable: str, subject: str, n: int):
    """Create the durable and fetch the n messages waiting (one batch)."""
    runner_sub = await stack.bus.js.pull_subscribe(subject, durable=durable, stream=PUBLIC_STREAM)
    msgs = []
    while len(msgs) < n:
        msgs += await runner_sub.fetch(n - len(msgs), timeout=5)
    return msgs


async def test_a_batch_costs_a_few_statements_and_applies_a_duplicate_once(db_url, nats_server):
    stack = await make_stack(
        db_url, nats_server.url, tables=[BatchEffect.__table__], stream_duplicate_window_seconds=0.3
    )

    async def handler(session, message, inbound) -> None:
        session.add(BatchEffect(marker=message.error))

    subscription = Subscription("batch-count", PUBLIC_STREAM, ["gongshi.b1.>"]).on(
        events_pb2.EventDeadLettered, handler
    )
    runner = stack.consumer(subscription, batch=128)
    try:
        for n in range(40):
            await _publish(stack, "gongshi.b1.x.a", f"m{n:02d}", f"e{n}")
        await asyncio.sleep(0.5)  # past the duplicate window: the stream takes e3 again
        await _publish(stack, "gongshi.b1.x.a", "m03", "e3")
        msgs = await _fetch_all(stack, "batch-count", "gongshi.b1.>", 41)
        statements: list[str] = []

        def count(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement.split()[0])

        event.listen(stack.db.engine.sync_engine, "before_cursor_execute", count)
        await runner.handle_batch(msgs)
        event.remove(stack.db.engine.sync_engine, "before_cursor_execute", count)
        assert await _markers(stack) == [f"m{n:02d}" for n in range(40)]
        assert runner.applied == 40 and await _inbox(stack) == 40
        # One inbox query, one inbox insert, the effects' insert; no statement per event.
        assert len(statements) <= 6, statements
        # Delivered again (a redelivery after a lost ack): nothing is applied twice.
        for msg in msgs:
            msg._ackd = False  # as the redelivered copies would be
        await runner.handle_batch(msgs)
        assert await _markers(stack) == [f"m{n:02d}" for n in range(40)] and runner.applied == 40
    finally:
        await stack.close()


async def test_a_batch_handler_takes_the_new_events_at_once_and_falls_back_alone(db_url, nats_server):
    stack = await make_stack(db_url, nats_server.url, tables=[BatchEffect.__table__])
    calls: list[list[str]] = []
    failing = {"bad": 1}  # fails once: inside the batch, then succeeds on its own

    async def apply_batch(session, events) -> None:
        calls.append([inbound.event_id for _, inbound in events])
        for message, _ in events:
            if failing.get(message.error, 0) > 0:
                failing[message.error] -= 1
                raise RuntimeError("batch handler failed")
            session.add(BatchEffect(marker=message.error))

    async def apply_one(session, message, inbound) -> None:
        await apply_batch(session, [(message, inbound)])

    subscription = (
        Subscription("batch-handler", PUBLIC_STREAM, ["gongshi.b2.>"])
        .on(events_pb2.EventDeadLettered, apply_one)
        .on_batch(apply_batch)
    )
    runner = stack.consumer(subscription, batch=64)
    try:
        for n, marker in enumerate(["a", "b", "c"]):
            await _publish(stack, "gongshi.b2.x.a", marker, f"ok{n}")
        msgs = await _fetch_all(stack, "batch-handler", "gongshi.b2.>", 3)
        await runner.handle_batch(msgs)
        assert calls == [["ok0", "ok1", "ok2"]]
        assert await _markers(stack) == ["a", "b", "c"]

        for n, marker in enumerate(["d", "bad", "e"]):
            await _publish(stack, "gongshi.b2.x.a", marker, f"next{n}")
        msgs = await _fetch_all(stack, "batch-handler", "gongshi.b2.>", 3)
        calls.clear()
        await runner.handle_batch(msgs)
        # The batch rolled back as a whole, then each message went through on its own.
        assert calls == [["next0", "next1", "next2"], ["next0"], ["next1"], ["next2"]]
        assert await _markers(stack) == ["a", "b", "bad", "c", "d", "e"]
        assert runner.applied == 6 and await _inbox(stack) == 6
    finally:
        await stack.close()


async def test_a_unit_batch_handler_applies_once_in_one_unit_and_falls_back_alone(db_url, nats_server):
    """on_batch_unit: the inbox check, the effects and the inbox rows are one db.unit per
    batch (one hop to SQLite's thread); redelivery applies nothing twice; a failing batch
    rolls back whole and its messages are applied one by one."""
    stack = await make_stack(db_url, nats_server.url, tables=[BatchEffect.__table__])
    calls: list[list[str]] = []
    failing = {"bad": 1}
    table = BatchEffect.__table__

    def apply_unit(conn, events) -> None:
        calls.append([inbound.event_id for _, inbound in events])
        for message, _ in events:
            if failing.get(message.error, 0) > 0:
                failing[message.error] -= 1
                raise RuntimeError("unit handler failed")
        conn.execute(table.insert(), [{"marker": message.error} for message, _ in events])

    async def unused(session, message, inbound) -> None:
        raise AssertionError("a unit subscription applies every message through its unit handler")

    subscription = (
        Subscription("batch-unit", PUBLIC_STREAM, ["gongshi.b3.>"])
        .on(events_pb2.EventDeadLettered, unused)
        .on_batch_unit(apply_unit)
    )
    runner = stack.consumer(subscription, batch=64)
    units: list[str] = []
    real_unit = stack.db.unit

    async def counting_unit(work, name="db.unit", **kwargs):
        units.append(name)
        return await real_unit(work, name, **kwargs)

    stack.db.unit = counting_unit
    try:
        for n, marker in enumerate(["a", "b", "c"]):
            await _publish(stack, "gongshi.b3.x.a", marker, f"u{n}")
        msgs = await _fetch_all(stack, "batch-unit", "gongshi.b3.>", 3)
        await runner.handle_batch(msgs)
        assert calls == [["u0", "u1", "u2"]] and units == ["consume.batch-unit.batch"]
        assert await _markers(stack) == ["a", "b", "c"] and await _inbox(stack) == 3
        for msg in msgs:
            msg._ackd = False  # redelivered after a lost ack
        await runner.handle_batch(msgs)
        assert calls == [["u0", "u1", "u2"]] and runner.applied == 3  # the inbox caught them

        for n, marker in enumerate(["d", "bad", "e"]):
            await _publish(stack, "gongshi.b3.x.a", marker, f"v{n}")
        msgs = await _fetch_all(stack, "batch-unit", "gongshi.b3.>", 3)
        calls.clear()
        await runner.handle_batch(msgs)
        assert calls == [["v0", "v1", "v2"], ["v0"], ["v1"], ["v2"]]
        assert await _markers(stack) == ["a", "b", "bad", "c", "d", "e"]
        assert runner.applied == 6 and await _inbox(stack) == 6
    finally:
        await stack.close()

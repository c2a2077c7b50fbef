"""The outbox relay against a real NATS server and a real database."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, update
from sqlmodel import select

from gongshi.v1 import events_pb2
from services.runtime import events as ev
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.clock import Clock
from services.runtime.outbox import OutboxRelay, OutboxRow, enqueue
from tests.support.runtime import make_stack


def _notice(i: int) -> ev.Event:
    return ev.Event(ev.subject("deadletter", "test", f"c{i % 3}"), events_pb2.EventDeadLettered(error=str(i)))


async def _stream_count(stack) -> int:
    return (await stack.bus.js.stream_info(PUBLIC_STREAM)).state.messages


async def test_pending_rows_are_published_once_and_marked(db_url, nats_server):
    stack = await make_stack(db_url, nats_server.url)
    try:
        async with stack.db.transaction() as session:
            for i in range(50):
                enqueue(session, _notice(i), source="test", now=stack.clock.now())
        assert await stack.relay.drain() == 50
        assert await _stream_count(stack) == 50
        assert await stack.relay.backlog() == (0, None)

        # A crash after the ack but before the rows were marked: everything is
        # published again under the same ids, and JetStream drops the copies.
        async with stack.db.transaction() as session:
            await session.exec(update(OutboxRow).values(sent_at=None))
        assert await stack.relay.drain() == 50
        assert await _stream_count(stack) == 50
    finally:
        await stack.close()


async def test_rows_stay_pending_while_nats_is_down(db_url, nats_server):
    stack = await make_stack(db_url, nats_server.url)
    try:
        nats_server.kill()
        async with stack.db.transaction() as session:
            enqueue(session, _notice(1), source="test", now=stack.clock.now())
        stack.relay_task = asyncio.create_task(stack.relay.run())
        await asyncio.sleep(1)
        assert (await stack.relay.backlog())[0] == 1
        nats_server.start()
        for _ in range(100):
            if (await stack.relay.backlog())[0] == 0:
                break
            await asyncio.sleep(0.2)
        assert (await stack.relay.backlog())[0] == 0
        assert await _stream_count(stack) == 1
        await stack.relay.stop()
        stack.relay_task.cancel()
    finally:
        await stack.close()


async def test_two_relays_never_publish_a_row_twice(db_backend, db_url, nats_server):
    """Two replicas of a service share one database: with FOR UPDATE SKIP
    LOCKED (PostgreSQL) or one writer (SQLite), each row is published by exactly one."""
    stack = await make_stack(db_url, nats_server.url, outbox_batch=20)
    other = OutboxRelay(
        stack.db.__class__(db_url), stack.bus, Clock(), batch=20, poll_seconds=0.1, retention_hours=1
    )
    try:
        async with stack.db.transaction() as session:
            for i in range(400):
                enqueue(session, _notice(i), source="test", now=stack.clock.now())
        await asyncio.gather(stack.relay.drain(), other.drain())
        assert stack.relay.published_total + other.published_total == 400
        if db_backend == "postgres":
            assert stack.relay.published_total > 0 and other.published_total > 0
        else:
            assert 0 in (stack.relay.published_total, other.published_total)  # one elected relay
        assert await _stream_count(stack) == 400
        async with stack.db.reader() as session:
            pending = await session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
            )
        assert pending == 0
    finally:
        await other.db.dispose()
        await stack.close()

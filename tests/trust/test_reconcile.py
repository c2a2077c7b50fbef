"""Reconciliation: messages deleted from the stream are found missing against
the outbox ledger and re-published under their own ids, so every consumer
ends with every event applied exactly once."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
import time
import uuid

import nats
import pytest

from gongshi.v1 import events_pb2
from services.runtime import events as ev
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.outbox import enqueue
from services.runtime.reconcile import parse_since, reconcile
from tests.support.platform import register_agency
from tests.support.runtime import make_stack
from tests.trust.conftest import effects_consumer_part, own_platform
from tests.trust.load import (
    Ledger,
    Pusher,
    document_numbers,
    pending_outbox,
    rows,
    scalar,
    stream_messages,
    until,
)

WINDOW_SECONDS = 2


def _notice(i: int) -> ev.Event:
    return ev.Event(ev.subject("deadletter", "test", "c"), events_pb2.EventDeadLettered(error=str(i)))


async def _delete(nats_url: str, seqs: list[int], **connect) -> None:
    nc = await nats.connect(nats_url, **connect)
    try:
        for seq in seqs:
            await nc.jetstream().delete_msg(PUBLIC_STREAM, seq)
    finally:
        await nc.close()


@pytest.mark.slow  # waits out the duplicate window
async def test_deleted_ids_wait_out_the_duplicate_window(db_url, nats_server):
    """JetStream refuses a deleted message's id inside the duplicate window:
    reconciliation reports those as deferred, and restores them once it has passed."""
    stack = await make_stack(db_url, nats_server.url, stream_duplicate_window_seconds=WINDOW_SECONDS)
    try:
        async with stack.db.transaction() as session:
            for i in range(20):
                enqueue(session, _notice(i), source="test", now=stack.clock.now())
        assert await stack.relay.drain() == 20
        seqs = [m.metadata.sequence.stream for m in await stream_messages(nats_server.url, "gongshi.>")]
        await _delete(nats_server.url, seqs[:5])

        dry = await reconcile("test", stack.db, stack.bus, dry_run=True)
        assert (dry.checked, dry.in_stream, dry.missing, dry.republished) == (20, 15, 5, 0)

        early = await reconcile("test", stack.db, stack.bus)
        assert early.missing == 5 and early.republished == 0 and len(early.deferred) == 5
        assert not early.complete and "duplicate window" in early.summary()

        late = await reconcile("test", stack.db, stack.bus, wait=True)
        assert late.missing == 5 and late.republished == 5 and late.complete
        ids = [m.headers["Nats-Msg-Id"] for m in await stream_messages(nats_server.url, "gongshi.>")]
        assert len(ids) == len(set(ids)) == 20

        again = await reconcile("test", stack.db, stack.bus)
        assert (again.missing, again.republished) == (0, 0)
        assert (
            await reconcile("test", stack.db, stack.bus, since=stack.clock.now() + dt.timedelta(1))
        ).checked == 0
    finally:
        await stack.close()


def test_parse_since():
    now = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)
    assert parse_since("30m", now) == now - dt.timedelta(minutes=30)
    assert parse_since("24h", now) == now - dt.timedelta(days=1)
    assert parse_since("7d", now) == now - dt.timedelta(days=7)
    assert parse_since("2026-11-01T08:00:00+08:00") == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert parse_since("2026-11-01") == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="since"):
        parse_since("yesterday")


@pytest.fixture
def short_window_platform(tmp_path_factory):
    yield from own_platform(
        tmp_path_factory,
        "sqlite",
        extra_env={"GONGSHI_STREAM_DUPLICATE_WINDOW_SECONDS": str(WINDOW_SECONDS)},
    )


def _cli(running, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "services.cli", "reconcile", *args],
        env={**os.environ, **running.env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.timeout(600)  # real processes on two shared cores
def test_reconcile_command_restores_every_consumers_state(short_window_platform, tmp_path):
    running, settings, _ = short_window_platform
    code = f"RECON-{uuid.uuid4().hex[:6]}"
    token = register_agency(settings, code)
    results_db = settings.db_url("results")
    subject = f"gongshi.results.published.{code}"
    total, lost = 300, 60

    # Consumer A applies everything before the stream loses anything.
    db_a = f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"
    consumer_a = effects_consumer_part(running, db_a, tmp_path, name="a", durable="trust-a")
    consumer_a.start()
    consumer_a.wait_healthy(30)
    ledger = Ledger()

    async def push_and_settle() -> None:
        async with Pusher([settings.grpc_addr("results")], token, ledger, batch=100) as pusher:
            await pusher.push(document_numbers(f"浙{code}罚", total), deadline=time.monotonic() + 120)

        async def settled() -> bool:
            applied = await scalar(db_a, "SELECT count(*) FROM trust_effects")
            return not await pending_outbox(results_db) and applied >= total

        await until(settled, within=60, what="consumer A to apply everything")

    asyncio.run(push_and_settle())
    events = asyncio.run(stream_messages(running.nats.address, subject))
    assert len(events) == total
    # The stream loses a fifth of the events (as after an un-fsynced crash).
    asyncio.run(_delete(running.nats.address, [m.metadata.sequence.stream for m in events[::5]]))
    assert len(asyncio.run(stream_messages(running.nats.address, subject))) == total - lost

    # Consumer B starts after the loss: it sees only what is left.
    db_b = f"sqlite+aiosqlite:///{tmp_path / 'b.db'}"
    consumer_b = effects_consumer_part(running, db_b, tmp_path, name="b", durable="trust-b")
    consumer_b.start()
    consumer_b.wait_healthy(30)
    asyncio.run(until(_count(db_b, total - lost), within=60, what="consumer B"))

    dry = _cli(running, "--service", "results", "--dry-run")
    assert dry.returncode == 3, dry.stderr
    assert f"{lost} missing, 0 re-published" in dry.stdout

    time.sleep(WINDOW_SECONDS + 0.5)  # past the duplicate window: the ids may be stored again
    fixed = _cli(running, "--service", "results", "--since", "1h")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert f"{lost} missing, {lost} re-published" in fixed.stdout
    print("\n" + fixed.stdout.strip())

    asyncio.run(until(_count(db_b, total), within=60, what="consumer B to receive the re-published events"))
    time.sleep(1)  # room for a wrong second application to show
    for db in (db_a, db_b):
        effects = asyncio.run(rows(db, "SELECT result_id FROM trust_effects"))
        assert len(effects) == len({r[0] for r in effects}) == total
    assert {r[0] for r in effects} == set(ledger.acked.values())
    ids = [m.headers["Nats-Msg-Id"] for m in asyncio.run(stream_messages(running.nats.address, subject))]
    assert len(ids) == len(set(ids)) == total

    everything = _cli(running)  # all four services: nothing else is missing
    assert everything.returncode == 0, everything.stdout + everything.stderr
    assert everything.stdout.count("0 missing") == 4
    consumer_a.stop()
    consumer_b.stop()


async def _count_async(db: str, at_least: int) -> bool:
    return (await scalar(db, "SELECT count(*) FROM trust_effects")) >= at_least


def _count(db: str, at_least: int):
    return lambda: _count_async(db, at_least)

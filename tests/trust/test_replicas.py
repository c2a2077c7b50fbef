"""Two replicas of the results service on one PostgreSQL database, and two
consumer processes sharing one durable consumer.

The relays claim outbox rows with FOR UPDATE SKIP LOCKED, so each event is
published once: a core NATS subscription sees every publish (JetStream's
dedupe would hide a second one from the stream, not from it). The shared
durable consumer hands each event to one process, and the inbox makes that
exactly once.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections import Counter

import nats
import pytest

from services.launcher import Part, free_port, grpc_healthy
from tests.support.platform import register_agency
from tests.trust.conftest import effects_consumer_part, own_platform
from tests.trust.load import (
    Ledger,
    Pusher,
    document_numbers,
    pending_outbox,
    rows,
    scalar,
    stream_messages,
    tally,
    until,
)

TOTAL = 3_000


@pytest.fixture
def postgres_results(tmp_path_factory):
    yield from own_platform(tmp_path_factory, "postgres", postgres_for=("results",))


def second_replica(running, name: str = "results-2") -> tuple[Part, str]:
    port = free_port()
    address = f"127.0.0.1:{port}"
    part = Part(
        name,
        [sys.executable, "-m", "services.results"],
        {**running.env, **running.nats_login("results"), "GONGSHI_RESULTS_PORT": str(port)},
        lambda: grpc_healthy(address),
        address,
        running.log_dir / f"{name}.log",
    )
    return part, address


@pytest.mark.timeout(600)  # real processes on two shared cores
def test_two_replicas_publish_each_event_once(postgres_results, tmp_path):
    running, settings, databases = postgres_results
    results_db = settings.db_url("results")
    assert results_db.startswith("postgresql")
    replica, replica_address = second_replica(running)
    replica.start()
    replica.wait_healthy(60)
    code = f"PGR-{uuid.uuid4().hex[:6]}"
    token = register_agency(settings, code)

    effects_db = databases.url("effects")
    consumers = [effects_consumer_part(running, effects_db, tmp_path, name=f"effects-{i}") for i in (1, 2)]
    for consumer in consumers:
        consumer.start()
    for consumer in consumers:
        consumer.wait_healthy(30)

    ledger = Ledger()
    published: Counter[str] = Counter()
    subject = f"gongshi.results.published.{code}"

    async def scenario() -> None:
        # Every publish, duplicate or not, reaches a plain subscriber on the subject.
        nc = await nats.connect(running.nats.address)
        sub = await nc.subscribe(subject, pending_msgs_limit=100_000, pending_bytes_limit=512 * 1024 * 1024)

        async def count() -> None:
            async for msg in sub.messages:
                published[msg.headers["Nats-Msg-Id"]] += 1

        counting = asyncio.create_task(count())
        addresses = [settings.grpc_addr("results"), replica_address]
        async with Pusher(addresses, token, ledger, batch=100, singles_every=4) as pusher:
            await pusher.push(document_numbers(f"粤{code}罚", TOTAL), deadline=time.monotonic() + 240)

        async def settled() -> bool:
            applied = await scalar(effects_db, "SELECT count(DISTINCT result_id) FROM trust_effects")
            return (
                not await pending_outbox(results_db) and applied >= TOTAL and sum(published.values()) >= TOTAL
            )

        await until(settled, within=90, interval=0.5, what="both relays and both consumers to finish")
        await asyncio.sleep(1.5)  # room for a second (wrong) publish to arrive
        counting.cancel()
        await nc.close()

    try:
        asyncio.run(scenario())
        events = asyncio.run(stream_messages(running.nats.address, subject))
        effects = asyncio.run(rows(effects_db, "SELECT event_id, result_id FROM trust_effects"))
        per_consumer = asyncio.run(
            scalar(effects_db, "SELECT count(*) FROM inbox WHERE consumer = 'trust-effects'")
        )
        figures = asyncio.run(
            tally(ledger, agency=code, results_db=results_db, stream_events=events, effects=effects)
        )
        shares = dict(
            asyncio.run(rows(effects_db, "SELECT applied_by, count(*) FROM trust_effects GROUP BY 1"))
        )
    finally:
        for part in (*consumers, replica):
            part.stop()
    doubled_publishes = sum(n - 1 for n in published.values() if n > 1)
    print(
        "\n" + figures.line("two replicas on PostgreSQL"),
        f"publishes seen={sum(published.values())} doubled publishes={doubled_publishes}",
        f"applied by each consumer process: {shares}",
    )
    assert figures.acknowledged == figures.stored == TOTAL
    assert figures.lost == figures.duplicates == figures.outbox_pending == 0
    assert len(published) == TOTAL and doubled_publishes == 0
    assert per_consumer == len(effects) == TOTAL
    # Both processes took part: they share one durable consumer.
    assert set(shares) == {"effects-1", "effects-2"} and all(shares.values())

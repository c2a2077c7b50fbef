"""A results copy kept by a consumer the way a Gongshi service keeps one: the
shared durable pull-consumer loop (services/runtime/consumer.py) applies every
`gongshi.results.published.>` event to a local SQLite table, with its inbox row,
in one transaction, and acks after the commit.

It stands in for "the consumers that need the events" of ingest_stream until a
service of the platform subscribes to results itself (the feedback service's
copy); the benchmark waits for every durable consumer of those events anyway.

Run: python -m bench.apps.results_consumer --nats URL --db PATH --port N
(the port is opened once the consumer runs: it tells the bench it is ready;
the NATS user comes from GONGSHI_NATS_USER / GONGSHI_NATS_PASSWORD).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import signal
import socket

from sqlalchemy import Connection
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import results_pb2
from services.results.records import upsert_rows
from services.runtime.app import RUNTIME_TABLES
from services.runtime.bus import PUBLIC_STREAM, Bus
from services.runtime.clock import Clock
from services.runtime.consumer import ConsumerRunner
from services.runtime.db import Database
from services.runtime.settings import Settings
from services.runtime.subscription import InboundEvent, Subscription

DURABLE = "bench-results-copy"
SUBJECTS = ["gongshi.results.published.>"]


class ResultCopy(SQLModel, table=True):
    __tablename__ = "bench_copy_results"
    id: str = Field(primary_key=True, max_length=32)
    agency_code: str = Field(max_length=40)
    document_number: str = Field(max_length=200)
    status: int
    published_at: str = Field(max_length=40)
    applied_at: dt.datetime


def _row(event: results_pb2.ResultPublished) -> dict:
    r = event.result
    return {
        "id": r.id,
        "agency_code": r.agency_code,
        "document_number": r.document_number,
        "status": r.status,
        "published_at": r.published_at,
        "applied_at": dt.datetime.now(dt.UTC),
    }


async def on_published(
    session: AsyncSession, event: results_pb2.ResultPublished, inbound: InboundEvent
) -> None:
    # Named for the event type and its decoding; every batch goes to on_published_unit.
    await session.run_sync(lambda s: on_published_unit(s.connection(), [(event, inbound)]))


def on_published_unit(conn: Connection, events: list) -> None:
    """The batch in one statement, as a service's copy does (later events of an id win),
    as a unit of work: inbox check, upsert and inbox rows are one hop to SQLite's thread."""
    rows = {}
    for event, _ in events:
        row = _row(event)
        rows[row["id"]] = row
    if rows:
        upsert_rows(conn, ResultCopy.__table__, "id", list(rows.values()))


async def run(nats_url: str, db_path: str, port: int) -> None:
    settings = Settings(nats_url=nats_url)  # user and password from the environment
    db = Database(f"sqlite+aiosqlite:///{db_path}")
    await db.create_tables([*RUNTIME_TABLES, ResultCopy.__table__])
    bus = Bus(settings, "bench-results-consumer")
    await bus.connect()
    await bus.ensure_streams()
    subscription = (
        Subscription(DURABLE, PUBLIC_STREAM, SUBJECTS)
        .on(results_pb2.ResultPublished, on_published)
        .on_batch_unit(on_published_unit)
    )
    runner = ConsumerRunner(
        "bench",
        subscription,
        db,
        bus,
        Clock(),
        batch=settings.consumer_batch,
        max_deliver=settings.consumer_max_deliver,
    )
    task = asyncio.create_task(runner.run())
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopped.set)
    # The durable exists once the first fetch is under way; then say ready.
    while True:
        if await _consumer_exists(bus):
            break
        await asyncio.sleep(0.05)
    ready = socket.create_server(("127.0.0.1", port))
    await stopped.wait()
    ready.close()
    runner.stop()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await bus.close()
    await db.dispose()


async def _consumer_exists(bus: Bus) -> bool:
    try:
        await bus.js.consumer_info(PUBLIC_STREAM, DURABLE)
    except Exception:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nats", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(run(args.nats, args.db, args.port))


if __name__ == "__main__":
    main()

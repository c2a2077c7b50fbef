"""A stand-alone consumer process for the fault tests: it applies every
`gongshi.results.published.>` event through the shared consumer loop
(services/runtime/consumer.py) and records one effect row per application.

Effects have no unique key on purpose: an event applied twice would show up
as two rows, which is what the tests count. The effect and the inbox row
commit in one transaction, exactly as in a real service.

Run: python -m tests.trust.effects_consumer DB_URL READY_FILE [NAME [DURABLE]]
(NATS from GONGSHI_NATS_URL / GONGSHI_NATS_USER / GONGSHI_NATS_PASSWORD.)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import signal
import sys
from pathlib import Path

from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import results_pb2
from services.runtime.app import RUNTIME_TABLES
from services.runtime.bus import PUBLIC_STREAM, Bus
from services.runtime.clock import Clock
from services.runtime.consumer import ConsumerRunner
from services.runtime.db import Database
from services.runtime.settings import load_settings
from services.runtime.subscription import InboundEvent, Subscription

DURABLE = "trust-effects"


class EffectRow(SQLModel, table=True):
    __tablename__ = "trust_effects"
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=80)
    result_id: str = Field(max_length=40)
    document_number: str = Field(max_length=200)
    # Which process applied it (several may share the durable consumer).
    applied_by: str = Field(default="", max_length=40)
    applied_at: dt.datetime


def subscription(durable: str = DURABLE, applied_by: str = "") -> Subscription:
    async def on_published(
        session: AsyncSession, event: results_pb2.ResultPublished, inbound: InboundEvent
    ) -> None:
        session.add(
            EffectRow(
                event_id=inbound.event_id,
                result_id=event.result.id,
                document_number=event.result.document_number,
                applied_by=applied_by,
                applied_at=dt.datetime.now(dt.UTC),
            )
        )

    return Subscription(durable, PUBLIC_STREAM, ["gongshi.results.published.>"]).on(
        results_pb2.ResultPublished, on_published
    )


async def run(db_url: str, ready_file: Path, name: str, durable: str) -> None:
    settings = load_settings()
    db = Database(db_url)
    await db.create_tables([*RUNTIME_TABLES, EffectRow.__table__])
    bus = Bus(settings, "trust-effects")
    await bus.connect()
    await bus.ensure_streams()
    runner = ConsumerRunner(
        "trust",
        subscription(durable, applied_by=name),
        db,
        bus,
        Clock(),
        batch=settings.consumer_batch,
        max_deliver=5,
    )
    task = asyncio.create_task(runner.run())
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopped.set)
    await asyncio.to_thread(ready_file.write_text, "ready\n")
    await stopped.wait()
    runner.stop()
    await asyncio.wait_for(task, timeout=10)
    await bus.close()
    await db.dispose()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = [*sys.argv[1:], "", ""]
    asyncio.run(run(args[0], Path(args[1]), args[2], args[3] or DURABLE))


if __name__ == "__main__":
    main()

"""Runtime parts (database, bus, relay, consumers) wired by hand for tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.runtime.app import RUNTIME_TABLES
from services.runtime.bus import Bus
from services.runtime.clock import Clock
from services.runtime.consumer import ConsumerRunner
from services.runtime.db import Database
from services.runtime.outbox import OutboxRelay
from services.runtime.settings import Settings
from services.runtime.subscription import Subscription


@dataclass
class Stack:
    db: Database
    bus: Bus
    relay: OutboxRelay
    settings: Settings
    clock: Clock = field(default_factory=Clock)

    def consumer(
        self, subscription: Subscription, *, max_deliver: int = 3, batch: int = 64
    ) -> ConsumerRunner:
        return ConsumerRunner(
            "test",
            subscription,
            self.db,
            self.bus,
            self.clock,
            batch=batch,
            max_deliver=max_deliver,
            on_commit=self.relay.notify,
        )

    async def close(self) -> None:
        await self.bus.close()
        await self.db.dispose()


async def make_stack(db_url: str, nats_url: str, tables=(), **settings_overrides) -> Stack:
    settings = Settings(nats_url=nats_url, **settings_overrides)
    db = Database(db_url)
    await db.create_tables([*RUNTIME_TABLES, *tables])
    bus = Bus(settings, "test")
    await bus.connect()
    await bus.ensure_streams()
    relay = OutboxRelay(db, bus, Clock(), batch=settings.outbox_batch, poll_seconds=0.1, retention_hours=1)
    return Stack(db, bus, relay, settings)

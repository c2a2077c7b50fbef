"""What every service process is made of, wired once: settings, clock,
database, NATS, outbox relay, consumers, credentials and the gRPC server,
with start-up and an ordered, graceful shutdown.

A service's main.py builds a ServiceRuntime, registers its servicers, its
subscriptions and its background jobs (`build`), and its process runs
`run_service(build)`.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable, Sequence

from sqlalchemy import Table

from gongshi.v1 import audit_pb2_grpc
from services.runtime import audit_api, migrations, tls
from services.runtime.audit import AuditRow
from services.runtime.audit_api import AuditServicer
from services.runtime.auth import Authenticator, CredentialRow
from services.runtime.bus import Bus
from services.runtime.clock import Clock
from services.runtime.consumer import ConsumerRunner
from services.runtime.db import Database
from services.runtime.grpc_server import CallGuard, GrpcServer
from services.runtime.jobs import periodic
from services.runtime.metrics import gauge, serve_metrics, setup_metrics
from services.runtime.migrations import has_migrations
from services.runtime.outbox import OutboxRelay, OutboxRow
from services.runtime.settings import Settings, load_settings
from services.runtime.subscription import DeadLetterRow, InboxRow, Subscription
from services.runtime.telemetry import flush_telemetry, setup_telemetry, shutdown_telemetry

log = logging.getLogger(__name__)

RUNTIME_TABLES: list[Table] = [
    t.__table__ for t in (OutboxRow, InboxRow, DeadLetterRow, CredentialRow, AuditRow)
]


class ServiceRuntime:
    def __init__(
        self, name: str, settings: Settings, *, tables: Sequence[Table], public_methods: Iterable[str] = ()
    ) -> None:
        setup_telemetry(name, settings)
        setup_metrics(name)
        self.name = name
        self.settings = settings
        self.clock = Clock(settings.clock_file)
        self.db = Database(settings.db_url(name))
        self.tables = [*RUNTIME_TABLES, *tables]
        self.bus = Bus(settings, f"gongshi-{name}")
        self.relay = OutboxRelay(
            self.db,
            self.bus,
            self.clock,
            batch=settings.outbox_batch,
            poll_seconds=settings.outbox_poll_seconds,
            retention_hours=settings.outbox_retention_hours,
        )
        self.authenticator = Authenticator(self.db, settings.admin_token, clock=self.clock)
        self.grpc = GrpcServer(CallGuard(self.authenticator, public_methods))
        # Every service serves its own audit log, read-only, to admin and oversight.
        self.grpc.add(
            audit_pb2_grpc.add_AuditServiceServicer_to_server,
            AuditServicer(name, self.db),
            audit_api.SERVICE_NAME,
        )
        self.consumers: list[ConsumerRunner] = []
        self._jobs: list[Callable[[], Awaitable[None]]] = []
        self._tasks: list[asyncio.Task] = []
        self._stopped = asyncio.Event()
        # Services keep a local copy of credentials unless they own the registry.
        self.sync_credentials = True

    def subscribe(self, subscription: Subscription) -> ConsumerRunner:
        runner = ConsumerRunner(
            self.name,
            subscription,
            self.db,
            self.bus,
            self.clock,
            batch=self.settings.consumer_batch,
            max_deliver=self.settings.consumer_max_deliver,
            on_commit=self.relay.notify,
        )
        self.consumers.append(runner)
        return runner

    def add_job(
        self, job: Callable[[], Awaitable[object]], *, every: float | None = None, name: str = ""
    ) -> None:
        """A background job run until shutdown: `job` itself loops, or with
        `every` it is one round, run every `every` seconds; a failed round is
        logged and the next one retries (the one way periodic work is written)."""
        self._jobs.append(job if every is None else periodic(job, every, name or job.__name__))

    async def start(self) -> int:
        if has_migrations(self.name):
            await migrations.upgrade(self.db, self.name, self.tables)
        else:
            await self.db.create_tables(self.tables)
        await audit_api.protect(self.db)
        await self.bus.connect()
        await self.bus.ensure_streams()
        await self.bus.ensure_oversight_consumers()
        if self.sync_credentials:
            self.subscribe(self.authenticator.subscription(self.name))
        self._tasks.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        for runner in self.consumers:
            self._tasks.append(asyncio.create_task(runner.run(), name=f"consumer-{runner.sub.durable}"))
        for job in self._jobs:
            self._tasks.append(asyncio.create_task(job(), name=getattr(job, "__name__", "job")))
        self._register_gauges()
        serve_metrics(self.settings.host, self.settings.metrics_port(self.name))
        port = await self.grpc.start(
            self.settings.host, self.settings.grpc_port(self.name), tls.server_credentials(self.settings)
        )
        await self.grpc.set_serving(True)
        log.info("%s serving gRPC on %s:%d", self.name, self.settings.host, port)
        return port

    def _register_gauges(self) -> None:
        now = self.clock.now

        def backlog():
            yield self.relay.last_backlog[0], {}

        def oldest_age():
            _, oldest = self.relay.last_backlog
            yield ((now() - oldest).total_seconds() if oldest else 0.0), {}

        def per_consumer(attribute: str):
            return lambda: ((getattr(r, attribute), {"consumer": r.sub.durable}) for r in self.consumers)

        gauge("gongshi_outbox_backlog", "outbox rows not yet acknowledged by JetStream", "1", backlog)
        gauge("gongshi_outbox_oldest_age", "age of the oldest pending outbox row", "s", oldest_age)
        gauge(
            "gongshi_consumer_lag", "messages waiting in the stream for a consumer", "1", per_consumer("lag")
        )
        gauge("gongshi_consumer_redeliveries", "failed deliveries retried", "1", per_consumer("redelivered"))
        gauge(
            "gongshi_consumer_dead_letters",
            "messages parked after bounded redelivery",
            "1",
            per_consumer("dead_lettered"),
        )
        gauge("gongshi_consumer_applied", "events applied", "1", per_consumer("applied"))

    async def stop(self) -> None:
        """Shut down in order: stop taking work, finish in-flight work, flush
        the outbox, then close NATS and the database."""
        await self.grpc.set_serving(False)
        for runner in self.consumers:
            runner.stop()
        await self.grpc.stop(self.settings.shutdown_grace_seconds)
        await self.relay.stop()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.bus.close()
        await self.db.dispose()
        # Flush, not shut down: the provider belongs to the process, which may host more.
        flush_telemetry()
        log.info("%s stopped", self.name)

    async def serve(self) -> None:
        """Start, run until SIGTERM or SIGINT, then stop gracefully."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stopped.set)
        await self.start()
        await self._stopped.wait()
        await self.stop()
        shutdown_telemetry()


def run_service(build: Callable[[Settings], ServiceRuntime]) -> None:
    """A service's process: its runtime built from the environment's settings
    and served until SIGTERM or SIGINT."""

    async def serve() -> None:
        # Built inside the running loop: grpc.aio objects bind to the loop that makes them.
        await build(load_settings()).serve()

    asyncio.run(serve())

"""Everything the gateway runs for subscribers, wired once and started with
the app: its small database, its NATS connection, the credential copy, the
webhook intake consumer, the outbox relay (for its dead letters) and the
webhook dispatcher."""

from __future__ import annotations

import asyncio
import logging

import grpc

from gateway.settings import GatewaySettings
from gateway.subscriptions.store import TABLES
from gateway.subscriptions.webhooks import WebhookDispatcher, WebhookIntake
from gongshi.v1 import duties_pb2
from services.runtime.auth import ROLE_ADMIN, ROLE_OVERSIGHT, Authenticator, CredentialRow, Principal
from services.runtime.bus import Bus
from services.runtime.clock import Clock
from services.runtime.consumer import ConsumerRunner, DeadLetterRow, InboxRow
from services.runtime.db import Database
from services.runtime.outbox import OutboxRelay, OutboxRow

log = logging.getLogger(__name__)


def is_oversight(principal: Principal | None) -> bool:
    return principal is not None and principal.role in (ROLE_OVERSIGHT, ROLE_ADMIN)


class RegionDirectory:
    """Agency code -> region code, asked of duties once per agency."""

    def __init__(self, clients) -> None:
        self.clients = clients
        self._cache: dict[str, str] = {}

    async def region_of(self, agency_code: str) -> str:
        if agency_code not in self._cache:
            try:
                agency = await self.clients.duties.GetAgency(
                    duties_pb2.GetAgencyRequest(code=agency_code), timeout=5
                )
            except grpc.aio.AioRpcError as exc:
                if exc.code() != grpc.StatusCode.NOT_FOUND:
                    raise  # transient: the consumer retries the event
                return ""
            self._cache[agency_code] = agency.region_code
        return self._cache[agency_code]


class SubscriptionHub:
    def __init__(self, settings: GatewaySettings, clients) -> None:
        self.settings = settings
        self.clock = Clock(settings.clock_file)
        self.db = Database(settings.gateway_db())
        self.bus = Bus(settings, f"gongshi-{settings.gateway_name}")
        self.authenticator = Authenticator(self.db, settings.admin_token)
        self.regions = RegionDirectory(clients)
        self.relay = OutboxRelay(
            self.db,
            self.bus,
            self.clock,
            batch=settings.outbox_batch,
            poll_seconds=settings.outbox_poll_seconds,
            retention_hours=settings.outbox_retention_hours,
        )
        self.dispatcher = WebhookDispatcher(
            self.db,
            self.clock,
            retry_base=settings.webhook_retry_base_seconds,
            retry_max=settings.webhook_retry_max_seconds,
            poll_seconds=settings.webhook_poll_seconds,
            allow_private=settings.webhook_allow_private_targets,
            loopback_only=settings.webhook_loopback_only,
        )
        intake = WebhookIntake(
            f"{settings.gateway_name}-webhooks",
            self.db,
            self.clock,
            self.regions.region_of,
            on_deliveries=self.dispatcher.notify,
        )
        # Each gateway keeps its own copy and its own webhook consumer: durables are named per gateway.
        self.runners = [
            self._runner(self.authenticator.subscription(settings.gateway_name), lambda: None),
            self._runner(intake.subscription(), intake.after_commit),
        ]
        self._tasks: list[asyncio.Task] = []
        self.ready = asyncio.Event()

    def _runner(self, subscription, on_commit) -> ConsumerRunner:
        return ConsumerRunner(
            self.settings.gateway_name,
            subscription,
            self.db,
            self.bus,
            self.clock,
            batch=self.settings.consumer_batch,
            max_deliver=self.settings.consumer_max_deliver,
            on_commit=on_commit,
        )

    async def start(self) -> None:
        tables = [*TABLES, *(t.__table__ for t in (CredentialRow, InboxRow, DeadLetterRow, OutboxRow))]
        await self.db.create_tables(tables)
        self._tasks.append(asyncio.create_task(self._connect_and_run(), name="gateway-subscriptions"))
        self._tasks.append(asyncio.create_task(self.dispatcher.run(), name="webhook-dispatcher"))

    async def _connect_and_run(self) -> None:
        # The portal serves without NATS; subscriptions start once it answers.
        await self.bus.connect()
        try:
            await self.bus.ensure_streams()
        except Exception as exc:  # a gateway user may not manage streams; the services do
            log.info("streams not set up by the gateway: %s", exc)
        self._tasks.append(asyncio.create_task(self.relay.run(), name="gateway-outbox"))
        for runner in self.runners:
            self._tasks.append(asyncio.create_task(runner.run(), name=f"consumer-{runner.sub.durable}"))
        self.ready.set()

    async def principal(self, token: str) -> Principal:
        return await self.authenticator.authenticate(token)

    async def stop(self) -> None:
        for runner in self.runners:
            runner.stop()
        self.dispatcher.stop()
        if self.ready.is_set():
            await self.relay.stop()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.bus.close()
        await self.db.dispose()

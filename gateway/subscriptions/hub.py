"""Everything the gateway runs for subscribers, wired once and started with
the app: its small database, its NATS connection, the credential copy, the
webhook intake consumer, the outbox relay (for its dead letters), the
webhook dispatcher, and the follows' intake consumer and postman (gateway/follows)."""

from __future__ import annotations

import asyncio
import logging

import grpc

from gateway.follows import store as follow_store
from gateway.follows.book import FollowBook
from gateway.follows.digest import Composer
from gateway.follows.intake import FollowIntake
from gateway.follows.mail import Links
from gateway.follows.mailer import SMTP_TIMEOUT_SECONDS, Postman, transport_for
from gateway.settings import GatewaySettings
from gateway.subscriptions.store import TABLES
from gateway.subscriptions.webhooks import WebhookDispatcher, WebhookIntake
from gongshi.v1 import duties_pb2
from services.runtime.auth import ROLE_ADMIN, ROLE_OVERSIGHT, Authenticator, CredentialRow, Principal
from services.runtime.bus import Bus
from services.runtime.clock import Clock
from services.runtime.consumer import ConsumerRunner
from services.runtime.db import Database
from services.runtime.outbox import OutboxRelay, OutboxRow
from services.runtime.subscription import DeadLetterRow, InboxRow

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
        links = Links(settings.portal_url())
        key = settings.admin_token or "gongshi"  # keys the address hashes; every replica shares it
        self.mail_transport = transport_for(settings.smtp_url, settings.mail_dir())
        self.postman = Postman(
            self.db,
            Composer(self.db, self.clock, links, settings.mail_from),
            self.mail_transport,
            retry_base=settings.follow_retry_base_seconds,
            retry_max=settings.follow_retry_max_seconds,
            poll_seconds=settings.follow_poll_seconds,
        )
        self.follows = FollowBook(self.db, self.clock, links, settings.mail_from, key, self.postman.notify)
        follow_intake = FollowIntake(
            f"{settings.gateway_name}-follows", self.db, self.clock, on_notices=self.postman.notify
        )
        # Each gateway keeps its own copy and its own webhook consumer: durables are named per gateway.
        self.runners = [
            self._runner(self.authenticator.subscription(settings.gateway_name), lambda: None),
            self._runner(intake.subscription(), intake.after_commit),
            self._runner(follow_intake.subscription(), follow_intake.after_commit),
        ]
        self._tasks: list[asyncio.Task] = []
        self._postman_task: asyncio.Task | None = None
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
        runtime_tables = (CredentialRow, InboxRow, DeadLetterRow, OutboxRow)
        tables = [*TABLES, *follow_store.TABLES, *(t.__table__ for t in runtime_tables)]
        await self.db.create_tables(tables)
        self._tasks.append(asyncio.create_task(self._connect_and_run(), name="gateway-subscriptions"))
        self._tasks.append(asyncio.create_task(self.dispatcher.run(), name="webhook-dispatcher"))
        self._postman_task = asyncio.create_task(self.postman.run(), name="follow-postman")
        self._tasks.append(self._postman_task)

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
        self.postman.stop()
        # A mail the SMTP server accepted is marked sent before the process leaves,
        # so a restart does not send it again (a crash still may: at least once).
        if self._postman_task is not None:
            await asyncio.wait([self._postman_task], timeout=SMTP_TIMEOUT_SECONDS)
        if self.ready.is_set():
            await self.relay.stop()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.bus.close()
        await self.db.dispose()

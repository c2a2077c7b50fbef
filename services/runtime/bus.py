"""The NATS connection of a process: connect (and keep reconnecting), set up
the JetStream streams, and tell consumers when to re-subscribe.

nats-py gives up reconnecting after about two minutes by default and pull
subscriptions do not survive a server restart (nats.py#504, #234): both are
handled here once, for every service.
"""

from __future__ import annotations

import asyncio
import logging

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from services.runtime import tls
from services.runtime.settings import Settings

log = logging.getLogger(__name__)

PUBLIC_STREAM = "GONGSHI"
INTERNAL_STREAM = "GONGSHI_INTERNAL"


# The oversight NATS user's durable consumers (deploy/nats/auth.conf), each with
# its filter. The platform creates them, as pull consumers: a consumer-create
# request carries its own deliver subject and NATS permissions cannot look
# inside a request, so a user allowed to create consumers could aim a push
# consumer at internal.> (docs/events.md). Oversight may only bind and fetch.
OVERSIGHT_CONSUMERS = {
    "oversight": "gongshi.>",
    "oversight_duties": "gongshi.duties.>",
    "oversight_procedures": "gongshi.procedures.>",
    "oversight_results": "gongshi.results.>",
    "oversight_feedback": "gongshi.feedback.>",
    "oversight_deadletter": "gongshi.deadletter.>",
}


def oversight_consumer_configs() -> list[ConsumerConfig]:
    return [
        ConsumerConfig(
            durable_name=name,
            filter_subject=subject,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
        )
        for name, subject in OVERSIGHT_CONSUMERS.items()
    ]


def stream_configs(settings: Settings) -> list[StreamConfig]:
    common = dict(
        storage=StorageType.FILE,
        num_replicas=settings.nats_replicas,
        duplicate_window=settings.stream_duplicate_window_seconds,
        max_age=settings.stream_max_age_days * 86400 or None,
    )
    return [
        StreamConfig(name=PUBLIC_STREAM, subjects=["gongshi.>"], **common),
        StreamConfig(name=INTERNAL_STREAM, subjects=["internal.>"], **common),
    ]


class Bus:
    def __init__(self, settings: Settings, client_name: str) -> None:
        self.settings = settings
        self.client_name = client_name
        self.nc: Client | None = None
        self._js: JetStreamContext | None = None
        # Bumped on every reconnect so consumers know their subscription is stale.
        self.generation = 0
        self.reconnected = asyncio.Event()

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise RuntimeError("bus is not connected")
        return self._js

    @property
    def connected(self) -> bool:
        return self.nc is not None and self.nc.is_connected

    async def connect(self, *, attempts: int = 0) -> None:
        """Connect, retrying with back-off (forever when attempts == 0)."""
        delay, tried = 0.2, 0
        while True:
            tried += 1
            try:
                self.nc = await nats.connect(
                    servers=self.settings.nats_servers,
                    name=self.client_name,
                    user=self.settings.nats_user or None,
                    tls=tls.nats_ssl_context(self.settings),
                    password=self.settings.nats_password or None,
                    # Each NATS user may only receive replies on its own inbox prefix
                    # (deploy/nats/auth.conf), so no one reads another user's fetches.
                    inbox_prefix=f"_INBOX_{self.settings.nats_user}" if self.settings.nats_user else "_INBOX",
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    connect_timeout=2,
                    allow_reconnect=True,
                    reconnected_cb=self._on_reconnected,
                    disconnected_cb=self._on_disconnected,
                    error_cb=self._on_error,
                )
                break
            except Exception as exc:
                if attempts and tried >= attempts:
                    raise
                log.warning("waiting for NATS at %s: %s", ",".join(self.settings.nats_servers), exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 3.0)
        self._js = self.nc.jetstream(publish_async_max_pending=8192)

    async def ensure_streams(self) -> None:
        for config in stream_configs(self.settings):
            if await self._stream_matches(config):
                # Nothing to do: and no STREAM.CREATE request, which a NATS user
                # without stream permissions (the gateway) would have refused.
                continue
            try:
                await self.js.add_stream(config)
            except BadRequestError:
                # Exists with other settings: bring it to the configured ones. Only
                # the admin user may change a stream in a secured deployment, so a
                # refusal is logged and the existing stream used as it is.
                try:
                    await self.js.update_stream(config)
                except Exception as exc:
                    log.warning(
                        "stream %s differs from this process's settings and was kept: %s", config.name, exc
                    )

    async def ensure_oversight_consumers(self) -> None:
        """Create the oversight pull consumers that do not exist yet (kept as they are otherwise)."""
        for config in oversight_consumer_configs():
            try:
                await self.js.consumer_info(PUBLIC_STREAM, config.durable_name)
                continue
            except NotFoundError:
                pass
            try:
                await self.js.add_consumer(PUBLIC_STREAM, config)
            except Exception as exc:  # another process created it meanwhile, or no right to
                log.debug("oversight consumer %s not created: %s", config.durable_name, exc)

    async def _stream_matches(self, config: StreamConfig) -> bool:
        try:
            current = (await self.js.stream_info(config.name)).config
        except NotFoundError:
            return False
        except Exception as exc:
            log.debug("stream info of %s: %s", config.name, exc)
            return False
        return (
            sorted(current.subjects or []) == sorted(config.subjects or [])
            and current.storage == config.storage
            and (current.num_replicas or 1) == (config.num_replicas or 1)
            and abs((current.duplicate_window or 0) - (config.duplicate_window or 0)) < 0.001
            and abs((current.max_age or 0) - (config.max_age or 0)) < 0.001
        )

    async def _on_reconnected(self) -> None:
        self.generation += 1
        self.reconnected.set()
        log.info("reconnected to NATS (%s)", self.nc.connected_url.netloc if self.nc else "?")

    async def _on_disconnected(self) -> None:
        log.warning("disconnected from NATS")

    async def _on_error(self, exc: Exception) -> None:
        log.debug("NATS error: %s", exc)

    async def close(self) -> None:
        if self.nc is None or self.nc.is_closed:
            return
        # Not drain(): nats-py's drain waits on the pending queue of every pull
        # subscription, which never empties, so it always ran into its timeout.
        # Nothing needs it: publishes were acknowledged before their outbox rows
        # were marked, and unacknowledged messages are redelivered.
        try:
            await asyncio.wait_for(self.nc.flush(), timeout=2)
        except Exception:
            pass
        await self.nc.close()

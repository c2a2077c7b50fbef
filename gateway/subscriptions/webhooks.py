"""Webhooks: events are taken from a durable JetStream consumer into a
delivery table (in the same transaction as the consumer's inbox row, so an
event becomes deliveries exactly once and survives a gateway restart), then a
dispatcher POSTs each delivery, signed, retrying with exponential back-off.

Signature: `Gongshi-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import socket
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from google.protobuf import descriptor_pool, empty_pb2, message_factory
from google.protobuf.message import Message
from nats.js.api import DeliverPolicy
from sqlalchemy import Connection, insert

from gateway.subscriptions.events import EventFilter, _load_all_messages, envelope
from gateway.subscriptions.store import DeliveryRow, WebhookRow
from gateway.workers import WakesWorker, WokenWorker, due, reload
from services.runtime import limits
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.clock import Clock
from services.runtime.db import Database
from services.runtime.subscription import InboundEvent, Subscription

if TYPE_CHECKING:
    import httpx

SIGNATURE_HEADER = "Gongshi-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, *, now: int | None = None) -> bool:
    """What a receiver does: recompute the HMAC and refuse stale timestamps (replays)."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    now = int(time.time()) if now is None else now
    if abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), f"t={timestamp},v1={fields.get('v1', '')}")


class UnsafeTarget(ValueError):
    pass


def check_target(url: str, *, allow_private: bool, loopback_only: bool = False) -> str:
    """The host of a webhook URL, refusing non-HTTP schemes and (unless allowed)
    addresses on loopback or private networks: a webhook must not become a way
    to reach the platform's internal network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("must be an http:// or https:// URL with a host")
    if parts.username or parts.password:
        raise UnsafeTarget("must not carry credentials")
    if loopback_only:
        if parts.hostname == "localhost" or _is_loopback_literal(parts.hostname):
            return parts.hostname
        raise UnsafeTarget("must be a loopback address on this deployment (127.0.0.1, ::1 or localhost)")
    if allow_private:
        return parts.hostname
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise UnsafeTarget(f"host {parts.hostname} does not resolve") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise UnsafeTarget(f"host {parts.hostname} is not on a public network")
    return parts.hostname


def _is_loopback_literal(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _AnyEventType(dict):
    """Routes every event type to one handler (the intake takes all of them)."""

    def __init__(self, handler) -> None:
        super().__init__()
        self.handler = handler
        self._types: dict[str, type] = {}

    def get(self, key, default=None):
        cls = self._types.get(key)
        if cls is None:
            _load_all_messages()
            try:
                cls = message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(key))
            except KeyError:
                cls = empty_pb2.Empty  # unknown types keep their bytes as unknown fields
            self._types[key] = cls
        return cls, self.handler


class WebhookIntake(WakesWorker):
    """Turns each event into one delivery row per matching webhook, and wakes
    the dispatcher after a batch that added some.

    A fetched batch is one unit of work (the inbox check, the delivery rows
    and the inbox rows in one call to the database's thread); the webhooks
    and the regions their filters need are read just before it (`_prepare`),
    so the common case, no webhook at all, costs one read per batch."""

    def __init__(self, durable: str, db: Database, clock: Clock, region_of, on_deliveries) -> None:
        super().__init__(on_deliveries)
        self.durable = durable
        self.db = db
        self.clock = clock
        self.region_of = region_of
        # Read by _prepare for the batch that _apply_unit then applies.
        self._webhooks: list = []
        self._regions: dict[str, str] = {}

    def subscription(self) -> Subscription:
        sub = Subscription(self.durable, PUBLIC_STREAM, ["gongshi.>"], deliver_policy=DeliverPolicy.NEW)
        sub.handlers = _AnyEventType(None)  # every type is taken, decoded for the envelope
        return sub.on_batch_unit(self._apply_unit, prepare=self._prepare)

    async def _prepare(self, inbounds: list[InboundEvent]) -> None:
        table = WebhookRow.__table__
        query = table.select().where(table.c.deleted_at.is_(None))
        self._webhooks = await self.db.unit(lambda conn: conn.execute(query).all(), "webhooks.active")
        self._regions = {}
        if any(hook.region for hook in self._webhooks):
            for agency in {inbound.subject.split(".")[-1] for inbound in inbounds}:
                self._regions[agency] = await self.region_of(agency)

    def _apply_unit(self, conn: Connection, events: list[tuple[Message, InboundEvent]]) -> None:
        if not self._webhooks:
            return
        now = self.clock.now()
        rows = []
        for message, inbound in events:
            region = self._regions.get(inbound.subject.split(".")[-1])
            data = message.SerializeToString()
            for hook in self._webhooks:
                flt = EventFilter(hook.domain, hook.event, hook.agency, hook.region)
                if not flt.matches(inbound.subject, oversight=hook.oversight, region=region):
                    continue
                body = envelope(
                    inbound.subject, inbound.stream_sequence, inbound.headers, data, oversight=hook.oversight
                )
                rows.append(
                    {
                        "webhook_id": hook.id,
                        "event_id": inbound.event_id,
                        "subject": inbound.subject,
                        "stream_sequence": inbound.stream_sequence,
                        "body": json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                        "status": "pending",
                        "attempts": 0,
                        "last_error": "",
                        "next_attempt_at": now,
                        "created_at": now,
                    }
                )
        if rows:
            conn.execute(insert(DeliveryRow.__table__), rows)
            self._queued = True


class WebhookDispatcher(WokenWorker):
    failure = "webhook dispatch failed: %s"

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        retry_base: float,
        retry_max: float,
        poll_seconds: float,
        allow_private: bool,
        loopback_only: bool = False,
    ) -> None:
        super().__init__(retry_base=retry_base, retry_max=retry_max, poll_seconds=poll_seconds)
        self.db = db
        self.loopback_only = loopback_only
        self.clock = clock
        self.allow_private = allow_private
        self._http: httpx.AsyncClient | None = None

    async def round(self) -> int:
        return await self.dispatch_due()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _client(self) -> httpx.AsyncClient:
        """The HTTP client, made when the first delivery is due: httpx and its
        TLS context (the CA bundle) cost an idle gateway ~11 MB otherwise."""
        if self._http is None:
            import httpx

            self._http = httpx.AsyncClient(timeout=limits.WEBHOOK_TIMEOUT_SECONDS, follow_redirects=False)
        return self._http

    async def dispatch_due(self, http: httpx.AsyncClient | None = None, batch: int = 50) -> int:
        async with self.db.reader() as session:
            query = due(DeliveryRow, WebhookRow, now=self.clock.now(), batch=batch)
            rows = (await session.exec(query.join(WebhookRow, WebhookRow.id == DeliveryRow.webhook_id))).all()
        if not rows:
            return 0
        http = http or self._client()
        outcomes = await asyncio.gather(*(self._attempt(http, d, w) for d, w in rows))
        async with self.db.transaction("webhooks.record") as session:
            stored = await reload(session, DeliveryRow, [delivery.id for delivery, _ in rows])
            for (delivery, hook), (code, error) in zip(rows, outcomes, strict=True):
                row = stored[delivery.id]  # deliveries are never deleted
                now = self.clock.now()
                row.last_attempt_at, row.last_status_code, row.last_error = now, code, error[:500]
                ok = code is not None and 200 <= code < 300
                if hook.deleted_at is not None:
                    row.attempts += 1
                    row.status, row.last_error = "failed", "webhook deleted"
                elif self.attempted(row, ok=ok, max_attempts=limits.WEBHOOK_MAX_ATTEMPTS, now=now):
                    row.status, row.delivered_at = "delivered", now
                session.add(row)
        return len(rows)

    async def _attempt(self, http: httpx.AsyncClient, delivery: DeliveryRow, hook: WebhookRow):
        body = delivery.body.encode()
        try:
            check_target(hook.url, allow_private=self.allow_private, loopback_only=self.loopback_only)
            response = await http.post(
                hook.url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": "Gongshi-Webhooks/1",
                    SIGNATURE_HEADER: sign(hook.secret, body, int(time.time())),
                    "Gongshi-Event-Id": delivery.event_id,
                    "Gongshi-Delivery-Id": str(delivery.id),
                    "Gongshi-Webhook-Id": hook.id,
                },
            )
        except Exception as exc:
            return None, f"{type(exc).__name__}: {exc}"
        return response.status_code, "" if response.is_success else response.text[:200]

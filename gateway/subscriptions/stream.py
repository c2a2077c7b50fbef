"""Server-Sent Events from JetStream: one ordered (ephemeral) consumer per
connection, started after the client's Last-Event-ID (a stream sequence), so
a client that reconnects misses nothing and sees nothing twice."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import nats.errors
from nats.js.api import ConsumerConfig, DeliverPolicy

from gateway.subscriptions.events import EventFilter, envelope
from gateway.subscriptions.hub import SubscriptionHub
from services.runtime import limits
from services.runtime.bus import PUBLIC_STREAM


def sse(event: dict) -> str:
    data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event['sequence']}\nevent: {event['type']}\ndata: {data}\n\n"


async def event_stream(
    hub: SubscriptionHub,
    flt: EventFilter,
    *,
    oversight: bool,
    after_sequence: int | None,
    is_disconnected,
    heartbeat: float = limits.SSE_HEARTBEAT_SECONDS,
) -> AsyncIterator[str]:
    if after_sequence is None:
        config = ConsumerConfig(deliver_policy=DeliverPolicy.NEW)
    else:
        config = ConsumerConfig(
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=after_sequence + 1
        )
    sub = await hub.bus.js.subscribe(
        flt.subject(), stream=PUBLIC_STREAM, ordered_consumer=True, config=config
    )
    try:
        # The reconnection delay for EventSource, and a first byte so clients know we are live.
        yield "retry: 2000\n: connected\n\n"
        while True:
            try:
                msg = await sub.next_msg(timeout=heartbeat)
            except (TimeoutError, nats.errors.TimeoutError):
                if await is_disconnected():
                    return
                yield ": keepalive\n\n"
                continue
            region = await hub.regions.region_of(msg.subject.split(".")[-1]) if flt.region else None
            if not flt.matches(msg.subject, oversight=oversight, region=region):
                continue
            headers = dict(msg.headers or {})
            yield sse(
                envelope(msg.subject, msg.metadata.sequence.stream, headers, msg.data, oversight=oversight)
            )
    finally:
        try:
            await sub.unsubscribe()
        except Exception:
            pass

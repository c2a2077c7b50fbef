"""Watching the GONGSHI stream from the bench: how many ResultPublished events it
holds, and whether every durable consumer of them has applied (acked) them all."""

from __future__ import annotations

import asyncio
import time

from nats.js import JetStreamContext

from services.runtime.bus import OVERSIGHT_CONSUMERS, PUBLIC_STREAM

PUBLISHED_FILTER = "gongshi.results.published.>"
SAMPLE_SUBJECT = "gongshi.results.published.X"
POLL_SECONDS = 0.02


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS wildcard matching: `*` is one token, a final `>` one or more."""
    want, have = pattern.split("."), subject.split(".")
    for i, token in enumerate(want):
        if token == ">":
            return len(have) > i
        if i >= len(have) or (token != "*" and token != have[i]):
            return False
    return len(want) == len(have)


def _filters(config) -> list[str]:
    return list(config.filter_subjects or []) or ([config.filter_subject] if config.filter_subject else [">"])


async def published_count(js: JetStreamContext) -> int:
    info = await js.stream_info(PUBLIC_STREAM, subjects_filter=PUBLISHED_FILTER)
    return sum((info.state.subjects or {}).values())


async def result_consumers(js: JetStreamContext) -> list[str]:
    """The platform's durable consumers of the stream that receive ResultPublished events
    (not the oversight bodies' queues, which the platform creates for them to read)."""
    names = []
    for info in await js.consumers_info(PUBLIC_STREAM):
        if (
            info.config.durable_name
            and info.name not in OVERSIGHT_CONSUMERS
            and any(subject_matches(f, SAMPLE_SUBJECT) for f in _filters(info.config))
        ):
            names.append(info.name)
    return names


async def wait_applied(
    js: JetStreamContext, expected: int, limit_seconds: float = 300
) -> tuple[float, list[str]]:
    """Wait until the stream holds ``expected`` ResultPublished events and every durable
    consumer of them has nothing pending and nothing unacknowledged; return the
    perf_counter instant it saw that, and the consumers it waited for."""
    deadline = time.perf_counter() + limit_seconds
    while await published_count(js) < expected:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the stream holds {await published_count(js)} of {expected} events")
        await asyncio.sleep(POLL_SECONDS)
    names = await result_consumers(js)
    if not names:
        raise RuntimeError(f"no durable consumer of {PUBLISHED_FILTER} on {PUBLIC_STREAM}")
    while True:
        infos = [await js.consumer_info(PUBLIC_STREAM, name) for name in names]
        if all(i.num_pending == 0 and i.num_ack_pending == 0 for i in infos):
            return time.perf_counter(), names
        if time.perf_counter() > deadline:
            lagging = {i.name: (i.num_pending, i.num_ack_pending) for i in infos}
            raise TimeoutError(f"consumers still (pending, unacked): {lagging}")
        await asyncio.sleep(POLL_SECONDS)

"""Read-your-writes for credentials and agencies (docs/reliability.md).

The other services learn of a new credential, or a new agency, from duties'
events; until their consumer applies the event they answer "unknown
credential". So IssueCredential, RotateCredential and RegisterAgency return
only once every local copy has the write. Services never call each other:
duties watches the copies' progress on NATS itself. It waits until its relay
has published the event, reads the event's stream sequence, then polls each
copy's durable consumer until its acknowledgement floor reaches that sequence.
A consumer acknowledges a message only after committing its effect, so from
then on that service verifies the credential (or knows the agency).

A copy that does not exist (the service never ran) is not waited for; one that
does not catch up within limits.COPY_PROPAGATION_SECONDS is logged and the call
returns anyway: the write is committed and the token must reach its caller.
"""

from __future__ import annotations

import asyncio
import logging
import time

from nats.js.errors import NotFoundError
from sqlmodel import select

from services.runtime import limits
from services.runtime.bus import INTERNAL_STREAM, PUBLIC_STREAM
from services.runtime.outbox import OutboxRow

log = logging.getLogger(__name__)

POLL_SECONDS = 0.01

# The durable consumers holding a copy, per kind of write (their services'
# consumers.py / runtime/auth.py name them). The gateway's copy checks oversight
# tokens for the live stream and webhooks.
CREDENTIAL_COPIES = ("procedures-credentials", "results-credentials", "feedback-credentials")
AGENCY_COPIES = ("procedures-agencies", "results-directory", "feedback-copies")


def credential_copies(gateway_name: str = "gateway") -> tuple[str, ...]:
    return (*CREDENTIAL_COPIES, f"{gateway_name}-credentials")


async def await_copies(runtime, event_id: str, subject: str, consumers: tuple[str, ...]) -> bool:
    """Wait until every named consumer has applied the outbox event `event_id`
    (published on `subject`). True when all did within the limit."""
    stream = INTERNAL_STREAM if subject.startswith("internal.") else PUBLIC_STREAM
    deadline = time.monotonic() + limits.COPY_PROPAGATION_SECONDS
    try:
        seq = await _published_seq(runtime, event_id, subject, deadline)
        waiting = set(consumers)
        while waiting:
            for name in sorted(waiting):
                if await _applied(runtime, stream, name, seq):
                    waiting.discard(name)
            if waiting:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"not yet applied by {', '.join(sorted(waiting))}")
                await asyncio.sleep(POLL_SECONDS)
        return True
    except Exception as exc:  # NATS down, a timeout: the write stands; log and return
        log.warning("event %s (%s) not confirmed at every copy: %s", event_id, subject, exc)
        return False


async def _published_seq(runtime, event_id: str, subject: str, deadline: float) -> int:
    """The stream sequence of the last message on `subject` once our event is
    in the stream: ours or a later one, so waiting for it is enough."""
    while True:
        async with runtime.db.reader() as session:
            sent = await session.scalar(select(OutboxRow.sent_at).where(OutboxRow.event_id == event_id))
        if sent is not None:
            break
        if time.monotonic() > deadline:
            raise TimeoutError("the outbox relay has not published it")
        runtime.relay.notify()
        await asyncio.sleep(POLL_SECONDS)
    stream = INTERNAL_STREAM if subject.startswith("internal.") else PUBLIC_STREAM
    return (await runtime.bus.js.get_last_msg(stream, subject)).seq


async def _applied(runtime, stream: str, consumer: str, seq: int) -> bool:
    try:
        info = await runtime.bus.js.consumer_info(stream, consumer)
    except NotFoundError:
        return True  # that service never ran: nothing to wait for
    return info.ack_floor is not None and (info.ack_floor.stream_seq or 0) >= seq

"""Event entrypoint of the results service: the local copies it keeps, and
the objection decisions feedback sends."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import duties_pb2, feedback_pb2
from services.results.directory import AgencyDirectory
from services.results.lifecycle import LifecycleHandlers
from services.results.models import AgencyCopy
from services.runtime import copies
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.db import after_commit
from services.runtime.subscription import InboundEvent, Subscription


def directory_subscription(agencies: AgencyDirectory) -> Subscription:
    """The agencies' copy (services/runtime/copies.py); a changed agency leaves
    the directory's cache once its change commits."""

    def forget_after_commit(session: AsyncSession, code: str) -> None:
        after_commit(session, lambda: agencies.forget(code))

    return copies.agencies_subscription(
        "results-directory", AgencyCopy, duties_pb2.AgencyRegistered, forget_after_commit
    )


def objection_subscription(lifecycle: LifecycleHandlers) -> Subscription:
    """ObjectionDecided from feedback: CORRECT makes a new version, WITHDRAW
    takes the record down (reason "error"); applied in the consumer's
    transaction, so a redelivery applies nothing twice."""

    async def on_objection_decided(
        session: AsyncSession, event: feedback_pb2.ObjectionDecided, inbound: InboundEvent
    ) -> None:
        await lifecycle.apply_objection(session, event, inbound.event_id)
        after_commit(session, lifecycle.runtime.relay.notify)

    return Subscription("results-objections", PUBLIC_STREAM, ["gongshi.feedback.objection_decided.>"]).on(
        feedback_pb2.ObjectionDecided, on_objection_decided
    )

"""Event entrypoint of the results service: the local copies it keeps, and
the objection decisions feedback sends."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import duties_pb2, feedback_pb2
from services.results.directory import AgencyDirectory
from services.results.lifecycle import LifecycleHandlers
from services.results.models import AgencyCopy
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.db import after_commit
from services.runtime.subscription import InboundEvent, Subscription


def directory_subscription(agencies: AgencyDirectory) -> Subscription:
    async def on_agency_registered(
        session: AsyncSession, event: duties_pb2.AgencyRegistered, _: InboundEvent
    ) -> None:
        agency = event.agency
        row = await session.get(AgencyCopy, agency.code)
        if row is not None and row.version >= agency.version:
            return  # stale or repeated: versions make order harmless
        row = row or AgencyCopy(code=agency.code, name="", region_code="", version=0)
        row.name, row.region_code, row.version = agency.name, agency.region_code, agency.version
        session.add(row)
        after_commit(session, lambda: agencies.forget(agency.code))

    return Subscription("results-directory", PUBLIC_STREAM, ["gongshi.duties.agency_registered.>"]).on(
        duties_pb2.AgencyRegistered, on_agency_registered
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

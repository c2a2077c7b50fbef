"""Event entrypoint of the procedures service: its local copies of agencies
and duty items (versions make stale or repeated events harmless)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import common_pb2, duties_pb2
from services.procedures.models import AgencyCopy, DutyItemCopy
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.clock import Clock
from services.runtime.subscription import InboundEvent, Subscription

RETIRED = common_pb2.PUBLICATION_STATUS_RETIRED


def agencies_subscription() -> Subscription:
    async def on_agency_registered(
        session: AsyncSession, event: duties_pb2.AgencyRegistered, _: InboundEvent
    ) -> None:
        agency = event.agency
        row = await session.get(AgencyCopy, agency.code)
        if row is not None and row.version >= agency.version:
            return
        row = row or AgencyCopy(code=agency.code, name="", region_code="", version=0)
        row.name, row.region_code, row.version = agency.name, agency.region_code, agency.version
        session.add(row)

    return Subscription("procedures-agencies", PUBLIC_STREAM, ["gongshi.duties.agency_registered.>"]).on(
        duties_pb2.AgencyRegistered, on_agency_registered
    )


def _rank(version: int, status: int) -> tuple[int, int]:
    # Retiring keeps the version number: within one version, "retired" is the later fact.
    return version, 1 if status == RETIRED else 0


def duty_items_subscription(clock: Clock) -> Subscription:
    async def on_duty_item(session: AsyncSession, event, _: InboundEvent) -> None:
        item = event.duty_item
        version, status = item.publication.version, item.publication.status
        row = await session.get(DutyItemCopy, (item.agency_code, item.code))
        if row is not None and _rank(row.version, row.status) >= _rank(version, status):
            return
        row = row or DutyItemCopy(
            agency_code=item.agency_code, code=item.code, version=0, status=0, updated_at=clock.now()
        )
        row.name, row.power_type, row.version, row.status = item.name, item.power_type, version, status
        row.updated_at = clock.now()
        session.add(row)

    return (
        Subscription(
            "procedures-duty-items",
            PUBLIC_STREAM,
            [
                "gongshi.duties.duty_item_published.>",
                "gongshi.duties.duty_item_revised.>",
                "gongshi.duties.duty_item_retired.>",
            ],
        )
        .on(duties_pb2.DutyItemPublished, on_duty_item)
        .on(duties_pb2.DutyItemRevised, on_duty_item)
        .on(duties_pb2.DutyItemRetired, on_duty_item)
    )

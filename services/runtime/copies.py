"""Local copies of the duties service's agencies and duty items, kept by the
services that check against them (procedures, results) without calling
duties. Each service declares its own copy tables (agencies: code, name,
region_code, version; duty items: agency_code, code, name, power_type,
version, status, updated_at); they are written here, the same way for all:
the latest version wins, so a stale or repeated event changes nothing.

The runtime imports no service's proto: a caller names the duties events
(duties_pb2.AgencyRegistered; DutyItemPublished, Revised and Retired)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from google.protobuf.message import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import common_pb2
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.clock import Clock
from services.runtime.errors import FailedPrecondition
from services.runtime.subscription import InboundEvent, Subscription

RETIRED = common_pb2.PUBLICATION_STATUS_RETIRED
DUTY_ITEM_SUBJECTS = [
    "gongshi.duties.duty_item_published.>",
    "gongshi.duties.duty_item_revised.>",
    "gongshi.duties.duty_item_retired.>",
]


async def copy_agency(session: AsyncSession, table: Any, agency: Message) -> bool:
    """Store an agency's registration (a duties Agency) in `table`; False when the event was stale."""
    row = await session.get(table, agency.code)
    if row is not None and row.version >= agency.version:
        return False
    row = row or table(code=agency.code, name="", region_code="", version=0)
    row.name, row.region_code, row.version = agency.name, agency.region_code, agency.version
    session.add(row)
    return True


async def known_agency(session: AsyncSession, table: Any, code: str, service: str) -> Any:
    """The agency's copy; FailedPrecondition while `service` does not know it."""
    agency = await session.get(table, code)
    if agency is None:
        raise FailedPrecondition(
            f"agency {code} is not known to the {service} service yet; register it with the duties "
            "service (its registration event may still be on its way)"
        )
    return agency


def agencies_subscription(
    durable: str,
    table: Any,
    registered: type[Message],
    on_copied: Callable[[AsyncSession, str], None] | None = None,
) -> Subscription:
    """The consumer of duties' agency registrations (`registered`) into
    `table`; `on_copied` (session, agency code) follows each stored change,
    in its transaction."""

    async def on_agency_registered(session: AsyncSession, event, _: InboundEvent) -> None:
        if await copy_agency(session, table, event.agency) and on_copied is not None:
            on_copied(session, event.agency.code)

    return Subscription(durable, PUBLIC_STREAM, ["gongshi.duties.agency_registered.>"]).on(
        registered, on_agency_registered
    )


def _rank(version: int, status: int) -> tuple[int, int]:
    # Retiring keeps the version number: within one version, "retired" is the later fact.
    return version, 1 if status == RETIRED else 0


async def copy_duty_item(session: AsyncSession, table: Any, item: Message, now: dt.datetime) -> None:
    """Store a duty item's latest known state (a duties DutyItem) in `table`."""
    version, status = item.publication.version, item.publication.status
    row = await session.get(table, (item.agency_code, item.code))
    if row is not None and _rank(row.version, row.status) >= _rank(version, status):
        return
    row = row or table(agency_code=item.agency_code, code=item.code, version=0, status=0, updated_at=now)
    row.name, row.power_type, row.version, row.status = item.name, item.power_type, version, status
    row.updated_at = now
    session.add(row)


def duty_items_subscription(
    durable: str, table: Any, clock: Clock, events: Sequence[type[Message]]
) -> Subscription:
    """The consumer of duties' duty-item events (`events`: published,
    revised, retired) into `table`."""

    async def on_duty_item(session: AsyncSession, event, _: InboundEvent) -> None:
        await copy_duty_item(session, table, event.duty_item, clock.now())

    subscription = Subscription(durable, PUBLIC_STREAM, DUTY_ITEM_SUBJECTS)
    for message_type in events:
        subscription.on(message_type, on_duty_item)
    return subscription

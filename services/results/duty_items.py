"""Results' local copy of duty items (權責清單事項), learned from the duties
service's events, so a decision can be checked against the duty it cites
without calling duties.

A decision citing a duty item (Decision.duty_item_code) is accepted only when
that agency's item is known here and currently published. An empty code stays
allowed for legacy pushes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import common_pb2, duties_pb2
from services.runtime import copies
from services.runtime.clock import Clock
from services.runtime.errors import FailedPrecondition
from services.runtime.subscription import Subscription

PUBLISHED = common_pb2.PUBLICATION_STATUS_PUBLISHED
DUTY_ITEM_EVENTS = (duties_pb2.DutyItemPublished, duties_pb2.DutyItemRevised, duties_pb2.DutyItemRetired)


class DutyItemCopy(SQLModel, table=True):
    __tablename__ = "results_copy_duty_items"
    agency_code: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=64)
    name: str = ""
    power_type: int = 0
    version: int
    status: int
    updated_at: dt.datetime


async def apply_duty_item(session: AsyncSession, item: duties_pb2.DutyItem, now: dt.datetime) -> None:
    """Store the item's latest known state; stale or repeated events change nothing."""
    await copies.copy_duty_item(session, DutyItemCopy, item, now)


def subscription(runtime=None) -> Subscription:
    """The consumer of duties' duty-item events. Given the runtime, it also
    registers the copy table so the service creates it at start."""
    if runtime is not None and DutyItemCopy.__table__ not in runtime.tables:
        runtime.tables.append(DutyItemCopy.__table__)
    clock = runtime.clock if runtime is not None else Clock()
    return copies.duty_items_subscription("results-duty-items", DutyItemCopy, clock, DUTY_ITEM_EVENTS)


async def check_duty_item(session: AsyncSession, agency_code: str, code: str) -> None:
    """Refuse a decision citing a duty item its agency has not published (or has retired)."""
    if not code:
        return
    row = await session.get(DutyItemCopy, (agency_code, code))
    error = refusal(agency_code, code, None if row is None else row.status)
    if error is not None:
        raise error


async def statuses(session: AsyncSession, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The status of each known (agency, duty item code) of `keys`: one query
    per agency (per 500 codes) for a whole batch, not one per decision."""
    by_agency: dict[str, set[str]] = {}
    for agency_code, code in keys:
        by_agency.setdefault(agency_code, set()).add(code)
    found: dict[tuple[str, str], int] = {}
    for agency_code, codes in by_agency.items():
        ordered = sorted(codes)
        for start in range(0, len(ordered), 500):
            query = select(DutyItemCopy.code, DutyItemCopy.status).where(
                DutyItemCopy.agency_code == agency_code, DutyItemCopy.code.in_(ordered[start : start + 500])
            )
            for code, status in (await session.exec(query)).all():
                found[(agency_code, code)] = status
    return found


def refusal(agency_code: str, code: str, status: int | None) -> FailedPrecondition | None:
    """Why a decision may not cite this duty item (None: it may); `status` is
    the item's here, None when results does not know it."""
    if status is None:
        return FailedPrecondition(
            f"decision.duty_item_code: agency {agency_code} has no published duty item {code} "
            "(publish it with the duties service first; its event may still be on its way)"
        )
    if status != PUBLISHED:
        return FailedPrecondition(
            f"decision.duty_item_code: duty item {code} of agency {agency_code} is retired; "
            "cite a current duty item"
        )
    return None

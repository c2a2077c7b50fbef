"""An agency's queues of replies and repair applications (replies.py,
repairs.py): paging one, deciding a submitted item, and the timestamps
their messages carry. Both tables have id, agency_code, status, decided_at
and decision_reason."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.runtime import paging
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.clock import isoformat
from services.runtime.errors import FailedPrecondition, NotFound


async def page_queue(db, principal: Principal | None, request, model) -> paging.Page:
    """The queue of the agency asked for (by default the caller's), newest
    first by id (ids are time-ordered), of one status if asked; the token is
    the last id seen."""
    agency_code = request.agency_code or (principal.agency_code if principal else "")
    require_agency_writer(principal, agency_code)
    size = paging.page_size(request.page)
    filters = [model.agency_code == agency_code]
    if request.status:
        filters.append(model.status == request.status)
    if request.page.page_token:
        filters.append(model.id < request.page.page_token)
    async with db.reader() as session:
        query = select(model).where(*filters).order_by(model.id.desc())
        return await paging.read_page(session, query, size, lambda last: last.id)


async def decide(
    session: AsyncSession,
    principal: Principal | None,
    model,
    item_id: str,
    *,
    names: tuple[str, str],
    submitted: int,
    status: int,
    reason: str,
    now: dt.datetime,
):
    """The agency's decision on a submitted item of its queue: the item with
    its new status, decision time and reason. `names` are what a message
    calls the item: in full (not found) and short (already decided)."""
    full, short = names
    item = await session.get(model, item_id)
    if item is None:
        raise NotFound(f"no {full} with id {item_id}")
    require_agency_writer(principal, item.agency_code)
    if item.status != submitted:
        raise FailedPrecondition(f"{short} {item_id} was already decided")
    item.status = status
    item.decided_at, item.decision_reason = now, reason
    session.add(item)
    return item


def stamp(instant: dt.datetime | None) -> str:
    return isoformat(instant) if instant is not None else ""

"""Paging an agency's queue of replies or repair applications, and the
timestamps their messages carry: shared by replies.py and repairs.py."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from services.runtime import limits
from services.runtime.clock import isoformat
from services.runtime.errors import invalid


async def page_queue(db, model, page, owner_filter, status: int, status_column):
    """Newest first by id (ids are time-ordered); the token is the last id seen."""
    size = page.page_size or limits.DEFAULT_PAGE_SIZE
    if not 0 < size <= limits.MAX_PAGE_SIZE:
        raise invalid("page.page_size", f"must be between 1 and {limits.MAX_PAGE_SIZE}")
    filters = [owner_filter]
    if status:
        filters.append(status_column == status)
    if page.page_token:
        filters.append(model.id < page.page_token)
    async with db.reader() as session:
        rows = (
            await session.exec(select(model).where(*filters).order_by(model.id.desc()).limit(size + 1))
        ).all()
    token = rows[size - 1].id if len(rows) > size else ""
    return rows[:size], token


def stamp(instant: dt.datetime | None) -> str:
    return isoformat(instant) if instant is not None else ""

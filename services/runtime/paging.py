"""Paging, written once for every service: the page size a request may ask
for, opaque page tokens (parts joined by "|", URL-safe base64 without
padding), and reading one page of an ordered query (keyset paging: the token
names the last row shown). A token a service did not issue is the caller's
error, named `page.page_token`."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func
from sqlmodel import select

from services.runtime import limits
from services.runtime.errors import invalid

NOT_OURS = "is not a cursor this service issued"
SEPARATOR = "|"


def page_size_problem(page) -> str | None:
    """Why the requested page size is refused, or None (0 means the default)."""
    size = page.page_size or limits.DEFAULT_PAGE_SIZE
    return None if 0 < size <= limits.MAX_PAGE_SIZE else f"must be between 1 and {limits.MAX_PAGE_SIZE}"


def page_size(page) -> int:
    problem = page_size_problem(page)
    if problem:
        raise invalid("page.page_size", problem)
    return page.page_size or limits.DEFAULT_PAGE_SIZE


def encode_token(*parts: str) -> str:
    return base64.urlsafe_b64encode(SEPARATOR.join(parts).encode()).decode().rstrip("=")


def decode_token(token: str, count: int) -> list[str]:
    """The `count` parts of a token made by encode_token."""
    try:
        parts = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split(SEPARATOR)
    except Exception as exc:
        raise invalid("page.page_token", NOT_OURS) from exc
    if len(parts) != count:
        raise invalid("page.page_token", NOT_OURS)
    return parts


@dataclass
class Page:
    """One page of rows, the token of the next page ("" on the last) and the
    number of rows on every page."""

    rows: list
    next_page_token: str
    total: int


def count_of(table, filters) -> Select:
    """The statement counting a table's rows that pass `filters` (a list's total)."""
    return select(func.count()).select_from(table).where(*filters)


async def read_page(session, query, size: int, cursor_of: Callable[[Any], str], count=None) -> Page:
    """One page of `query`, which is ordered and already starts after the
    cursor: at most `size` rows, read with one more to know that another page
    follows; its token is `cursor_of` the page's last row. With `count` (a
    statement such as count_of's), the total; else 0."""
    rows = (await session.exec(query.limit(size + 1))).all()
    total = (await session.scalar(count) or 0) if count is not None else 0
    next_page_token = cursor_of(rows[size - 1]) if len(rows) > size else ""
    return Page(list(rows[:size]), next_page_token, total)

"""Paging, written once for every service: the page size a request may ask
for, and opaque page tokens (parts joined by "|", URL-safe base64 without
padding). A token a service did not issue is the caller's error, named
`page.page_token`."""

from __future__ import annotations

import base64

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

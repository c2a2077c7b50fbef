"""Page sizes, page tokens and list filters of the versioned records' reads."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from google.protobuf.message import Message

from services.runtime import limits
from services.runtime.errors import invalid


@dataclass
class PageQuery:
    page_size: int
    token: str = ""


def page_query(page) -> PageQuery:
    size = page.page_size or limits.DEFAULT_PAGE_SIZE
    if not 0 < size <= limits.MAX_PAGE_SIZE:
        raise invalid("page.page_size", f"must be between 1 and {limits.MAX_PAGE_SIZE}")
    return PageQuery(size, page.page_token)


def encode_cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode("|".join(parts).encode()).decode().rstrip("=")


def decode_cursor(token: str, count: int) -> list[str]:
    try:
        parts = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split("|")
    except Exception as exc:
        raise invalid("page.page_token", "is not a cursor this service issued") from exc
    if len(parts) != count:
        raise invalid("page.page_token", "is not a cursor this service issued")
    return parts


@dataclass
class ListFilter:
    agency_code: str = ""
    region_code: str = ""
    category: int = 0
    ref_code: str = ""
    # Substring of the record's name.
    query: str = ""
    needs_review: bool = False


@dataclass
class Listing:
    records: list[Message]
    next_page_token: str
    total: int

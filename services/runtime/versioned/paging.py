"""Page sizes, page tokens and list filters of the versioned records' reads."""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.message import Message

from services.runtime.paging import decode_token, encode_token, page_size


@dataclass
class PageQuery:
    page_size: int
    token: str = ""


def page_query(page) -> PageQuery:
    return PageQuery(page_size(page), page.page_token)


def encode_cursor(*parts: str) -> str:
    return encode_token(*parts)


def decode_cursor(token: str, count: int) -> list[str]:
    return decode_token(token, count)


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

"""Page queries, list filters and listings of the versioned records' reads
(page sizes, tokens and reading a page: services/runtime/paging.py)."""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.message import Message

from services.runtime.paging import page_size


@dataclass
class PageQuery:
    page_size: int
    token: str = ""


def page_query(page) -> PageQuery:
    return PageQuery(page_size(page), page.page_token)


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

    def reply(self, message_type: type[Message], field: str = "versions") -> Message:
        """The list's gRPC reply: the records in `field`, the next page's token, the total."""
        return message_type(**{field: self.records}, next_page_token=self.next_page_token, total=self.total)

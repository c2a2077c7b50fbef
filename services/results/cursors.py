"""Page sizes and opaque page tokens (two fields, base64) of the results
service's reads: shared by reading.py, chain_reads.py and listing.py."""

from __future__ import annotations

import base64

from services.runtime import limits
from services.runtime.errors import invalid


def checked_page_size(page) -> int:
    page_size = page.page_size or limits.DEFAULT_PAGE_SIZE
    if not 0 < page_size <= limits.MAX_PAGE_SIZE:
        raise invalid("page.page_size", f"must be between 1 and {limits.MAX_PAGE_SIZE}")
    return page_size


def encode_token(first: str, second: str) -> str:
    return base64.urlsafe_b64encode(f"{first}|{second}".encode()).decode().rstrip("=")


def decode_token(token: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        first, second = raw.split("|", 1)
    except Exception as exc:
        raise invalid("page.page_token", "is not a cursor this service issued") from exc
    return first, second

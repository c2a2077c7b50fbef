"""Page sizes and page tokens (two parts) of the results service's reads,
shared by reading.py, chain_reads.py and listing.py (services/runtime/paging.py)."""

from __future__ import annotations

from services.runtime import paging


def checked_page_size(page) -> int:
    return paging.page_size(page)


def encode_token(first: str, second: str) -> str:
    return paging.encode_token(first, second)


def decode_token(token: str) -> tuple[str, str]:
    first, second = paging.decode_token(token, 2)
    return first, second

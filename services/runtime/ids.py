"""Stable identifiers."""

from __future__ import annotations

import os
import time


def new_id() -> str:
    """A 26-character, time-ordered, URL-safe id (48-bit ms clock + 80 random bits).

    Time order gives list queries a stable tie-breaker and keeps B-tree inserts
    at the right edge of the index.
    """
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    return _base32(value)


_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def _base32(value: int) -> str:
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))

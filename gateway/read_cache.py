"""The gateway's cache of anonymous public pages, held as the bytes sent.

An entry is valid for one *generation*: any results event (a publication,
correction, withdrawal, expiry ...) and any write through this gateway bumps
the generation and drops every entry, so a page is never older than the last
change the gateway heard of. That is coarse but cheap and obviously correct:
between changes (nearly all of the time) every read is a hit.

The cache serves only while it can hear changes: `link` says whether its
event subscription is alive (gateway/read_invalidation.py); while it is not,
`serving()` is false and every request goes to the services.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from services.runtime import limits


@dataclass(slots=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]  # as sent, with ETag and Cache-Control
    body: bytes
    etag: bytes
    # time.monotonic() after which it is not served (pages showing time-cached
    # aggregates, gateway/cache.py); None: until the next change
    expires: float | None = None


def etag_of(body: bytes) -> bytes:
    """A strong validator: the same bytes, the same tag, in every gateway process."""
    return b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """RFC 9110 13.1.2: weak comparison, a list of tags or "*"."""
    if if_none_match.strip() == b"*":
        return True
    for candidate in if_none_match.split(b","):
        candidate = candidate.strip()
        if candidate.startswith(b"W/"):
            candidate = candidate[2:]
        if candidate == etag:
            return True
    return False


class ReadCache:
    def __init__(
        self,
        max_entries: int = limits.READ_CACHE_MAX_ENTRIES,
        max_bytes: int = limits.READ_CACHE_MAX_BYTES,
        max_entry_bytes: int = limits.READ_CACHE_MAX_ENTRY_BYTES,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.generation = 0
        self.bytes = 0
        self._entries: OrderedDict[object, Entry] = OrderedDict()
        self.answers = {"hit": 0, "miss": 0, "bypass": 0}  # how requests were answered
        # Whether changes can be heard; until a link is attached, nothing is served from memory.
        self.link: Callable[[], bool] = lambda: False

    def __len__(self) -> int:
        return len(self._entries)

    def serving(self) -> bool:
        return self.link()

    def get(self, key) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires is not None and time.monotonic() >= entry.expires:
            del self._entries[key]
            self.bytes -= len(entry.body)
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key, entry: Entry, generation: int) -> bool:
        """Store a page computed during `generation`: refused when a change came in
        meanwhile (the page may predate it) or when it is too big to hold."""
        if generation != self.generation or len(entry.body) > self.max_entry_bytes:
            return False
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= len(old.body)
        self._entries[key] = entry
        self.bytes += len(entry.body)
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.bytes -= len(dropped.body)
        return True

    def invalidate(self) -> None:
        """Something changed: no page held so far may be served again."""
        self.generation += 1
        self._entries.clear()
        self.bytes = 0

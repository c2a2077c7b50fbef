"""Each record's public JSON, encoded once per version and reused as bytes.

A list page used to turn 20 protobuf records into dicts and then into JSON on
every request (docs/performance.md, read_list). Here a record's encoded JSON is
kept under its own serialized protobuf bytes: the same content is the same key,
so any change to a record (a correction, a flag, a reply, a withdrawal) is a
new key and can never be answered with the old JSON, and nothing has to be
invalidated. Pages are then spliced from the records' bytes.
"""

from __future__ import annotations

from collections import OrderedDict

import orjson
from google.protobuf.message import Message

from gateway.convert import to_json
from services.runtime import limits


class EncodedRecords:
    """Serialized message -> its JSON bytes, least recently used dropped first."""

    def __init__(self, max_entries: int = limits.READ_CACHE_MAX_RECORDS) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, bytes] = OrderedDict()
        self.encoded = 0  # how many times a record was converted (tests, metrics)

    def __len__(self) -> int:
        return len(self._entries)

    def encode(self, message: Message) -> bytes:
        key = message.SerializeToString()
        body = self._entries.get(key)
        if body is not None:
            self._entries.move_to_end(key)
            return body
        body = orjson.dumps(to_json(message))
        self.encoded += 1
        self._entries[key] = body
        if len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return body


records = EncodedRecords()


def with_fields(record: bytes, **fields) -> bytes:
    """A record's JSON object with more fields appended (e.g. a search hit's snippet)."""
    if not fields:
        return record
    extra = orjson.dumps(fields)
    if record == b"{}":
        return extra
    return record[:-1] + b"," + extra[1:]


def page(items: list[bytes], **fields) -> bytes:
    """`{"data": [items...], **fields}` from already encoded items."""
    rest = orjson.dumps(fields) if fields else b"{}"
    data = b'{"data":[' + b",".join(items) + b"]"
    return data + (b"," + rest[1:] if fields else b"}")

"""Event envelope: subjects, headers and the protobuf body of every event.

Subjects are `gongshi.<domain>.<event>.<agency>` (public stream GONGSHI) or
`internal.<domain>.<event>.<owner>` (stream GONGSHI_INTERNAL, never public).
Headers carry the metadata so subscribers can filter and dedupe without
parsing the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from google.protobuf.message import Message

from services.runtime.ids import new_id

HEADER_MSG_ID = "Nats-Msg-Id"
HEADER_EVENT_TYPE = "Gongshi-Event-Type"
HEADER_SOURCE = "Gongshi-Source"
HEADER_OCCURRED_AT = "Gongshi-Occurred-At"
HEADER_SCHEMA_VERSION = "Gongshi-Schema-Version"
SCHEMA_VERSION = "1"

_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")
PLATFORM_OWNER = "_platform"


def subject(domain: str, event: str, owner: str, *, internal: bool = False) -> str:
    """Build an event subject; every token must be safe for NATS wildcards."""
    for token in (domain, event, owner):
        if not _TOKEN.match(token):
            raise ValueError(f"unsafe subject token {token!r}")
    return f"{'internal' if internal else 'gongshi'}.{domain}.{event}.{owner}"


def event_type(message: Message | type[Message]) -> str:
    return message.DESCRIPTOR.full_name


@dataclass
class Event:
    """One fact to publish: written to the outbox with the change it records."""

    subject: str
    message: Message
    event_id: str = field(default_factory=new_id)

    @property
    def type(self) -> str:
        return event_type(self.message)

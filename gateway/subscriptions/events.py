"""Which events a subscriber may see, how filters become NATS subjects, and
the JSON shape of an event (the same for SSE, webhooks and docs/events.md)."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from dataclasses import dataclass
from functools import cache

from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import DecodeError

import gongshi.v1
from gateway.convert import to_json
from services.runtime import events as ev

PUBLIC_DOMAINS = ("results", "duties", "procedures", "feedback")
OVERSIGHT_DOMAINS = (*PUBLIC_DOMAINS, "deadletter")
# Events about an agency's failures (missed deadlines, dead letters) are for
# oversight bodies; the public sees the records themselves.
_OVERSIGHT_ONLY_EVENT = re.compile(r"overdue|missing|deadline_missed")
# Defence in depth: no event should carry these, and public subscribers never get them.
PRIVATE_KEYS = frozenset({"contact", "contacts", "secret", "tracking_secret", "client_ip", "id_number_raw"})
TOKEN = r"^[A-Za-z0-9_-]{1,80}$"


def is_oversight_only(subject: str) -> bool:
    parts = subject.split(".")
    if len(parts) < 3 or parts[0] != "gongshi":
        return True
    return parts[1] not in PUBLIC_DOMAINS or bool(_OVERSIGHT_ONLY_EVENT.search(parts[2]))


@dataclass(frozen=True)
class EventFilter:
    """agency/domain/event map onto subject tokens, so NATS filters on the
    server; region is not in the subject and is checked against the agency."""

    domain: str = ""
    event: str = ""
    agency: str = ""
    region: str = ""

    def subject(self) -> str:
        return f"gongshi.{self.domain or '*'}.{self.event or '*'}.{self.agency or '*'}"

    def matches(self, subject: str, *, oversight: bool, region: str | None = None) -> bool:
        """`region` is the region of the subject's agency (needed only with a region filter)."""
        parts = subject.split(".")
        if len(parts) != 4:
            return False
        _, domain, event, agency = parts
        if (self.domain and domain != self.domain) or (self.event and event != self.event):
            return False
        if self.agency and agency != self.agency:
            return False
        if not oversight and is_oversight_only(subject):
            return False
        if self.region and domain != "deadletter":
            return region == self.region
        return True

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


@cache
def _load_all_messages() -> None:
    for module in pkgutil.iter_modules(gongshi.v1.__path__):
        if module.name.endswith("_pb2"):
            importlib.import_module(f"gongshi.v1.{module.name}")


def decode(event_type: str, data: bytes) -> dict:
    """The body as JSON, using the protobuf type named in the event's headers."""
    _load_all_messages()
    try:
        descriptor = descriptor_pool.Default().FindMessageTypeByName(event_type)
        message = message_factory.GetMessageClass(descriptor)()
        message.ParseFromString(data)
    except (KeyError, DecodeError):
        return {}
    return to_json(message)


def scrub(value):
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k not in PRIVATE_KEYS}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def envelope(subject: str, sequence: int, headers: dict[str, str], data: bytes, *, oversight: bool) -> dict:
    """One event as subscribers receive it."""
    event_type = headers.get(ev.HEADER_EVENT_TYPE, "")
    parts = subject.split(".")
    body = decode(event_type, data)
    return {
        "id": headers.get(ev.HEADER_MSG_ID, f"seq-{sequence}"),
        "sequence": sequence,
        "subject": subject,
        "type": ".".join(parts[1:3]) if len(parts) >= 3 else subject,
        "agency_code": parts[3] if len(parts) >= 4 else "",
        "event_type": event_type,
        "occurred_at": headers.get(ev.HEADER_OCCURRED_AT, ""),
        "data": body if oversight else scrub(body),
    }


def now_unix() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp())

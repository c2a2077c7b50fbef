"""What a kind of versioned record is: one RecordSpec per kind tells the store
and the writer its message, events, validation, columns and hooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from google.protobuf.message import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from services.runtime.auth import Principal

Check = Callable[[AsyncSession, Message], Awaitable[None]]
# (session, principal, the changed version as readers see it, event, now)
AfterChange = Callable[[AsyncSession, Principal | None, Message, str, dt.datetime], Awaitable[None]]


async def _no_check(_session: AsyncSession, _message: Message) -> None:
    return None


async def _no_after(_s: AsyncSession, _p: Principal | None, _m: Message, _e: str, _n: dt.datetime) -> None:
    return None


@dataclass(frozen=True)
class RecordSpec:
    kind: int
    # snake_case name: event subjects (<label>_published), audit record type, field prefix.
    label: str
    message: type[Message]
    # The field of the event messages that holds the record.
    event_field: str
    events: tuple[type[Message], type[Message], type[Message]]  # published, revised, retired
    validate: Callable[[Message], None]
    name_of: Callable[[Message], str]
    code_field: str = "code"
    category_of: Callable[[Message], int] = lambda _m: 0
    ref_of: Callable[[Message], str] = lambda _m: ""
    # Fields the service sets; never part of the agency's content.
    derived_fields: tuple[str, ...] = ("publication", "region_code")
    # Hooks: reference checks before storing; effects after a public change.
    check: Check = _no_check
    after_change: AfterChange = _no_after

    def code(self, message: Message) -> str:
        return getattr(message, self.code_field)

    def content(self, message: Message) -> bytes:
        copy = type(message)()
        copy.CopyFrom(message)
        for name in self.derived_fields:
            copy.ClearField(name)
        return copy.SerializeToString(deterministic=True)

    def event_message(self, event: str, record: Message, previous_version: int = 0) -> Message:
        published, revised, retired = self.events
        kind = {"published": published, "revised": revised, "retired": retired}[event]
        message = kind(**{self.event_field: record})
        if event == "revised":
            message.previous_version = previous_version
        return message

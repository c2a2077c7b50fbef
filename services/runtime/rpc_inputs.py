"""Request checks made while deserializing, where the raw bytes are at hand:
bytes that are not the method's request message, and text holding NUL, are
the caller's error (INVALID_ARGUMENT naming the field), not gRPC's INTERNAL."""

from __future__ import annotations

from collections.abc import AsyncIterator

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from services.runtime import errors


class Refused:
    """A request refused while deserializing. It reaches the handler wrapper in
    place of the message, which raises `error` once the caller is authenticated."""

    __slots__ = ("error",)

    def __init__(self, error: errors.InvalidArgument) -> None:
        self.error = error


def checked(deserializer):
    """Bytes that are not the method's request message would be INTERNAL
    ("Exception deserializing request") in gRPC; this is the caller's error.

    The NUL check walks the message only when its bytes hold a zero byte at
    all: UTF-8 encodes U+0000 only as 0x00, so without one no text field can
    hold it (zero bytes also occur in numbers and empty fields, which then take
    the walk and pass it).
    """
    if deserializer is None:
        return None

    def parse(raw: bytes):
        try:
            message = deserializer(raw)
        except Exception:
            return Refused(
                errors.invalid("request", "is not a valid protobuf message of this method's request type")
            )
        if b"\x00" in raw:
            fields = _nul_fields(message)
            if fields:
                return Refused(_nul_refusal(fields))
        return message

    return parse


def _nul_refusal(fields: list[str]) -> errors.InvalidArgument:
    return errors.InvalidArgument(
        [errors.FieldViolation(f, "must not contain the NUL character (U+0000)") for f in fields]
    )


def _nul_fields(message: Message, prefix: str = "") -> list[str]:
    found: list[str] = []
    for field, value in message.ListFields():
        name = prefix + field.name
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            for key, item in value.items():
                if isinstance(key, str) and "\x00" in key:
                    found.append(f"{name}[{key!r}]")
                if isinstance(item, str) and "\x00" in item:
                    found.append(f"{name}[{key!r}]")
                elif isinstance(item, Message):
                    found += _nul_fields(item, f"{name}[{key!r}].")
        elif field.type == FieldDescriptor.TYPE_STRING:
            items = value if field.is_repeated else [value]
            for i, item in enumerate(items):
                if "\x00" in item:
                    found.append(f"{name}[{i}]" if field.is_repeated else name)
        elif field.type == FieldDescriptor.TYPE_MESSAGE:
            items = value if field.is_repeated else [value]
            for i, item in enumerate(items):
                found += _nul_fields(item, f"{name}[{i}]." if field.is_repeated else f"{name}.")
    return found


async def decoded_stream(requests: AsyncIterator):
    """A client stream whose refused message ends the call as INVALID_ARGUMENT."""
    async for request in requests:
        if type(request) is Refused:
            raise request.error
        yield request

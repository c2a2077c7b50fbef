"""Protobuf messages to the public JSON shape: snake_case fields, enums as
short lowercase names (DECISION_CATEGORY_PENALTY -> "penalty")."""

from __future__ import annotations

from functools import cache

from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor
from google.protobuf.message import Message


@cache
def _enum_names(enum: EnumDescriptor) -> dict[int, str]:
    prefix = _common_prefix([v.name for v in enum.values])
    return {v.number: v.name[len(prefix) :].lower() for v in enum.values}


@cache
def enum_values(enum: EnumDescriptor) -> dict[str, int]:
    """Public names to numbers, for parsing query parameters."""
    return {name: number for number, name in _enum_names(enum).items() if number != 0}


def _common_prefix(names: list[str]) -> str:
    # DECISION_CATEGORY_UNSPECIFIED ... -> "DECISION_CATEGORY_"
    first = names[0]
    return first[: first.rfind("_UNSPECIFIED") + 1] if first.endswith("_UNSPECIFIED") else ""


def to_json(message: Message) -> dict:
    return _convert(message, message.DESCRIPTOR)


def listing(records, total: int, limit: int, next_token: str) -> dict:
    """The list shape of the REST lists (as /api/v1/results): a page of records,
    the total, the page size and the next page's cursor (null on the last)."""
    return {
        "data": [to_json(r) for r in records],
        "total": total,
        "limit": limit,
        "next_cursor": next_token or None,
    }


# How each field is turned into JSON, decided once per message type: the list
# endpoints convert thousands of fields per request, and asking the descriptor
# about every field each time was the gateway's largest cost (docs/performance.md).
_SCALAR, _REPEATED, _MESSAGE, _MESSAGES, _ENUM, _ENUMS, _BYTES, _BYTES_LIST = range(8)


@cache
def _plan(descriptor: Descriptor) -> tuple[tuple[str, int, object], ...]:
    plan = []
    for field in descriptor.fields:
        repeated = field.is_repeated
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            plan.append((field.name, _MESSAGES if repeated else _MESSAGE, field.message_type))
        elif field.type == FieldDescriptor.TYPE_ENUM:
            plan.append((field.name, _ENUMS if repeated else _ENUM, _enum_names(field.enum_type)))
        elif field.type == FieldDescriptor.TYPE_BYTES:
            plan.append((field.name, _BYTES_LIST if repeated else _BYTES, None))
        else:
            plan.append((field.name, _REPEATED if repeated else _SCALAR, None))
    return tuple(plan)


def _convert(message: Message, descriptor: Descriptor) -> dict:
    out: dict = {}
    for name, kind, extra in _plan(descriptor):
        value = getattr(message, name)
        if kind == _SCALAR:
            out[name] = value
        elif kind == _ENUM:
            out[name] = extra.get(value, str(value))
        elif kind == _MESSAGE:
            out[name] = _convert(value, extra)
        elif kind == _REPEATED:
            out[name] = list(value)
        elif kind == _ENUMS:
            out[name] = [extra.get(v, str(v)) for v in value]
        elif kind == _MESSAGES:
            out[name] = [_convert(v, extra) for v in value]
        elif kind == _BYTES:
            out[name] = value.hex()
        else:
            out[name] = [v.hex() for v in value]
    return out

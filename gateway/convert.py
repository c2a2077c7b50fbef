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


def _convert(message: Message, descriptor: Descriptor) -> dict:
    out: dict = {}
    for field in descriptor.fields:
        value = getattr(message, field.name)
        out[field.name] = _value(field, value)
    return out


def _value(field: FieldDescriptor, value):
    repeated = field.is_repeated
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        if repeated:
            return [_convert(v, field.message_type) for v in value]
        return _convert(value, field.message_type)
    if field.type == FieldDescriptor.TYPE_ENUM:
        names = _enum_names(field.enum_type)
        return [names.get(v, str(v)) for v in value] if repeated else names.get(value, str(value))
    if field.type == FieldDescriptor.TYPE_BYTES:
        return [v.hex() for v in value] if repeated else value.hex()
    return list(value) if repeated else value

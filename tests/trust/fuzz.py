"""Hypothesis strategies for any protobuf request, built from its descriptor:
random values for every field (long, odd and empty strings, out-of-range
numbers, unknown enum values, nested and repeated fields), so every RPC can
be fed malformed input without writing a strategy per message."""

from __future__ import annotations

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from hypothesis import strategies as st

from services.runtime import limits

_INT32 = st.one_of(st.integers(-(2**31), 2**31 - 1), st.sampled_from([0, -1, 1, 2**31 - 1, -(2**31)]))
_INT64 = st.one_of(st.integers(-(2**63), 2**63 - 1), st.sampled_from([0, -1, 2**63 - 1]))
_UINT32 = st.integers(0, 2**32 - 1)
_UINT64 = st.integers(0, 2**64 - 1)
_FLOAT = st.floats(allow_nan=True, allow_infinity=True, width=32)
_DOUBLE = st.floats(allow_nan=True, allow_infinity=True)

# Text that has broken services elsewhere: markup, SQL, control characters,
# dates that are not dates, NATS-subject tokens, path tricks, and sizes at and
# over the limits.
_NASTY = st.sampled_from(
    [
        "",
        " ",
        "<script>alert(1)</script>",
        "'; DROP TABLE results; --",
        "\x00",
        "\u202e\u200b",
        "2026-13-40",
        "0000-00-00",
        "9999-12-31",
        "gongshi.>",
        "*",
        "../../etc/passwd",
        "%00",
        "NaN",
        "-1",
        "号" * (limits.SHORT_TEXT + 1),
        "x" * (limits.MEDIUM_TEXT + 1),
    ]
)
_TEXT = st.one_of(_NASTY, st.text(max_size=60), st.text(alphabet="0123456789-:TZ", max_size=25))


def message_strategy(
    descriptor: Descriptor, *, depth: int = 0, overrides: dict | None = None
) -> st.SearchStrategy:
    """Random messages of `descriptor`'s type; `overrides` maps field names to
    strategies (e.g. agency_code to mostly the caller's own agency)."""
    overrides = overrides or {}
    fields = {}
    for field in descriptor.fields:
        value = overrides.get(field.name) or _field(field, depth)
        if value is None:
            continue
        if field.is_repeated and field.name not in overrides:
            value = st.lists(value, max_size=4)
        fields[field.name] = st.one_of(st.none(), value)  # None: leave the field unset
    cls = _class(descriptor)

    def build(values: dict) -> Message:
        message = cls()
        for name, value in values.items():
            if value is None:
                continue
            field = descriptor.fields_by_name[name]
            if field.is_repeated:
                if field.message_type is not None and not _is_map(field):
                    for item in value:
                        getattr(message, name).add().CopyFrom(item)
                elif _is_map(field):
                    continue
                else:
                    getattr(message, name).extend(value)
            elif field.message_type is not None:
                getattr(message, name).CopyFrom(value)
            else:
                setattr(message, name, value)
        return message

    return st.fixed_dictionaries(fields).map(build)


def _class(descriptor: Descriptor) -> type[Message]:
    from google.protobuf import message_factory

    return message_factory.GetMessageClass(descriptor)


def _is_map(field: FieldDescriptor) -> bool:
    return field.message_type is not None and field.message_type.GetOptions().map_entry


def _field(field: FieldDescriptor, depth: int) -> st.SearchStrategy | None:
    t = field.type
    if t == FieldDescriptor.TYPE_MESSAGE:
        if depth >= 3 or _is_map(field):
            return None
        return st.deferred(lambda: message_strategy(field.message_type, depth=depth + 1))
    if t == FieldDescriptor.TYPE_STRING:
        return _TEXT
    if t == FieldDescriptor.TYPE_BYTES:
        return st.binary(max_size=64)
    if t == FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if t == FieldDescriptor.TYPE_ENUM:
        known = [v.number for v in field.enum_type.values]
        return st.one_of(st.sampled_from(known), _INT32)
    if t in (FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SFIXED32):
        return _INT32
    if t in (FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_SINT64, FieldDescriptor.TYPE_SFIXED64):
        return _INT64
    if t in (FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_FIXED32):
        return _UINT32
    if t in (FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_FIXED64):
        return _UINT64
    if t == FieldDescriptor.TYPE_FLOAT:
        return _FLOAT
    if t == FieldDescriptor.TYPE_DOUBLE:
        return _DOUBLE
    return None

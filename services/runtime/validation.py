"""Field-level validation helpers: collect every violation of a record (named
by its full field path, e.g. `duty_item.sub_items[2].name`), then raise once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from services.runtime import limits
from services.runtime.errors import FieldViolation, InvalidArgument

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s]+$")
_PHONE = re.compile(r"^[0-9+()\- ]{3,30}$")


_KNOWN_VALUES: dict[str, frozenset[int]] = {}


def known_value(enum, value: int) -> bool:
    """A set (non-zero) value of the protobuf enum; its values are read once per enum."""
    known = _KNOWN_VALUES.get(enum.DESCRIPTOR.full_name)
    if known is None:
        known = _KNOWN_VALUES[enum.DESCRIPTOR.full_name] = frozenset(v for v in enum.values() if v)
    return value in known


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


class Checker:
    """Collects violations named by their field path (under `prefix`, if any)."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.violations: list[FieldViolation] = []

    def path(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def fail(self, name: str, description: str) -> None:
        self.violations.append(FieldViolation(self.path(name), description))

    def text(
        self, name: str, value: str, max_len: int = limits.SHORT_TEXT, *, required: bool = False
    ) -> None:
        if required and not value.strip():
            self.fail(name, "is required")
        elif len(value) > max_len:
            self.fail(name, f"is {len(value)} characters long; the limit is {max_len}")

    def texts(
        self,
        name: str,
        values: Sequence[str],
        max_len: int = limits.SHORT_TEXT,
        *,
        required: bool = False,
        max_items: int = limits.MAX_LIST_ITEMS,
        items_required: bool | None = None,
    ) -> None:
        """A list of texts: at least one entry if `required`; each entry non-blank
        if `items_required` (default: as `required`) and within `max_len`."""
        self.count(name, values, max_items)
        if required and not any(v.strip() for v in values):
            self.fail(name, "needs at least one entry")
        each_required = required if items_required is None else items_required
        for i, value in enumerate(values):
            # The entry's path is built only for a failure: this runs per entry in bulk writes.
            if len(value) > max_len or (each_required and not value.strip()):
                self.text(f"{name}[{i}]", value, max_len, required=each_required)

    def count(self, name: str, values: Sequence, max_items: int = limits.MAX_LIST_ITEMS) -> None:
        if len(values) > max_items:
            self.fail(name, f"has {len(values)} entries; the limit is {max_items}")

    def enum(self, name: str, enum, value: int, *, required: bool = True) -> None:
        if value == 0:
            if required:
                self.fail(name, "is required")
        elif not known_value(enum, value):
            self.fail(name, f"unknown value {value}")

    def pattern(self, name: str, value: str, regex: str, description: str, *, required: bool = True) -> None:
        if not value and not required:
            return
        if not re.match(regex, value):
            self.fail(name, description if value else "is required")

    def date(self, name: str, value: str, *, required: bool = False) -> dt.date | None:
        if not value:
            if required:
                self.fail(name, "is required")
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.fail(name, "must be a date in the form YYYY-MM-DD")
        return parsed

    def not_before(
        self, name: str, later: dt.date | None, earlier: dt.date | None, earlier_name: str
    ) -> None:
        if later and earlier and later < earlier:
            self.fail(name, f"must not be before {self.path(earlier_name)}")

    def email(self, name: str, value: str) -> None:
        self.text(name, value)
        if value and not _EMAIL.match(value):
            self.fail(name, "must be an e-mail address")

    def url(self, name: str, value: str) -> None:
        self.text(name, value, limits.MEDIUM_TEXT)
        if value and not _URL.match(value):
            self.fail(name, "must be an http:// or https:// address")

    def phone(self, name: str, value: str) -> None:
        if value and not _PHONE.match(value):
            self.fail(name, "must be a telephone number (digits, spaces, +, -, parentheses)")

    def raise_if_any(self) -> None:
        if self.violations:
            raise InvalidArgument(self.violations)

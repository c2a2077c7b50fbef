"""Masking (脱敏) of personal data before anything is published (DOMAIN.md E2, E4, E5).

Two entry points: `MaskingPolicy.mask_party` for the structured fields of a party,
and `redact_text` for free text (case facts, replies). Both return the list of
rules they applied so the caller can store it in the record's redaction log; the
log never carries a raw value, because a log that does defeats the masking.
The conventions (how many digits stay visible, the name pattern) are not fixed by
any primary source (E5), so they are data on the policy, not code."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial

MASK_CHAR = "*"
DEFAULT_NAME_PATTERN = "{surname}某某"
HEALTH_MARKER = "[健康信息已隐去]"
ADDRESS_MARKER = "****"

NATURAL_PERSON = "natural_person"
# Party types whose name is public (E2 only protects their bank accounts).
ORGANISATION_TYPES = frozenset({"legal_person", "unincorporated_organisation"})
PARTY_FIELDS = ("name", "id_number", "phone", "address", "bank_account", "health")

# Two-character surnames, simplified and traditional; "欧阳娜娜" keeps "欧阳", not "欧".
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫",
        "尉迟", "尉遲", "公孙", "公孫", "慕容", "长孙", "長孫", "宇文", "司徒", "司空",
        "夏侯", "令狐", "端木", "轩辕", "軒轅", "独孤", "獨孤", "南宫", "南宮", "西门",
        "西門", "申屠", "闻人", "聞人", "澹台", "濮阳", "濮陽", "百里", "呼延", "太史",
        "钟离", "鍾離", "赫连", "赫連", "万俟", "萬俟", "拓跋", "第五", "公冶", "宗政",
    }
)  # fmt: skip


@dataclass(frozen=True)
class KeepEnds:
    """How many characters of a number stay visible at each end."""

    head: int = 0
    tail: int = 0

    def __post_init__(self) -> None:
        if self.head < 0 or self.tail < 0:
            raise ValueError(f"KeepEnds must not be negative: {self}")


ID_KEEP = KeepEnds(6, 4)  # hides digits 7-14, the birth date (E5)
MOBILE_KEEP = KeepEnds(3, 4)
BANK_KEEP = KeepEnds(0, 4)
LANDLINE_KEEP_TAIL = 2  # after the area code


@dataclass(frozen=True)
class AppliedRule:
    """One line of the redaction log: which rule fired on which field, how often."""

    rule: str
    field: str
    count: int


@dataclass(frozen=True)
class MaskRule:
    """A free-text rule. `accept` can turn down a match (e.g. an 18-digit run
    with no valid birth date is no ID number); later rules then still see it."""

    name: str
    pattern: re.Pattern[str]
    replace: Callable[[str], str]
    accept: Callable[[str], bool] | None = None


# ---------------------------------------------------------------- numbers


def _ascii(ch: str) -> str:
    # Chinese documents often use full-width digits (１３８…); compare them as ASCII.
    return unicodedata.normalize("NFKC", ch)


def _is_symbol(ch: str) -> bool:
    plain = _ascii(ch)
    return len(plain) == 1 and plain.isascii() and plain.isalnum()


def _digits(value: str) -> str:
    return "".join(plain for plain in map(_ascii, value) if len(plain) == 1 and plain.isdigit())


def mask_keep_ends(value: str, keep: KeepEnds, mask_char: str = MASK_CHAR) -> str:
    """Masks the letters and digits of `value` except `keep.head` and `keep.tail`,
    leaving separators in place. If nothing would stay hidden, everything is
    hidden: a mask that reveals the whole value is no mask."""
    positions = [i for i, ch in enumerate(value) if _is_symbol(ch)]
    if keep.head + keep.tail >= len(positions):
        visible: set[int] = set()
    else:
        visible = set(positions[: keep.head]) | set(positions[len(positions) - keep.tail :])
    hidden = set(positions) - visible
    return "".join(mask_char if i in hidden else ch for i, ch in enumerate(value))


def mask_id_number(value: str, keep: KeepEnds = ID_KEEP, mask_char: str = MASK_CHAR) -> str:
    """Masks a resident ID number, by default 110101********1234.

    Old 15-digit numbers end with 3 sequence digits right after the birth date,
    so at most 3 stay visible there, or the last birth-date digit would show."""
    if len(_digits(value)) == 15:
        keep = KeepEnds(keep.head, min(keep.tail, 3))
    return mask_keep_ends(value, keep, mask_char)


def mask_bank_account(value: str, keep: KeepEnds = BANK_KEEP, mask_char: str = MASK_CHAR) -> str:
    """Masks a bank account, by default all but the last 4 digits, so the party
    can still recognise its own account in the published decision."""
    return mask_keep_ends(value, keep, mask_char)


def mask_phone(
    value: str,
    mobile_keep: KeepEnds = MOBILE_KEEP,
    landline_keep_tail: int = LANDLINE_KEEP_TAIL,
    mask_char: str = MASK_CHAR,
) -> str:
    """Masks a mobile (138****5678) or a landline (010-******78: the area code
    stays, it only names the city). Anything unrecognised is masked whole."""
    digits = _digits(value)
    prefix = 2 if len(digits) == 13 and digits.startswith("86") else 0
    national = digits[prefix:]
    if len(national) == 11 and national[0] == "1":
        keep = KeepEnds(prefix + mobile_keep.head, mobile_keep.tail)
    elif 10 <= len(national) <= 12 and national[0] == "0":
        # 010 and 02x are the only 3-digit area codes; all others have 4 digits.
        area = 3 if national[1] in "12" else 4
        keep = KeepEnds(prefix + area, landline_keep_tail)
    else:
        keep = KeepEnds()
    return mask_keep_ends(value, keep, mask_char)


def _birth_date(digits: str) -> dt.date | None:
    stamp = digits[6:14] if len(digits) == 18 else "19" + digits[6:12]
    try:
        return dt.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))
    except ValueError:
        return None


def looks_like_id_number(value: str) -> bool:
    """True for 18 (or old 15) characters with a region code and a real birth date.

    The check digit is not verified on purpose: a mistyped ID is still personal data."""
    plain = "".join(ch for ch in map(_ascii, value) if ch not in " -").upper()
    if not re.fullmatch(r"[1-9]\d{16}[\dX]|[1-9]\d{14}", plain):
        return False
    born = _birth_date(plain)
    return born is not None and 1900 <= born.year <= 2099


# ---------------------------------------------------------------- names, addresses, health


def surname_of(name: str) -> str:
    """The surname, taking two characters for compound surnames (欧阳, 諸葛...)
    unless the whole name is only those two characters (then 司马 is 司 + 马)."""
    clean = name.strip()
    if len(clean) >= 3 and clean[:2] in COMPOUND_SURNAMES:
        return clean[:2]
    return clean[:1]


def mask_name(name: str, pattern: str = DEFAULT_NAME_PATTERN) -> str:
    """Anonymises a natural person's name as practised in published decisions
    (张三 -> 张某某, E4). `pattern` may use {surname}, e.g. "{surname}某"."""
    if not name.strip():
        return name
    return pattern.format(surname=surname_of(name))


# Characters that never occur inside a region name but do start the street part of an
# address; stopping at them keeps "小区", "市场" or a house number out of the kept part.
_PLACE = r"[^\s\d０-９省市区县旗镇乡村街路巷弄号楼室栋幢,，.。;；、:：()（）]"
_ADDRESS_HEAD = re.compile(
    rf"\s*(?:{_PLACE}{{2,7}}?(?:省|自治区|特别行政区))?"
    rf"\s*(?:{_PLACE}{{1,12}}?(?:自治州|地区|盟|市(?!场)))?"
    rf"\s*(?:{_PLACE}{{1,14}}?(?:自治县|自治旗|林区|特区|(?<![小社])区|县|市(?!场)|旗))?"
)


def mask_address(value: str, marker: str = ADDRESS_MARKER) -> str:
    """Keeps the address down to the district/county (北京市海淀区****) and hides
    the rest. When the levels cannot be told apart, more is hidden, never less."""
    head = _ADDRESS_HEAD.match(value)
    kept = head.group(0).strip() if head else ""
    if len(kept) == len(value.strip()):
        return value
    return kept + marker


def mask_health(value: str, marker: str = HEALTH_MARKER) -> str:
    """Health data is never partly shown: even a diagnosis fragment is sensitive."""
    return marker if value.strip() else value


# ---------------------------------------------------------------- free text

_D = "[0-9０-９]"
_START = "(?<![0-9０-９])"  # digit runs are matched whole, never from their middle
_END = "(?![0-9０-９])"

# Also the 6-8-4 grouping (110101 19900307 1234) that people type for readability.
ID_NUMBER_PATTERN = re.compile(
    rf"{_START}(?:{_D}{{6}}[- ]?{_D}{{8}}[- ]?{_D}{{3}}[0-9０-９XxＸｘ]|{_D}{{15}}){_END}"
)
# 12+ digits: bank cards have 12-19, and longer runs are numbers glued together
# (e.g. an ID followed by a phone), which would otherwise escape every rule.
BANK_ACCOUNT_PATTERN = re.compile(
    rf"{_START}(?:{_D}{{12,}}|{_D}{{4}}(?:[- ]{_D}{{4}}){{2,4}}(?:[- ]{_D}{{1,3}})?){_END}"
)
MOBILE_PATTERN = re.compile(rf"{_START}[1１][3-9３-９]{_D}(?:[- ]?{_D}{{4}}){{2}}{_END}")
LANDLINE_PATTERN = re.compile(
    rf"{_START}(?:[(（][0０]{_D}{{2,3}}[)）]\s?|[0０]{_D}{{2,3}}[- ]?){_D}{{7,8}}{_END}"
)


def build_rules(
    id_keep: KeepEnds = ID_KEEP,
    bank_keep: KeepEnds = BANK_KEEP,
    mobile_keep: KeepEnds = MOBILE_KEEP,
    landline_keep_tail: int = LANDLINE_KEEP_TAIL,
    mask_char: str = MASK_CHAR,
) -> tuple[MaskRule, ...]:
    """The free-text rules in the order they must run, with a policy's settings."""
    phone = partial(
        mask_phone, mobile_keep=mobile_keep, landline_keep_tail=landline_keep_tail, mask_char=mask_char
    )
    # Order matters: longest digit runs first, so an ID is never half-masked as an account or phone.
    return (
        MaskRule(
            "id_number",
            ID_NUMBER_PATTERN,
            partial(mask_id_number, keep=id_keep, mask_char=mask_char),
            looks_like_id_number,
        ),
        MaskRule(
            "bank_account",
            BANK_ACCOUNT_PATTERN,
            partial(mask_bank_account, keep=bank_keep, mask_char=mask_char),
        ),
        MaskRule("mobile_phone", MOBILE_PATTERN, phone),
        MaskRule("landline", LANDLINE_PATTERN, phone),
    )


DEFAULT_RULES: tuple[MaskRule, ...] = build_rules()


def apply_rule(rule: MaskRule, text: str) -> tuple[str, int]:
    """Runs one rule over `text`; returns the new text and how many values it masked."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        raw = match.group(0)
        if rule.accept is not None and not rule.accept(raw):
            return raw
        masked = rule.replace(raw)
        if masked != raw:
            count += 1
        return masked

    return rule.pattern.sub(replace, text), count


def _name_rule(names: Iterable[str], pattern: str) -> MaskRule | None:
    # Longest first, so "王小明" is masked whole before "王小" could match inside it.
    unique = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    if not unique:
        return None
    regex = re.compile("|".join(map(re.escape, unique)))
    return MaskRule("third_party_name", regex, partial(mask_name, pattern=pattern))


def redact_text(
    text: str,
    *,
    third_party_names: Iterable[str] = (),
    rules: tuple[MaskRule, ...] = DEFAULT_RULES,
    name_pattern: str = DEFAULT_NAME_PATTERN,
    field: str = "text",
) -> tuple[str, list[AppliedRule]]:
    """Masks ID numbers, bank accounts, phone numbers and the given third-party
    names (E2: natural persons other than the party) inside free text.

    Names cannot be recognised reliably in Chinese prose, so the caller passes the
    ones it knows (witnesses, complainants, the party when E4 applies)."""
    applied: list[AppliedRule] = []
    name_rule = _name_rule(third_party_names, name_pattern)
    for rule in (*rules, name_rule) if name_rule else rules:
        text, count = apply_rule(rule, text)
        if count:
            applied.append(AppliedRule(rule.name, field, count))
    return text, applied


# ---------------------------------------------------------------- policy


@dataclass(frozen=True)
class MaskingPolicy:
    """A region's or category's masking choices (E4, E5 leave them open).

    Unknown party types are masked like natural persons: publishing too little
    can be corrected later, publishing personal data cannot be undone."""

    name_pattern: str = DEFAULT_NAME_PATTERN
    natural_person_fields: AbstractSet[str] = frozenset(PARTY_FIELDS)
    organisation_fields: AbstractSet[str] = frozenset({"bank_account", "health"})
    id_keep: KeepEnds = ID_KEEP
    mobile_keep: KeepEnds = MOBILE_KEEP
    landline_keep_tail: int = LANDLINE_KEEP_TAIL
    bank_keep: KeepEnds = BANK_KEEP
    address_marker: str = ADDRESS_MARKER
    health_marker: str = HEALTH_MARKER
    mask_char: str = MASK_CHAR
    organisation_types: AbstractSet[str] = ORGANISATION_TYPES
    # Find persons' names in free text (services/runtime/person_names.py) besides
    # the listed ones. E2 asks for it; off only to measure or to roll back.
    find_names: bool = True

    def __post_init__(self) -> None:
        for name in ("natural_person_fields", "organisation_fields", "organisation_types"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        unknown = (set(self.natural_person_fields) | set(self.organisation_fields)) - set(PARTY_FIELDS)
        if unknown:
            # A misspelt field name would silently switch masking off.
            raise ValueError(f"unknown party fields {sorted(unknown)}; known: {list(PARTY_FIELDS)}")
        try:
            self.name_pattern.format(surname="张")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"name_pattern may only use {{surname}}: {self.name_pattern!r}") from exc

    def fields_to_mask(self, party_type: str | None) -> frozenset[str]:
        """Which party fields are masked for this party type (E2)."""
        if party_type in self.organisation_types:
            return frozenset(self.organisation_fields)
        return frozenset(self.natural_person_fields)

    def mask_field(self, field_name: str, value: str) -> str:
        """Masks one party field with this policy's settings."""
        maskers: dict[str, Callable[[str], str]] = {
            "name": partial(mask_name, pattern=self.name_pattern),
            "id_number": partial(mask_id_number, keep=self.id_keep, mask_char=self.mask_char),
            "phone": partial(
                mask_phone,
                mobile_keep=self.mobile_keep,
                landline_keep_tail=self.landline_keep_tail,
                mask_char=self.mask_char,
            ),
            "address": partial(mask_address, marker=self.address_marker),
            "bank_account": partial(mask_bank_account, keep=self.bank_keep, mask_char=self.mask_char),
            "health": partial(mask_health, marker=self.health_marker),
        }
        return maskers[field_name](value)

    def mask_party(self, fields: Mapping[str, object]) -> tuple[dict[str, object], list[AppliedRule]]:
        """Masks a party dict (name, id_number, phone, address, bank_account, health,
        party_type). Natural persons get every listed field masked; legal persons
        keep their name but not their bank account. Other keys pass unchanged."""
        masked = dict(fields)
        applied: list[AppliedRule] = []
        party_type = fields.get("party_type")
        wanted = self.fields_to_mask(party_type if isinstance(party_type, str) else None)
        for name in PARTY_FIELDS:
            value = fields.get(name)
            if name not in wanted or value is None or not str(value).strip():
                continue
            new = self.mask_field(name, str(value))
            if new != value:
                masked[name] = new
                applied.append(AppliedRule(name, name, 1))
        return masked, applied

    def text_rules(self) -> tuple[MaskRule, ...]:
        """The free-text rules with this policy's settings."""
        return build_rules(
            self.id_keep, self.bank_keep, self.mobile_keep, self.landline_keep_tail, self.mask_char
        )

    def redact_text(
        self, text: str, *, third_party_names: Iterable[str] = (), field: str = "text"
    ) -> tuple[str, list[AppliedRule]]:
        """`redact_text` with this policy's rules and name pattern."""
        return redact_text(
            text,
            third_party_names=third_party_names,
            rules=self.text_rules(),
            name_pattern=self.name_pattern,
            field=field,
        )


DEFAULT_POLICY = MaskingPolicy()


def mask_party(fields: Mapping[str, object]) -> tuple[dict[str, object], list[AppliedRule]]:
    """`MaskingPolicy.mask_party` with the default policy."""
    return DEFAULT_POLICY.mask_party(fields)

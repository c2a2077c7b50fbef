"""What a follower wants, in the terms webhooks and Atom feeds already use: a
party (by unified social credit code), or the Atom feed's saved search
(agency, region, category, query text), whose single-field cases are the
agency, region and category follows. `event_filter()` is the webhook filter of
the same interest; `feed_query()` the Atom feed showing the same records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from gateway.queries import CATEGORIES, REGION_PATTERN
from gateway.subscriptions.events import EventFilter
from gongshi.v1 import results_pb2 as pb
from services.runtime import limits

KINDS = ("party", "agency", "region", "category", "search")
# 统一社会信用代码 (GB 32100-2015): 18 characters without I, O, Z, S, V.
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CATEGORY_BY_NUMBER = {number: name for name, number in CATEGORIES.items()}


class BadInterest(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def public_text(result: pb.Result) -> str:
    """The text a search matches: the fields of services/results/search.py's
    search_text (tests/unit/gateway/test_follow_interest.py keeps them equal)."""
    parts = [
        result.document_number,
        result.party.name,
        result.violation_type,
        result.licence_item,
        result.conclusion,
        result.facts,
        *result.legal_basis,
        *result.violated_provisions,
    ]
    return "\n".join(p for p in parts if p)


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015's check character of the first 17 characters."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def is_uscc(code: str) -> bool:
    return bool(re.match(USCC_PATTERN, code)) and uscc_check_char(code[:17]) == code[17]


@dataclass(frozen=True)
class Interest:
    kind: str
    party: str = ""  # USCC, for kind party
    agency: str = ""
    region: str = ""
    category: str = ""
    q: str = ""

    @classmethod
    def parse(cls, kind: str, value: str = "", *, agency="", region="", category="", q="") -> Interest:
        """A follow as asked: `value` is the followed thing for the single-field kinds."""
        value = (value or "").strip().upper() if kind == "party" else (value or "").strip()
        if kind not in KINDS:
            raise BadInterest("kind", "must be one of " + ", ".join(KINDS))
        if kind == "party":
            if not is_uscc(value):
                raise BadInterest(
                    "value", "must be an 18-character unified social credit code (legal persons only)"
                )
            return cls("party", party=value)
        if kind != "search":
            if not value:
                raise BadInterest("value", f"names the {kind} to follow")
            single = {"agency": "", "region": "", "category": "", kind: value}
            agency, region, category, q = single["agency"], single["region"], single["category"], ""
        interest = cls(
            kind,
            agency=agency or "",
            region=region or "",
            category=category or "",
            q=" ".join((q or "").split()),
        )
        interest._validate()
        return interest

    def _validate(self) -> None:
        if self.agency and not re.match(limits.AGENCY_CODE_PATTERN, self.agency):
            raise BadInterest("agency", "is not an agency code")
        if self.region and not re.match(REGION_PATTERN, self.region):
            raise BadInterest("region", "must be a 6-digit administrative division code")
        if self.category and self.category not in CATEGORIES:
            raise BadInterest("category", "must be one of " + ", ".join(CATEGORIES))
        if len(self.q) > limits.MAX_SEARCH_QUERY_CHARS or len(self.q.split()) > limits.MAX_SEARCH_TERMS:
            raise BadInterest(
                "q", f"at most {limits.MAX_SEARCH_QUERY_CHARS} characters and {limits.MAX_SEARCH_TERMS} terms"
            )
        if self.kind == "search" and not (self.agency or self.region or self.category or self.q):
            raise BadInterest("q", "a saved search needs a query or a filter")

    def matches(self, result: pb.Result) -> bool:
        """Whether a public (masked) record is one this follower wants: what the
        Atom feed with feed_query() lists, and search finds (all terms, any case)."""
        if self.party:
            return result.party.uscc.upper() == self.party
        if self.agency and result.agency_code != self.agency:
            return False
        if self.region and result.region_code != self.region:
            return False
        if self.category and _CATEGORY_BY_NUMBER.get(result.category) != self.category:
            return False
        if self.q:
            text = public_text(result).lower()
            return all(term.lower() in text for term in self.q.split())
        return True

    def event_filter(self) -> EventFilter:
        return EventFilter("results", "", self.agency, self.region)

    def feed_query(self) -> str:
        fields = {"agency": self.agency, "region": self.region, "category": self.category, "q": self.q}
        return urlencode({k: v for k, v in fields.items() if v})

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}

    def label(self) -> str:
        """What is followed, as shown in mails and on the manage page (no personal data)."""
        if self.party:
            return self.party
        return " · ".join(v for v in (self.agency, self.region, self.category, self.q and f"“{self.q}”") if v)

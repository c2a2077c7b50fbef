"""What a pushed decision must look like (DOMAIN.md D): every problem named by
its field, and what may never be published at all."""

from __future__ import annotations

import datetime as dt
import re

from gongshi.v1 import results_pb2 as pb
from services.results.domain.deadlines import FAST_TRACK_CATEGORIES
from services.results.domain.kinds import ORGANISATION_PARTIES
from services.runtime import limits
from services.runtime.errors import InvalidArgument
from services.runtime.validation import Checker, known_value

# 18 characters (統一社會信用代碼) or an older 15-digit 註冊號; the check digit is
# not verified, so a typo is the agency's to fix, not a reason to refuse.
_USCC = re.compile(r"^(?:[0-9A-Z]{18}|\d{15})$")

_PARTY_SHORT_TEXTS = tuple(
    (name, f"decision.party.{name}")
    for name in ("uscc", "legal_representative", "id_number", "phone", "bank_account")
)
_SHORT_TEXTS = tuple(
    (name, f"decision.{name}")
    for name in (
        "duty_item_code",
        "violation_type",
        "licence_name_no",
        "licence_item",
        "approval_category",
        "licence_validity",
    )
)


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def validate_decision(decision: pb.Decision, today: dt.date) -> None:
    """Raise InvalidArgument naming every missing or malformed field."""
    c = Checker()
    d = decision
    c.text("decision.document_number", d.document_number, limits.SHORT_TEXT, required=True)
    c.enum("decision.category", pb.DecisionCategory, d.category)
    c.enum("decision.procedure_type", pb.ProcedureType, d.procedure_type, required=False)
    c.enum("decision.severity", pb.SeverityTier, d.severity, required=False)
    if not d.HasField("party"):
        c.fail("decision.party", "is required")
    else:
        p = d.party
        c.enum("decision.party.type", pb.PartyType, p.type)
        c.text("decision.party.name", p.name, limits.SHORT_TEXT, required=True)
        for name, label in _PARTY_SHORT_TEXTS:
            c.text(label, getattr(p, name), limits.SHORT_TEXT)
        c.text("decision.party.address", p.address, limits.MEDIUM_TEXT)
    c.text("decision.conclusion", d.conclusion, limits.MEDIUM_TEXT, required=True)
    c.text("decision.facts", d.facts, limits.LONG_TEXT, required=d.category == pb.DECISION_CATEGORY_PENALTY)
    c.texts("decision.legal_basis", d.legal_basis, limits.MEDIUM_TEXT, required=True, items_required=False)
    c.texts("decision.violated_provisions", d.violated_provisions, limits.MEDIUM_TEXT)
    c.texts("decision.third_party_names", d.third_party_names, limits.SHORT_TEXT)
    for name, label in _SHORT_TEXTS:
        c.text(label, getattr(d, name), limits.SHORT_TEXT)
    c.text("decision.non_publication_reason", d.non_publication_reason, limits.MEDIUM_TEXT)
    c.text("decision.health_info", d.health_info, limits.MEDIUM_TEXT)
    if len(d.penalty_kinds) > limits.MAX_LIST_ITEMS:
        c.fail(
            "decision.penalty_kinds",
            f"has {len(d.penalty_kinds)} entries; the limit is {limits.MAX_LIST_ITEMS}",
        )
    for i, kind in enumerate(d.penalty_kinds):
        if not known_value(pb.PenaltyKind, kind):
            c.enum(f"decision.penalty_kinds[{i}]", pb.PenaltyKind, kind)
    # D4 (雙公示): the penalty and licence records name their own fields.
    if d.category == pb.DECISION_CATEGORY_PENALTY:
        if not d.penalty_kinds:
            c.fail("decision.penalty_kinds", "a penalty decision needs at least one penalty kind")
        c.text("decision.violation_type", d.violation_type, limits.SHORT_TEXT, required=True)
    if d.category == pb.DECISION_CATEGORY_LICENSING:
        c.text("decision.licence_item", d.licence_item, limits.SHORT_TEXT, required=True)
        c.text("decision.approval_category", d.approval_category, limits.SHORT_TEXT, required=True)
    if d.HasField("party") and d.party.type in ORGANISATION_PARTIES:
        uscc = d.party.uscc.strip()
        if d.category in FAST_TRACK_CATEGORIES and not uscc:
            c.fail("decision.party.uscc", "is required for an organisation in a penalty or licence decision")
        elif uscc and not _USCC.match(uscc):
            c.fail(
                "decision.party.uscc",
                "must be an 18-character unified social credit code or a 15-digit registration number",
            )
    for name in ("fine_amount_fen", "confiscation_amount_fen"):
        if getattr(d, name) < 0:
            c.fail(f"decision.{name}", "must not be negative")
    decided = parse_date(d.decision_date)
    if not d.decision_date:
        c.fail("decision.decision_date", "is required")
    elif decided is None:
        c.fail("decision.decision_date", "must be a date in the form YYYY-MM-DD")
    elif decided > today:
        c.fail("decision.decision_date", f"{decided} is in the future")
    if c.violations:
        raise InvalidArgument(c.violations)


def must_not_be_published(decision: pb.Decision) -> str:
    """DOMAIN.md E1: the reason a decision stays out of every public channel, or ""."""
    if decision.party.is_minor:
        return "party is a minor (未成年人)"
    if decision.involves_secrets:
        return decision.non_publication_reason or "main facts involve secrets or personal privacy"
    if decision.endangers_security:
        return decision.non_publication_reason or "publication could endanger security or stability"
    return ""

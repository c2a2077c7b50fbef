"""Rules of an enforcement decision: what must be present, what may be
published, and by when. No gRPC, NATS or SQL here."""

from __future__ import annotations

import datetime as dt

from gongshi.v1 import results_pb2 as pb
from services.runtime import limits
from services.runtime.calendar import CalendarRangeError, WorkingDayCalendar
from services.runtime.errors import FieldViolation, InvalidArgument
from services.runtime.masking import AppliedRule, MaskingPolicy

# DOMAIN.md D1/D2: licences and penalties within 7 working days, others 20.
FAST_TRACK_CATEGORIES = {pb.DECISION_CATEGORY_LICENSING, pb.DECISION_CATEGORY_PENALTY}
FAST_TRACK_WORKING_DAYS = 7
DEFAULT_WORKING_DAYS = 20
PUBLIC_STATUSES = (pb.RESULT_STATUS_PUBLISHED, pb.RESULT_STATUS_CORRECTED)


def _known(enum, value: int) -> bool:
    return value in enum.values() and value != 0


class _Checker:
    def __init__(self) -> None:
        self.violations: list[FieldViolation] = []

    def fail(self, field: str, description: str) -> None:
        self.violations.append(FieldViolation(field, description))

    def text(self, field: str, value: str, max_len: int, *, required: bool = False) -> None:
        if required and not value.strip():
            self.fail(field, "is required")
        elif len(value) > max_len:
            self.fail(field, f"is {len(value)} characters long; the limit is {max_len}")

    def texts(self, field: str, values, max_len: int, *, required: bool = False) -> None:
        if required and not any(v.strip() for v in values):
            self.fail(field, "needs at least one entry")
        if len(values) > limits.MAX_LIST_ITEMS:
            self.fail(field, f"has {len(values)} entries; the limit is {limits.MAX_LIST_ITEMS}")
        for i, value in enumerate(values):
            self.text(f"{field}[{i}]", value, max_len)

    def enum(self, field: str, enum, value: int, *, required: bool = True) -> None:
        if value == 0 and required:
            self.fail(field, "is required")
        elif value != 0 and not _known(enum, value):
            self.fail(field, f"unknown value {value}")


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def validate_decision(decision: pb.Decision, today: dt.date) -> None:
    """Raise InvalidArgument naming every missing or malformed field."""
    c = _Checker()
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
        for name in ("uscc", "legal_representative", "id_number", "phone", "bank_account"):
            c.text(f"decision.party.{name}", getattr(p, name), limits.SHORT_TEXT)
        c.text("decision.party.address", p.address, limits.MEDIUM_TEXT)
    c.text("decision.conclusion", d.conclusion, limits.MEDIUM_TEXT, required=True)
    c.text("decision.facts", d.facts, limits.LONG_TEXT, required=d.category == pb.DECISION_CATEGORY_PENALTY)
    c.texts("decision.legal_basis", d.legal_basis, limits.MEDIUM_TEXT, required=True)
    c.texts("decision.violated_provisions", d.violated_provisions, limits.MEDIUM_TEXT)
    c.texts("decision.third_party_names", d.third_party_names, limits.SHORT_TEXT)
    for name in (
        "duty_item_code",
        "violation_type",
        "licence_name_no",
        "licence_item",
        "approval_category",
        "licence_validity",
    ):
        c.text(f"decision.{name}", getattr(d, name), limits.SHORT_TEXT)
    c.text("decision.non_publication_reason", d.non_publication_reason, limits.MEDIUM_TEXT)
    c.text("decision.health_info", d.health_info, limits.MEDIUM_TEXT)
    if len(d.penalty_kinds) > limits.MAX_LIST_ITEMS:
        c.fail(
            "decision.penalty_kinds",
            f"has {len(d.penalty_kinds)} entries; the limit is {limits.MAX_LIST_ITEMS}",
        )
    for i, kind in enumerate(d.penalty_kinds):
        c.enum(f"decision.penalty_kinds[{i}]", pb.PenaltyKind, kind)
    if d.category == pb.DECISION_CATEGORY_PENALTY and not d.penalty_kinds:
        c.fail("decision.penalty_kinds", "a penalty decision needs at least one penalty kind")
    if d.category == pb.DECISION_CATEGORY_LICENSING:
        c.text("decision.licence_item", d.licence_item, limits.SHORT_TEXT, required=True)
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


def publication_deadline(
    category: int, decided: dt.date, calendar: WorkingDayCalendar
) -> tuple[dt.date, str]:
    """The last day to publish, and a note when the holiday calendar could not be used."""
    days = FAST_TRACK_WORKING_DAYS if category in FAST_TRACK_CATEGORIES else DEFAULT_WORKING_DAYS
    try:
        return calendar.add_working_days(decided, days), ""
    except CalendarRangeError as exc:
        return _weekdays_after(decided, days), f"{exc}; counted Monday–Friday only"


def _weekdays_after(start: dt.date, days: int) -> dt.date:
    day = start
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


_MASKING_PARTY_TYPES = {
    pb.PARTY_TYPE_LEGAL_PERSON: "legal_person",
    pb.PARTY_TYPE_UNINCORPORATED: "unincorporated_organisation",
    pb.PARTY_TYPE_INDIVIDUAL_BUSINESS: "individual_business",
    pb.PARTY_TYPE_NATURAL_PERSON: "natural_person",
}


def mask_decision(decision: pb.Decision, policy: MaskingPolicy) -> tuple[pb.Decision, list[AppliedRule]]:
    """Masking on write (DOMAIN.md E2): the returned copy is all any public
    path ever sees; the applied rules are kept for the record."""
    masked = pb.Decision()
    masked.CopyFrom(decision)
    party = decision.party
    fields, applied = policy.mask_party(
        {
            "party_type": _MASKING_PARTY_TYPES.get(party.type, "natural_person"),
            "name": party.name,
            "id_number": party.id_number,
            "phone": party.phone,
            "address": party.address,
            "bank_account": party.bank_account,
            "health": decision.health_info,
        }
    )
    masked.party.name, masked.party.id_number = fields["name"], fields["id_number"]
    masked.party.phone, masked.party.address = fields["phone"], fields["address"]
    masked.party.bank_account, masked.health_info = fields["bank_account"], fields["health"]
    # The party's own name and any third party's are masked inside free text too.
    names = list(decision.third_party_names)
    if party.name and masked.party.name != party.name:
        names.append(party.name)
    for field in ("facts", "conclusion"):
        text, rules = policy.redact_text(getattr(decision, field), third_party_names=names, field=field)
        setattr(masked, field, text)
        applied.extend(rules)
    return masked, applied


def public_view(
    result_id: str,
    agency_code: str,
    region_code: str,
    decision: pb.Decision,
    *,
    published_at: str,
    published_on: dt.date,
    deadline: dt.date,
    deadline_note: str,
    status: int,
) -> pb.Result:
    """The record as the public sees it, built from an already masked decision."""
    d = decision
    party = pb.PublicParty(
        type=d.party.type,
        name=d.party.name,
        uscc=d.party.uscc,
        legal_representative=d.party.legal_representative,
        id_number=d.party.id_number,
        address=d.party.address,
        phone=d.party.phone,
        bank_account=d.party.bank_account,
    )
    return pb.Result(
        id=result_id,
        agency_code=agency_code,
        region_code=region_code,
        version=1,
        status=status,
        document_number=d.document_number,
        category=d.category,
        procedure_type=d.procedure_type,
        duty_item_code=d.duty_item_code,
        party=party,
        facts=d.facts,
        violation_type=d.violation_type,
        violated_provisions=d.violated_provisions,
        legal_basis=d.legal_basis,
        conclusion=d.conclusion,
        penalty_kinds=d.penalty_kinds,
        fine_amount_fen=d.fine_amount_fen,
        confiscation_amount_fen=d.confiscation_amount_fen,
        licence_name_no=d.licence_name_no,
        licence_item=d.licence_item,
        approval_category=d.approval_category,
        licence_validity=d.licence_validity,
        decision_date=d.decision_date,
        severity=d.severity,
        summary_only=d.summary_only,
        published_at=published_at,
        publish_deadline=deadline.isoformat(),
        published_on_time=published_on <= deadline,
        deadline_note=deadline_note,
        updated_at=published_at,
    )

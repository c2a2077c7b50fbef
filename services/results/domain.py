"""Rules of an enforcement decision: what must be present, what may be
published, and by when. No gRPC, NATS or SQL here."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import re
from functools import cache, lru_cache

from gongshi.v1 import results_pb2 as pb
from services.results.names import names_by_field
from services.results.policy import GENERAL, MINOR, SERIOUS, PublicationPolicy
from services.runtime import holidays, limits
from services.runtime.calendar import Deadline, WorkingDayCalendar
from services.runtime.clock import CHINA_TZ
from services.runtime.errors import FieldViolation, InvalidArgument
from services.runtime.masking import AppliedRule, MaskingPolicy, MaskRule, redact_text
from services.runtime.person_names import person_names

# DOMAIN.md D1/D2: licences and penalties within 7 working days, others 20.
FAST_TRACK_CATEGORIES = {pb.DECISION_CATEGORY_LICENSING, pb.DECISION_CATEGORY_PENALTY}
FAST_TRACK_WORKING_DAYS = 7
DEFAULT_WORKING_DAYS = 20
PUBLIC_STATUSES = (pb.RESULT_STATUS_PUBLISHED, pb.RESULT_STATUS_CORRECTED)
# Statuses whose record has left public view for good; reads get a tombstone.
ENDED_STATUSES = (pb.RESULT_STATUS_WITHDRAWN, pb.RESULT_STATUS_EXPIRED, pb.RESULT_STATUS_REPAIRED)
# Organisations are identified by their 統一社會信用代碼 (D4: 行政相對人代碼).
ORGANISATION_PARTIES = frozenset(
    {pb.PARTY_TYPE_LEGAL_PERSON, pb.PARTY_TYPE_UNINCORPORATED, pb.PARTY_TYPE_INDIVIDUAL_BUSINESS}
)
# 18 characters (統一社會信用代碼) or an older 15-digit 註冊號; the check digit is
# not verified, so a typo is the agency's to fix, not a reason to refuse.
_USCC = re.compile(r"^(?:[0-9A-Z]{18}|\d{15})$")

_KNOWN_VALUES: dict[str, frozenset[int]] = {}


def _known(enum, value: int) -> bool:
    # Enum wrappers build a fresh list on every values() call; this runs per field per item.
    known = _KNOWN_VALUES.get(enum.DESCRIPTOR.full_name)
    if known is None:
        known = _KNOWN_VALUES[enum.DESCRIPTOR.full_name] = frozenset(v for v in enum.values() if v)
    return value in known


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
            if len(value) > max_len:  # the label is built only for a failure: this runs per item in bulk
                self.text(f"{field}[{i}]", value, max_len)

    def enum(self, field: str, enum, value: int, *, required: bool = True) -> None:
        if value == 0 and required:
            self.fail(field, "is required")
        elif value != 0 and not _known(enum, value):
            self.fail(field, f"unknown value {value}")


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
        for name, label in _PARTY_SHORT_TEXTS:
            c.text(label, getattr(p, name), limits.SHORT_TEXT)
        c.text("decision.party.address", p.address, limits.MEDIUM_TEXT)
    c.text("decision.conclusion", d.conclusion, limits.MEDIUM_TEXT, required=True)
    c.text("decision.facts", d.facts, limits.LONG_TEXT, required=d.category == pb.DECISION_CATEGORY_PENALTY)
    c.texts("decision.legal_basis", d.legal_basis, limits.MEDIUM_TEXT, required=True)
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
        if not _known(pb.PenaltyKind, kind):
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


def publication_deadline(category: int, decided: dt.date, calendar: WorkingDayCalendar) -> Deadline:
    """The last day to publish (D1/D2); provisional when it crosses a year
    without holiday data (see services.runtime.calendar)."""
    days = FAST_TRACK_WORKING_DAYS if category in FAST_TRACK_CATEGORIES else DEFAULT_WORKING_DAYS
    return _deadline(calendar, decided, days, holidays.generation())


@lru_cache(maxsize=4096)
def _deadline(calendar: WorkingDayCalendar, decided: dt.date, days: int, generation: int) -> Deadline:
    # Bulk pushes carry a few hundred distinct dates at most; counting days is not
    # free. `generation` keys the cache to the holiday data in force.
    return calendar.deadline(decided, days)


def set_withdrawal_deadline(result: pb.Result, deadline: Deadline) -> None:
    """Stamp a withdrawn record's deadline (F2) and whether it was met."""
    result.withdrawal_deadline = deadline.day.isoformat()
    result.withdrawal_deadline_provisional = deadline.provisional
    withdrawn_on = dt.datetime.fromisoformat(result.withdrawn_at).astimezone(CHINA_TZ).date()
    result.withdrawn_on_time = withdrawn_on <= deadline.day


def set_deadline(result: pb.Result, deadline: Deadline) -> None:
    """Stamp the publication deadline and whether it is provisional on a record."""
    result.publish_deadline = deadline.day.isoformat()
    result.deadline_note = deadline.note
    result.deadline_provisional = deadline.provisional


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
    if masked.party.id_number and masked.party.id_number == party.id_number:
        # An ID number is always a natural person's, whoever the party is
        # (e.g. a business owner's on an organisation's record).
        masked.party.id_number = policy.mask_field("id_number", party.id_number)
        applied.append(AppliedRule("id_number", "id_number", 1))
    # The party's own name, the listed third parties and the persons found in
    # the text are masked inside free text too (services/results/names.py).
    found = names_by_field(decision, masked.party, FREE_TEXT_FIELDS, policy.find_names)
    for field in FREE_TEXT_FIELDS:
        text, rules = redact(policy, getattr(decision, field), [name for name, _ in found[field]], field)
        setattr(masked, field, text)
        applied.extend(rules)
    return masked, applied


def mask_added_text(decision: pb.Decision, policy: MaskingPolicy, text: str, field: str) -> str:
    """Masking on write of text added to a record (a reply): the names the
    record already masks stay masked, and whoever else the text names (E2)."""
    names = list(decision.third_party_names)
    if decision.party.type != pb.PARTY_TYPE_LEGAL_PERSON and decision.party.name:
        names.append(decision.party.name)
    if policy.find_names:
        names.extend(person_names(text))
    return redact(policy, text, names, field)[0]


# Public free text an agency writes: any ID number, account, phone or known
# name in it is masked. Codes and numbers with their own format (document and
# licence numbers, credit codes) are not scanned: their digit runs are no
# personal data and would be mangled.
FREE_TEXT_FIELDS = ("facts", "conclusion", "violation_type")


@cache
def _text_rules(policy: MaskingPolicy) -> tuple[MaskRule, ...]:
    # MaskingPolicy.redact_text rebuilds its rules on every call; a bulk ingest
    # masks two texts per decision, so build them once per policy.
    return policy.text_rules()


def redact(
    policy: MaskingPolicy, text: str, names: list[str] | tuple[str, ...] = (), field: str = "text"
) -> tuple[str, list[AppliedRule]]:
    """`policy.redact_text` with the policy's rules built once."""
    if not text:
        return text, []
    return redact_text(
        text,
        third_party_names=names,
        rules=_text_rules(policy),
        name_pattern=policy.name_pattern,
        field=field,
    )


def public_view(
    result_id: str,
    agency_code: str,
    region_code: str,
    decision: pb.Decision,
    *,
    status: int,
    deadline: Deadline,
    version: int = 1,
) -> pb.Result:
    """The record as the public sees it, built from an already masked decision.
    Publication dates are set by `mark_published`."""
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
        version=version,
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
        publish_deadline=deadline.day.isoformat(),
        deadline_note=deadline.note,
        deadline_provisional=deadline.provisional,
    )


# ---------------------------------------------------------------- what may be published


def non_publication(
    decision: pb.Decision, policy: PublicationPolicy, today: dt.date | None = None
) -> tuple[str, str]:
    """(kind, reason) when a decision must stay out of every public channel,
    ("", "") when it is published. E1 never yields; D5/G4 follow the policy.
    With `today`, a decision whose publicity period is already over when it
    is pushed is stored, not published (G7: nothing to show once it ended)."""
    d = decision
    if d.party.is_minor:
        return "minor", "party is a minor (未成年人, DOMAIN.md E1)"
    if d.involves_secrets:
        return "secrets", d.non_publication_reason or "main facts involve secrets or personal privacy"
    if d.endangers_security:
        return "security", d.non_publication_reason or "publication could endanger security or stability"
    if d.category == pb.DECISION_CATEGORY_PENALTY:
        if is_warning_only(d, policy) and not policy.publish_warning_only:
            return "warning_only", "a warning-only penalty is not published (仅警告, DOMAIN.md D5)"
        if d.procedure_type == pb.PROCEDURE_TYPE_SIMPLIFIED and not policy.publish_simplified_procedure:
            return "simplified_procedure", "a simplified-procedure penalty is not published (简易程序, G4)"
    if today is not None:
        ended = period_over(d, policy, today)
        if ended is not None:
            return "period_over", (
                f"its publicity period ended on {ended.isoformat()}, before it was pushed "
                "(公示期已满, DOMAIN.md G4/G7): stored and counted, not published"
            )
    return "", ""


def period_over(decision: pb.Decision, policy: PublicationPolicy, today: dt.date) -> dt.date | None:
    """The end of a decision's publicity period if it is already over on
    `today` (the record would expire the moment it was published), else None.
    Only a period counted from the decision date can be over before publication."""
    if policy.period_from != "decision_date":
        return None
    decided = parse_date(decision.decision_date)
    if decided is None:
        return None
    tier = severity_of(decision, policy)
    end, _ = publicity_span(decision, tier, decided, policy)
    return end if end is not None and end <= today else None


def is_warning_only(decision: pb.Decision, policy: PublicationPolicy) -> bool:
    kinds = set(decision.penalty_kinds)
    return bool(kinds) and kinds <= policy.warning_kinds


def severity_of(decision: pb.Decision, policy: PublicationPolicy) -> int:
    """The severity tier (G4): as the agency stated it, else derived from the
    penalty: serious kinds, minor for warnings and simplified procedure, else general."""
    if decision.severity:
        return decision.severity
    if decision.category != pb.DECISION_CATEGORY_PENALTY:
        return pb.SEVERITY_TIER_UNSPECIFIED
    if set(decision.penalty_kinds) & policy.serious_kinds:
        return SERIOUS
    if decision.procedure_type == pb.PROCEDURE_TYPE_SIMPLIFIED or is_warning_only(decision, policy):
        return MINOR
    return GENERAL


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later, or the month's last day when it has no such day
    (a year from 2028-02-29 is 2029-02-28)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return dt.date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def publicity_span(
    decision: pb.Decision, tier: int, start: dt.date, policy: PublicationPolicy
) -> tuple[dt.date | None, dt.date | None]:
    """(publicity end, first day credit repair may be applied for) of a record
    whose period starts on `start`. On the end date the record stops being public (G7).
    Credit repair applies to penalties only; other decisions expire when the
    policy gives them a period, else stay public."""
    if decision.category != pb.DECISION_CATEGORY_PENALTY:
        months = policy.other_categories_months
        return (add_months(start, months) if months else None), None
    period = policy.periods[tier or GENERAL]
    longest = period.max_months
    if decision.party.type == pb.PARTY_TYPE_NATURAL_PERSON and policy.natural_person_max_months:
        longest = max(period.min_months, policy.natural_person_max_months)
    return add_months(start, longest), add_months(start, period.min_months)


def publicity_start(decision: pb.Decision, published_on: dt.date, policy: PublicationPolicy) -> dt.date:
    """The first day of the publicity period: the decision date (NDRC counts
    the period from the decision) or, by a region's choice, the publication date.
    A decision published after its period would have ended expires at once."""
    if policy.period_from == "decision_date":
        return parse_date(decision.decision_date) or published_on
    return published_on


def publish_record(
    result: pb.Result,
    *,
    published_at: str,
    published_on: dt.date,
    tier: int,
    span: tuple[dt.date | None, dt.date | None],
    start: dt.date | None = None,
) -> None:
    """Stamp a record as published: dates, on-time flag, period (from `start`,
    by default the publication day)."""
    end, eligible = span
    result.status = pb.RESULT_STATUS_PUBLISHED
    result.published_at = result.updated_at = published_at
    result.published_on_time = published_on <= dt.date.fromisoformat(result.publish_deadline)
    result.severity = tier
    result.publicity_start = (start or published_on).isoformat()
    result.publicity_end = end.isoformat() if end else ""
    result.repair_eligible_from = eligible.isoformat() if eligible else ""


def repair_refusal(result: pb.Result, today: dt.date) -> str:
    """Why credit repair cannot be applied for today, or "" when it can (G5)."""
    if result.status not in PUBLIC_STATUSES:
        return "only a record that is still published can be repaired"
    if not result.repair_eligible_from:
        return "credit repair applies to published penalty decisions only"
    eligible = dt.date.fromisoformat(result.repair_eligible_from)
    if today < eligible:
        return (
            f"the minimum publicity period has not passed: an application is possible from "
            f"{eligible.isoformat()}"
        )
    return ""


def withdrawal_code(reason: int) -> str:
    """WITHDRAWAL_REASON_CONFIRMED_ILLEGAL -> "confirmed_illegal" (the public name)."""
    return pb.WithdrawalReason.Name(reason).removeprefix("WITHDRAWAL_REASON_").lower()


# ---------------------------------------------------------------- what an ended record still shows


def tombstone(result: pb.Result) -> pb.Result:
    """What stays visible of a record taken out of publication: which decision
    it was, and why and when it went (withdrawal), or only that publication
    ended (expiry and credit repair, whose purpose is that the record is no
    longer shown). Never the party, facts or conclusion."""
    if result.status == pb.RESULT_STATUS_WITHDRAWN:
        return pb.Result(
            id=result.id,
            agency_code=result.agency_code,
            region_code=result.region_code,
            version=result.version,
            status=result.status,
            document_number=result.document_number,
            category=result.category,
            decision_date=result.decision_date,
            published_at=result.published_at,
            updated_at=result.updated_at,
            withdrawn_at=result.withdrawn_at,
            withdrawal_reason=result.withdrawal_reason,
            withdrawal_statement=result.withdrawal_statement,
            withdrawal_deadline=result.withdrawal_deadline,
            withdrawn_on_time=result.withdrawn_on_time,
            withdrawal_grounds_date=result.withdrawal_grounds_date,
            withdrawal_deadline_provisional=result.withdrawal_deadline_provisional,
            record_hash=result.record_hash,
            chain_seq=result.chain_seq,
        )
    return pb.Result(
        id=result.id,
        agency_code=result.agency_code,
        status=result.status,
        publication_ended_at=result.publication_ended_at,
        updated_at=result.updated_at,
        record_hash=result.record_hash,
        chain_seq=result.chain_seq,
    )

"""What may be published and for how long (DOMAIN.md G): reasons to withhold,
severity tiers, publicity periods and their start, credit repair
eligibility, withdrawal reason codes."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from gongshi.v1 import results_pb2 as pb
from services.results.domain.kinds import PUBLIC_STATUSES
from services.results.domain.validation import parse_date
from services.results.policy import GENERAL, MINOR, SERIOUS, PublicationPolicy


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

"""The workflow of a feedback case and its clocks (DOMAIN.md J, F3): the time
limits, which statuses are open, and every transition of a Case, each
recorded as a public history Change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gongshi.v1 import feedback_pb2 as pb
from services.feedback.domain.labels import outcome_label, status_name, target_state_name
from services.runtime import limits
from services.runtime.calendar import WorkingDayCalendar
from services.runtime.clock import CHINA_TZ
from services.runtime.errors import FailedPrecondition, FieldViolation, InvalidArgument, invalid

# J2: decide acceptance within 5 working days. J3: conclude within 30 days of
# acceptance, one extension of at most 20 days with a recorded approval.
# F3: an objection to published information is decided within 5 working days.
ACCEPTANCE_WORKING_DAYS = 5
CONCLUSION_DAYS = 30
MAX_EXTENSION_DAYS = 20
OBJECTION_WORKING_DAYS = 5
MAX_REOPENS = 1
RATING_MIN, RATING_MAX = 1, 5

S = pb.FeedbackStatus
OPEN_STATUSES = (
    S.FEEDBACK_STATUS_RECEIVED,
    S.FEEDBACK_STATUS_ACCEPTED,
    S.FEEDBACK_STATUS_REPLIED,
    S.FEEDBACK_STATUS_REOPENED,
)
# Statuses in which the conclusion clock runs (an answer is owed).
CONCLUSION_CLOCK_STATUSES = (
    S.FEEDBACK_STATUS_ACCEPTED,
    S.FEEDBACK_STATUS_REPLIED,
    S.FEEDBACK_STATUS_REOPENED,
)
RECORD_TARGETS_NEEDING_AGENCY = (
    pb.FEEDBACK_TARGET_TYPE_DUTY_ITEM,
    pb.FEEDBACK_TARGET_TYPE_PROCEDURE,
    pb.FEEDBACK_TARGET_TYPE_SUPERVISION_CHANNEL,
)
TARGETS_NOT_OPEN_TO_NEW_OBJECTIONS = (
    pb.TARGET_STATE_WITHDRAWN,
    pb.TARGET_STATE_EXPIRED,
    pb.TARGET_STATE_REPAIRED,
)


def china_date(instant: dt.datetime) -> dt.date:
    return instant.astimezone(CHINA_TZ).date()


def add_working_days(calendar: WorkingDayCalendar, start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (start itself never counts). Past the
    years with holiday data it is provisional (Monday to Friday): refusing a
    complaint for want of next year's holiday list would be worse."""
    return calendar.deadline(start, n).day


def add_calendar_days(calendar: WorkingDayCalendar, start: dt.date, n: int) -> dt.date:
    """n natural days (J3); a deadline on a rest day moves to the next working day."""
    return calendar.calendar_deadline(start, n).day


@dataclass
class Case:
    """The workflow state of one feedback case."""

    id: str
    agency_code: str
    category: int
    status: int
    is_objection: bool
    received_at: dt.datetime
    acceptance_due: dt.date
    conclusion_due: dt.date | None = None
    accepted_at: dt.datetime | None = None
    rejected_at: dt.datetime | None = None
    rejection_reason: str = ""
    extension_days: int = 0
    extension_reason: str = ""
    extension_approval_ref: str = ""
    extension_approver: str = ""
    first_reply_at: dt.datetime | None = None
    replied_on_time: bool | None = None
    closed_at: dt.datetime | None = None
    reopen_count: int = 0
    reopened_at: dt.datetime | None = None
    rating: int = 0
    rating_comment: str = ""
    acceptance_overdue_at: dt.datetime | None = None
    conclusion_overdue_at: dt.datetime | None = None
    objection_outcome: int = 0
    target_state: int = pb.TARGET_STATE_CURRENT
    transfers: int = 0
    # What the last transition recorded for the public history.
    changes: list[Change] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def _record(self, event: str, note: str = "") -> None:
        self.changes.append(Change(event, self.status, self.agency_code, note))

    # -- agency ------------------------------------------------------------

    def accept(self, now: dt.datetime, calendar: WorkingDayCalendar, note: str = "") -> bool:
        """Returns False when the case was already accepted (a retried call)."""
        if self.status == S.FEEDBACK_STATUS_ACCEPTED:
            return False
        self._require(S.FEEDBACK_STATUS_RECEIVED, action="accepted")
        self.status, self.accepted_at = S.FEEDBACK_STATUS_ACCEPTED, now
        if not self.is_objection:  # an objection's 5-working-day clock runs from receipt
            self.conclusion_due = add_calendar_days(calendar, china_date(now), CONCLUSION_DAYS)
        self._record("accepted", note)
        return True

    def reject(self, reason: str, now: dt.datetime) -> bool:
        reason = _reason(reason, "reason", "a rejection needs a reason (J2)")
        if self.status == S.FEEDBACK_STATUS_REJECTED and reason == self.rejection_reason:
            return False
        self._require(S.FEEDBACK_STATUS_RECEIVED, action="rejected")
        self.status, self.rejected_at, self.rejection_reason = S.FEEDBACK_STATUS_REJECTED, now, reason
        self._record("rejected", reason)
        return True

    def transfer(self, to_agency: str, reason: str, now: dt.datetime, calendar: WorkingDayCalendar) -> str:
        """Hand the case to the responsible agency; its acceptance clock starts afresh."""
        reason = _reason(reason, "reason", "a transfer needs a reason (J2)")
        if not to_agency:
            raise invalid("to_agency_code", "is required")
        if to_agency == self.agency_code:
            raise invalid("to_agency_code", "is the agency already handling the case")
        if self.is_objection:
            raise FailedPrecondition("an objection is decided by the agency that published the result")
        self._require(S.FEEDBACK_STATUS_RECEIVED, action="transferred")
        if self.transfers >= limits.FEEDBACK_MAX_TRANSFERS:
            raise FailedPrecondition(
                f"the case was transferred {self.transfers} times already; accept or reject it"
            )
        previous = self.agency_code
        self.agency_code = to_agency
        self.transfers += 1
        self.acceptance_due = add_working_days(calendar, china_date(now), ACCEPTANCE_WORKING_DAYS)
        self.acceptance_overdue_at = None
        # Recorded under the agency that handed it on: transfers out are counted per agency.
        self.changes.append(Change("transferred", self.status, previous, f"转办 → {to_agency}：{reason}"))
        return previous

    def reply(self, now: dt.datetime) -> None:
        if self.is_objection:
            raise FailedPrecondition(
                "an objection is answered with DecideObjection (correct, withdraw or keep)"
            )
        if self.status == S.FEEDBACK_STATUS_RECEIVED:
            raise FailedPrecondition("accept the feedback before replying to it")
        if self.status not in CONCLUSION_CLOCK_STATUSES:
            raise FailedPrecondition(f"a {status_name(self.status)} case takes no more replies")
        self._first_reply(now)
        self.status = S.FEEDBACK_STATUS_REPLIED
        self._record("replied")

    def _first_reply(self, now: dt.datetime) -> None:
        if self.first_reply_at is None:
            self.first_reply_at = now
            self.replied_on_time = self.conclusion_due is None or china_date(now) <= self.conclusion_due

    def extend(
        self,
        days: int,
        reason: str,
        approval_ref: str,
        approver: str,
        now: dt.datetime,
        calendar: WorkingDayCalendar,
    ) -> None:
        """J3: one extension of at most 20 days, only with a recorded approval."""
        violations = []
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            violations.append(FieldViolation("days", f"must be between 1 and {MAX_EXTENSION_DAYS}"))
        for name, value in (("reason", reason), ("approval_ref", approval_ref), ("approver", approver)):
            if not value.strip():
                violations.append(FieldViolation(name, "is required: an extension needs a recorded approval"))
            elif len(value) > (limits.MEDIUM_TEXT if name == "reason" else limits.SHORT_TEXT):
                violations.append(FieldViolation(name, "is too long"))
        if violations:
            raise InvalidArgument(violations)
        if self.is_objection:
            raise FailedPrecondition(
                "an objection must be decided within 5 working days; it cannot be extended"
            )
        if self.extension_days:
            raise FailedPrecondition(
                f"the deadline was already extended once (by {self.extension_days} days)"
            )
        if self.status not in CONCLUSION_CLOCK_STATUSES or self.conclusion_due is None:
            raise FailedPrecondition(
                f"a {status_name(self.status)} case has no conclusion deadline to extend"
            )
        if china_date(now) > self.conclusion_due:
            raise FailedPrecondition(
                f"the deadline {self.conclusion_due} has passed; it can no longer be extended"
            )
        self.extension_days = days
        self.extension_reason, self.extension_approval_ref, self.extension_approver = (
            reason.strip(),
            approval_ref.strip(),
            approver.strip(),
        )
        self.conclusion_due = add_calendar_days(calendar, self.conclusion_due, days)
        self._record("extended", reason.strip())

    def close(self, now: dt.datetime, note: str = "") -> bool:
        if self.status == S.FEEDBACK_STATUS_CLOSED:
            return False
        if self.status != S.FEEDBACK_STATUS_REPLIED:
            raise FailedPrecondition(
                "reply to the feedback before closing it: the citizen is told the result"
            )
        self.status, self.closed_at = S.FEEDBACK_STATUS_CLOSED, now
        self._record("closed", note)
        return True

    def decide_objection(
        self, outcome: int, reason: str, corrected: tuple[str, str], now: dt.datetime
    ) -> None:
        if not self.is_objection:
            raise FailedPrecondition("this feedback is not an objection")
        reason = _reason(reason, "reason", "the decision needs a public reason (F2)")
        if outcome not in (
            pb.OBJECTION_OUTCOME_CORRECT,
            pb.OBJECTION_OUTCOME_WITHDRAW,
            pb.OBJECTION_OUTCOME_KEEP,
        ):
            raise invalid("outcome", "must be correct, withdraw or keep")
        if outcome == pb.OBJECTION_OUTCOME_CORRECT and not any(t.strip() for t in corrected):
            raise invalid("corrected_facts", "a correction needs the corrected facts or conclusion")
        for name, value in zip(("corrected_facts", "corrected_conclusion"), corrected, strict=True):
            if len(value) > limits.LONG_TEXT:
                raise invalid(name, f"is {len(value)} characters long; the limit is {limits.LONG_TEXT}")
        if self.status not in (
            S.FEEDBACK_STATUS_RECEIVED,
            S.FEEDBACK_STATUS_ACCEPTED,
            S.FEEDBACK_STATUS_REOPENED,
        ):
            raise FailedPrecondition(f"a {status_name(self.status)} objection cannot be decided")
        if outcome != pb.OBJECTION_OUTCOME_KEEP and self.target_state in TARGETS_NOT_OPEN_TO_NEW_OBJECTIONS:
            raise FailedPrecondition(
                f"the result is {target_state_name(self.target_state)}; only keep is possible now"
            )
        if self.accepted_at is None:
            self.accepted_at = now
        self._first_reply(now)
        self.objection_outcome = outcome
        self.status, self.closed_at = S.FEEDBACK_STATUS_CLOSED, now
        self._record("objection_decided", f"{outcome_label(outcome)}: {reason}")

    # -- citizen -----------------------------------------------------------

    def can_add_information(self) -> bool:
        return self.is_open

    def require_open_for_information(self) -> None:
        if not self.is_open:
            raise FailedPrecondition(f"the case is {status_name(self.status)}; it takes no more information")

    def can_rate(self) -> bool:
        return self.first_reply_at is not None and self.status in (
            S.FEEDBACK_STATUS_REPLIED,
            S.FEEDBACK_STATUS_CLOSED,
        )

    def rate(self, rating: int, comment: str) -> None:
        if not RATING_MIN <= rating <= RATING_MAX:
            raise invalid("rating", f"must be between {RATING_MIN} and {RATING_MAX}")
        if len(comment) > limits.MEDIUM_TEXT:
            raise invalid("comment", f"is {len(comment)} characters long; the limit is {limits.MEDIUM_TEXT}")
        if not self.can_rate():
            raise FailedPrecondition("there is no answer to rate yet")
        self.rating, self.rating_comment = rating, comment.strip()

    def can_reopen(self) -> bool:
        return self.reopen_count < MAX_REOPENS and self.status in (
            S.FEEDBACK_STATUS_REPLIED,
            S.FEEDBACK_STATUS_CLOSED,
        )

    def reopen(self, reason: str, now: dt.datetime, calendar: WorkingDayCalendar) -> None:
        """Once, when the citizen is not satisfied with the answer: the answer is owed again."""
        reason = _reason(reason, "reason", "say why the answer does not satisfy you")
        if self.reopen_count >= MAX_REOPENS:
            raise FailedPrecondition("a case can be reopened only once")
        if not self.can_reopen():
            raise FailedPrecondition(f"a {status_name(self.status)} case cannot be reopened")
        self.reopen_count += 1
        self.status, self.reopened_at, self.closed_at = S.FEEDBACK_STATUS_REOPENED, now, None
        today = china_date(now)
        if self.is_objection:
            self.conclusion_due = add_working_days(calendar, today, OBJECTION_WORKING_DAYS)
            self.objection_outcome = 0
        else:
            self.conclusion_due = add_calendar_days(calendar, today, CONCLUSION_DAYS)
        self.conclusion_overdue_at = None
        self._record("reopened", reason)

    # -- clocks ------------------------------------------------------------

    def acceptance_overdue(self, today: dt.date) -> bool:
        """Due on the 5th working day: overdue from the day after (the 6th working day)."""
        return (
            not self.is_objection
            and self.status == S.FEEDBACK_STATUS_RECEIVED
            and self.acceptance_overdue_at is None
            and today > self.acceptance_due
        )

    def conclusion_overdue(self, today: dt.date) -> bool:
        running = self.status in CONCLUSION_CLOCK_STATUSES or (
            self.is_objection and self.status == S.FEEDBACK_STATUS_RECEIVED
        )
        return (
            running
            and self.conclusion_due is not None
            and self.conclusion_overdue_at is None
            and today > self.conclusion_due
        )

    def _require(self, status: int, *, action: str) -> None:
        if self.status != status:
            raise FailedPrecondition(
                f"only a {status_name(status)} case can be {action}; this one is {status_name(self.status)}"
            )


@dataclass(frozen=True)
class Change:
    """One public history entry made by a transition."""

    event: str
    status: int
    agency_code: str
    note: str


def new_case(
    case_id: str,
    agency_code: str,
    category: int,
    is_objection: bool,
    target_state: int,
    now: dt.datetime,
    calendar: WorkingDayCalendar,
) -> Case:
    today = china_date(now)
    case = Case(
        id=case_id,
        agency_code=agency_code,
        category=category,
        status=S.FEEDBACK_STATUS_RECEIVED,
        is_objection=is_objection,
        received_at=now,
        acceptance_due=add_working_days(calendar, today, ACCEPTANCE_WORKING_DAYS),
        target_state=target_state,
    )
    if is_objection:
        case.conclusion_due = add_working_days(calendar, today, OBJECTION_WORKING_DAYS)
    case._record("received")
    return case


def _reason(value: str, name: str, message: str) -> str:
    if not value.strip():
        raise invalid(name, message)
    if len(value) > limits.MEDIUM_TEXT:
        raise invalid(name, f"is {len(value)} characters long; the limit is {limits.MEDIUM_TEXT}")
    return value.strip()

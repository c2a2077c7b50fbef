"""Rules of citizen feedback: what a submission must look like, the workflow
of a case and its clocks (DOMAIN.md J, F3, (c) items 8 and 10). No gRPC, NATS
or SQL here: handlers load a Case, call these rules, and save what changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gongshi.v1 import feedback_pb2 as pb
from services.runtime import limits
from services.runtime.calendar import WorkingDayCalendar
from services.runtime.clock import CHINA_TZ
from services.runtime.errors import FailedPrecondition, FieldViolation, InvalidArgument, invalid
from services.runtime.masking import DEFAULT_POLICY, MaskingPolicy, mask_id_number, mask_name
from services.runtime.person_names import person_names

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

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U to misread


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


# ---------------------------------------------------------------- submissions


def _known(enum, value: int) -> bool:
    return value != 0 and value in enum.values()


class _Checker:
    def __init__(self) -> None:
        self.violations: list[FieldViolation] = []

    def fail(self, name: str, description: str) -> None:
        self.violations.append(FieldViolation(name, description))

    def text(self, name: str, value: str, max_len: int, *, required: bool = False) -> None:
        if required and not value.strip():
            self.fail(name, "is required")
        elif len(value) > max_len:
            self.fail(name, f"is {len(value)} characters long; the limit is {max_len}")

    def raise_if_any(self) -> None:
        if self.violations:
            raise InvalidArgument(self.violations)


def sniff_content_type(data: bytes) -> str | None:
    """The file type by its magic bytes: declared types and names are not trusted."""
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    return None


def clean_filename(name: str) -> str:
    """Only the base name, without control characters, within the short-text limit."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[: limits.SHORT_TEXT] or "attachment"


def check_attachments(c: _Checker, attachments: Sequence[pb.AttachmentUpload], prefix: str) -> None:
    if len(attachments) > limits.FEEDBACK_MAX_ATTACHMENTS:
        c.fail(prefix, f"has {len(attachments)} files; the limit is {limits.FEEDBACK_MAX_ATTACHMENTS}")
        return
    total = 0
    for i, upload in enumerate(attachments):
        size = len(upload.data)
        total += size
        name = f"{prefix}[{i}]"
        if size == 0:
            c.fail(name, "is empty")
        elif size > limits.FEEDBACK_MAX_ATTACHMENT_BYTES:
            c.fail(
                name, f"is {size} bytes; the limit is {limits.FEEDBACK_MAX_ATTACHMENT_BYTES} bytes per file"
            )
        elif sniff_content_type(upload.data) is None:
            c.fail(name, "is not a PNG, JPEG or PDF file (checked by content, not by name)")
        c.text(f"{name}.filename", upload.filename, limits.SHORT_TEXT)
    if total > limits.FEEDBACK_MAX_ATTACHMENTS_TOTAL_BYTES:
        c.fail(
            prefix, f"total {total} bytes; the limit is {limits.FEEDBACK_MAX_ATTACHMENTS_TOTAL_BYTES} bytes"
        )


def validate_submission(request: pb.SubmitFeedbackRequest) -> None:
    """Raise InvalidArgument naming every missing, malformed or oversized field."""
    c = _Checker()
    target = request.target
    if not _known(pb.FeedbackTargetType, target.type):
        c.fail(
            "target.type",
            "is required: agency, duty_item, procedure, supervision_channel, result or platform",
        )
    platform = target.type == pb.FEEDBACK_TARGET_TYPE_PLATFORM
    c.text("target.id", target.id, limits.SHORT_TEXT, required=not platform)
    if platform and target.agency_code:
        c.fail("target.agency_code", "a general complaint to the platform names no agency")
    if target.type in RECORD_TARGETS_NEEDING_AGENCY and not target.agency_code:
        c.fail("target.agency_code", "is required for a duty item, procedure or supervision channel")
    if target.agency_code and not re.match(limits.AGENCY_CODE_PATTERN, target.agency_code):
        c.fail("target.agency_code", "is not an agency code")
    if not _known(pb.FeedbackCategory, request.category):
        c.fail("category", "is required: suggestion, complaint, report, information_wrong or question")
    c.text("text", request.text, limits.FEEDBACK_TEXT, required=True)
    check_attachments(c, request.attachments, "attachments")
    contact = request.contact
    for name in ("name", "phone", "email"):
        c.text(f"contact.{name}", getattr(contact, name), limits.SHORT_TEXT)
    c.text("contact.address", contact.address, limits.MEDIUM_TEXT)
    if contact.email and not _EMAIL.fullmatch(contact.email.strip()):
        c.fail("contact.email", "is not an e-mail address")
    c.text("display_name", request.display_name, limits.SHORT_TEXT)
    if request.show_display_name and not request.display_name.strip():
        c.fail("display_name", "is required when show_display_name is on")
    if request.HasField("objection"):
        if request.category != pb.FEEDBACK_CATEGORY_INFORMATION_WRONG:
            c.fail("category", "an objection must have the category information_wrong")
        if target.type != pb.FEEDBACK_TARGET_TYPE_RESULT:
            c.fail("target.type", "an objection must be about a published result")
        c.text("objection.party_name", request.objection.party_name, limits.SHORT_TEXT, required=True)
        c.text("objection.party_identifier", request.objection.party_identifier, limits.SHORT_TEXT)
    check_location(c, request.location)
    c.raise_if_any()


def check_location(c: _Checker, location: pb.Location) -> None:
    """WGS84 degrees, both or neither (Open311 sends lat and long together)."""
    has_lat, has_long = location.HasField("latitude"), location.HasField("longitude")
    if has_lat != has_long:
        c.fail(
            "location.latitude" if has_long else "location.longitude", "latitude and longitude go together"
        )
    if has_lat and not -90 <= location.latitude <= 90:
        c.fail("location.latitude", "must be between -90 and 90 degrees")
    if has_long and not -180 <= location.longitude <= 180:
        c.fail("location.longitude", "must be between -180 and 180 degrees")
    c.text("location.address", location.address, limits.MEDIUM_TEXT)


def validate_addition(text: str, attachments: Sequence[pb.AttachmentUpload]) -> None:
    c = _Checker()
    c.text("text", text, limits.FEEDBACK_TEXT, required=not attachments)
    check_attachments(c, attachments, "attachments")
    c.raise_if_any()


def normalise_text(text: str) -> str:
    """What counts as "the same text": width, case and whitespace do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def text_digest(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode()).hexdigest()


def new_tracking_code(random_bytes: bytes, on: dt.date) -> str:
    """A code a person can read out on the phone: GS-20261102-7K3M9QX2WD."""
    value = int.from_bytes(random_bytes[:7], "big")
    chars = []
    for _ in range(10):
        chars.append(_CODE_ALPHABET[value & 31])
        value >>= 5
    return f"GS-{on:%Y%m%d}-{''.join(chars)}"


def secret_digest(secret: str) -> bytes:
    # The secret is 128 random bits: a fast hash is enough (as for credentials).
    return hashlib.sha256(secret.encode()).digest()


# ---------------------------------------------------------------- masking


def mask_public_text(
    text: str, known_names: Iterable[str] = (), policy: MaskingPolicy = DEFAULT_POLICY
) -> str:
    """Feedback and replies are public only after masking (E2, E6): numbers as
    in results, e-mail addresses, the names we know (the submitter's) and the
    names of persons found in the text."""
    # The names we know, and any other person's the text names (person_names).
    names = [n for n in known_names if len(n.strip()) >= 2]
    names += person_names(text) if policy.find_names else []
    masked, _ = policy.redact_text(text, third_party_names=names)
    return _EMAIL.sub(lambda m: "***@" + m.group(0).split("@", 1)[1], masked)


# ---------------------------------------------------------------- objections


@dataclass(frozen=True)
class PublishedParty:
    """The party of a published result as the public record shows it (masked for natural persons)."""

    type: int  # gongshi.v1.PartyType
    name: str
    uscc: str
    id_number: str


NATURAL_PERSON = 4  # gongshi.v1.PARTY_TYPE_NATURAL_PERSON


def party_matches(published: PublishedParty, claimed_name: str, claimed_identifier: str) -> bool:
    """Whether the objector names the party as published. For organisations the
    name or credit code must match; for natural persons (published masked) the
    masked claim must equal the published mask. The agency, which holds the
    unmasked record, verifies the person before deciding."""
    name, ident = claimed_name.strip(), claimed_identifier.strip().upper()
    if published.type != NATURAL_PERSON:
        return (bool(name) and normalise_text(name) == normalise_text(published.name)) or (
            bool(ident) and bool(published.uscc) and ident == published.uscc.upper()
        )
    if mask_name(name) != published.name:
        return False
    if published.id_number:
        return bool(ident) and mask_id_number(ident) == published.id_number
    return True


# ---------------------------------------------------------------- the case


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


# ---------------------------------------------------------------- moderation


def moderation_after_flag(state: int, flags: int, threshold: int) -> int:
    """Decidim's rule: after N flags the content is hidden until the agency reviews it."""
    if state == pb.MODERATION_STATE_VISIBLE and flags >= threshold:
        return pb.MODERATION_STATE_HIDDEN_PENDING_REVIEW
    return state


def moderation_after_review(state: int, restore: bool) -> int:
    if state == pb.MODERATION_STATE_VISIBLE:
        raise FailedPrecondition("nothing to review: the content is visible")
    return pb.MODERATION_STATE_VISIBLE if restore else pb.MODERATION_STATE_REMOVED


# ---------------------------------------------------------------- statistics


def median_hours(durations: Iterable[dt.timedelta]) -> float:
    hours = [d.total_seconds() / 3600 for d in durations]
    return round(statistics.median(hours), 2) if hours else 0.0


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


# ---------------------------------------------------------------- names


def status_name(status: int) -> str:
    return pb.FeedbackStatus.Name(status).removeprefix("FEEDBACK_STATUS_").lower() if status else "unknown"


def target_state_name(state: int) -> str:
    return pb.TargetState.Name(state).removeprefix("TARGET_STATE_").lower() if state else "unknown"


OUTCOME_LABELS = {
    pb.OBJECTION_OUTCOME_CORRECT: "更正 corrected",
    pb.OBJECTION_OUTCOME_WITHDRAW: "撤下 withdrawn",
    pb.OBJECTION_OUTCOME_KEEP: "维持 kept",
}


def outcome_label(outcome: int) -> str:
    return OUTCOME_LABELS.get(outcome, "")

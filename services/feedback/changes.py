"""The one way feedback changes, shared by every use case (intake.py,
citizen.py, moderation.py, agency.py; assembled in handlers.py): in one unit
of work (unit_of_work.py), load, apply the domain rules, save the change,
its events and its audit entry; the unit commits, and only then is the
answer returned (so an acknowledged submission survives any crash). A case
is changed by its submitter (who holds a tracking key: `_citizen_write`) or
by its agency (`_agency_write`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain, views
from services.feedback.config import FeedbackConfig
from services.feedback.domain import Case, Change
from services.feedback.models import AttachmentRow, FeedbackRow, HistoryRow, SubmissionRow
from services.feedback.repositories import SessionCases
from services.feedback.store import CaseBundle
from services.feedback.unit_of_work import (
    SERVICE,
    CaseRepository,
    FeedbackUnitOfWork,
    FeedbackUnits,
    feedback_event,
)
from services.runtime import events as ev
from services.runtime.app import ServiceRuntime
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.calendar import WorkingDayCalendar, default_calendar
from services.runtime.errors import NotFound, invalid
from services.runtime.ids import new_id
from services.runtime.masking import DEFAULT_POLICY, MaskingPolicy
from services.runtime.outbox import enqueue

# An event to publish once the change is applied: (event token, agency, build(public view)).
PendingEvent = tuple[str, str, Callable[[pb.PublicFeedback], object]]


@dataclass
class FeedbackBase:
    # The process: its clock and settings (and the database the reads and the
    # revision job use; the use cases reach storage through `units` only).
    runtime: ServiceRuntime
    units: FeedbackUnits
    config: FeedbackConfig = field(default_factory=FeedbackConfig)
    calendar: WorkingDayCalendar = field(default_factory=default_calendar)
    masking: MaskingPolicy = DEFAULT_POLICY

    @property
    def db(self):
        return self.runtime.db

    def now(self) -> dt.datetime:
        # One zone for the instants a case computes with: the clock may hand out
        # another (a test clock keeps China time); stored ones come back in UTC.
        return self.runtime.clock.now().astimezone(dt.UTC)

    def client_hash(self, address: str) -> str:
        key = (self.config.client_key or self.runtime.settings.admin_token or "gongshi").encode()
        return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()

    def _store_attachments(
        self,
        cases: CaseRepository,
        feedback_id: str,
        addition_id: int | None,
        uploads: Sequence[pb.AttachmentUpload],
        now: dt.datetime,
    ) -> None:
        for upload in uploads:
            cases.add_attachment(
                AttachmentRow(
                    id=new_id(),
                    feedback_id=feedback_id,
                    addition_id=addition_id,
                    filename=domain.clean_filename(upload.filename),
                    content_type=domain.sniff_content_type(upload.data) or "application/octet-stream",
                    size_bytes=len(upload.data),
                    sha256=hashlib.sha256(upload.data).hexdigest(),
                    data=upload.data,
                    uploaded_at=now,
                )
            )

    async def by_key(
        self, session: AsyncSession, key: pb.TrackingKey, *, for_update: bool = False
    ) -> tuple[FeedbackRow, SubmissionRow]:
        """find_by_key on a session (GetAttachment reads with one)."""
        return await find_by_key(SessionCases(session), key, for_update=for_update)

    async def _tracked(
        self, cases: CaseRepository, row: FeedbackRow, submission: SubmissionRow
    ) -> pb.TrackedFeedback:
        case = await cases.bundle(row)
        return views.tracked_view(
            case.public(),
            row,
            views.case_from_row(row),
            submission,
            await cases.additions(row.id),
            await cases.attachments(row.id),
        )

    async def _citizen_write(
        self,
        key: pb.TrackingKey,
        operation: str,
        change: Callable[..., Awaitable[list[PendingEvent]]],
    ) -> pb.TrackedFeedback:
        """`change(uow, row, submission, case)` applies the rules and says what to publish."""
        async with self.units.writing(f"feedback.{operation}", self.now()) as uow:
            row, submission = await find_by_key(uow.cases, key, for_update=True)
            before = (await uow.cases.bundle(row)).public()
            case = views.case_from_row(row)
            pending = await change(uow, row, submission, case)
            public = await self._save(uow, row, case, pending)
            uow.audit(None, operation=operation, record_id=row.id, before=before, after=public)
            view = await self._tracked(uow.cases, row, submission)
        return view

    async def _save(
        self, uow: FeedbackUnitOfWork, row: FeedbackRow, case: Case, pending: list[PendingEvent]
    ) -> pb.PublicFeedback:
        views.apply_case(row, case, uow.now)
        uow.cases.save(row)
        self._add_history(uow.cases, row.id, case.changes, uow.now)
        public = (await uow.cases.bundle(row)).public()
        for token, agency_code, build in pending:
            self.emit(uow, token, agency_code, build(public))
        return public

    async def _agency_write(
        self,
        principal: Principal | None,
        feedback_id: str,
        operation: str,
        change: Callable[..., Awaitable[list[PendingEvent] | None]],
        *,
        platform_admin: bool = False,
    ) -> pb.AgencyFeedback:
        """`change(uow, row, case)` applies the rules and says what to publish
        (None: a retried call that changes nothing). `platform_admin`: an
        administrator may also act on a case the platform holds (a general
        complaint), to assign it to an agency."""
        async with self.units.writing(f"feedback.{operation}", self.now()) as uow:
            row = await load_case(uow.cases, feedback_id, for_update=True)
            held = row.agency_code == ev.PLATFORM_OWNER
            if not (platform_admin and held and principal is not None and principal.is_admin):
                require_agency_writer(principal, row.agency_code)
            before = (await uow.cases.bundle(row)).public()
            case = views.case_from_row(row)
            pending = await change(uow, row, case)
            if pending is not None:
                public = await self._save(uow, row, case, pending)
                uow.audit(principal, operation=operation, record_id=row.id, before=before, after=public)
            view = await agency_view(uow.cases, await uow.cases.bundle(row))
        return view

    async def _private_names(self, uow: FeedbackUnitOfWork, row: FeedbackRow) -> tuple[list[str], list[str]]:
        """Names and values a public text about this case must not show: the submitters'."""
        subs = await uow.cases.submissions(row.id)
        names = [s.contact_name for s in subs]
        if row.is_objection:
            record = await uow.copies.record(pb.FEEDBACK_TARGET_TYPE_RESULT, row.target_id)
            if record is not None and record.party_type == domain.NATURAL_PERSON:
                names.append(row.objection_party_name)
        return names, [s.contact_address for s in subs]

    def _mask(self, text: str, names: Sequence[str], values: Sequence[str]) -> str:
        for value in sorted({v.strip() for v in values if len(v.strip()) >= 4}, key=len, reverse=True):
            text = text.replace(value, "****")
        return domain.mask_public_text(text, names, self.masking)

    def _add_history(
        self, cases: CaseRepository, feedback_id: str, changes: Sequence[Change], now: dt.datetime
    ) -> None:
        for c in changes:
            cases.add_history(
                HistoryRow(
                    feedback_id=feedback_id,
                    at=now,
                    event=c.event,
                    status=c.status,
                    agency_code=c.agency_code,
                    note=c.note,
                )
            )

    def emit(self, uow: FeedbackUnitOfWork, token: str, agency_code: str, message) -> None:
        uow.emit(feedback_event(token, agency_code, message))

    def enqueue_event(
        self, session: AsyncSession, token: str, agency_code: str, message, now: dt.datetime
    ) -> None:
        """`emit` for the revision job, which still writes on a session of its own (revision.py)."""
        enqueue(session, feedback_event(token, agency_code, message), source=SERVICE, now=now)


async def find_by_key(
    cases: CaseRepository, key: pb.TrackingKey, *, for_update: bool = False
) -> tuple[FeedbackRow, SubmissionRow]:
    """The case and the submission this secret belongs to. Wrong code and
    wrong secret get the same answer, so neither can be probed alone."""
    if not key.tracking_code or not key.secret:
        raise invalid("key", "needs the tracking code and the secret")
    if len(key.tracking_code) > 40 or len(key.secret) > 100:
        raise NotFound("no feedback with this tracking code and secret")
    row = await cases.get(key.tracking_code, for_update=for_update)
    if row is not None:
        wanted = domain.secret_digest(key.secret)
        for submission in await cases.submissions(row.id):
            if hmac.compare_digest(submission.secret_sha256, wanted):
                return row, submission
    raise NotFound("no feedback with this tracking code and secret")


async def load_case(cases: CaseRepository, feedback_id: str, *, for_update: bool = False) -> FeedbackRow:
    row = await cases.get(feedback_id, for_update=for_update)
    if row is None:
        raise NotFound(f"no feedback with tracking code {feedback_id}")
    return row


async def agency_view(cases: CaseRepository, case: CaseBundle) -> pb.AgencyFeedback:
    """What the handling agency sees (store.agency_view, through the unit's repository)."""
    row = case.row
    return views.agency_view(
        case.public(),
        row,
        await cases.submissions(row.id),
        case.replies,
        await cases.additions(row.id),
        await cases.attachments(row.id),
    )


def duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "hour" if hours == 1 else f"{hours} hours"
    return f"{seconds // 60} minutes"

"""The one way feedback changes, shared by every use case (intake.py,
citizen.py, moderation.py, agency.py; assembled in handlers.py): load,
apply the domain rules, save the change, its events and its audit entry in
one transaction, commit, and only then answer (so an acknowledged
submission survives any crash). A case is changed by its submitter (who
holds a tracking key: `_citizen_write`) or by its agency (`_agency_write`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain, store, views
from services.feedback.config import FeedbackConfig
from services.feedback.domain import Case, Change
from services.feedback.models import AttachmentRow, FeedbackRow, HistoryRow, SubmissionRow
from services.runtime import audit
from services.runtime import events as ev
from services.runtime.app import ServiceRuntime
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.calendar import WorkingDayCalendar, default_calendar
from services.runtime.errors import NotFound, invalid
from services.runtime.ids import new_id
from services.runtime.masking import DEFAULT_POLICY, MaskingPolicy
from services.runtime.outbox import enqueue

SERVICE = "feedback"

# An event to publish once the change is applied: (event token, agency, build(public view)).
PendingEvent = tuple[str, str, Callable[[pb.PublicFeedback], object]]


@dataclass
class FeedbackBase:
    runtime: ServiceRuntime
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
        session: AsyncSession,
        feedback_id: str,
        addition_id: int | None,
        uploads: Sequence[pb.AttachmentUpload],
        now: dt.datetime,
    ) -> None:
        for upload in uploads:
            session.add(
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
        """The case and the submission this secret belongs to. Wrong code and
        wrong secret get the same answer, so neither can be probed alone."""
        if not key.tracking_code or not key.secret:
            raise invalid("key", "needs the tracking code and the secret")
        if len(key.tracking_code) > 40 or len(key.secret) > 100:
            raise NotFound("no feedback with this tracking code and secret")
        row = await session.get(FeedbackRow, key.tracking_code, with_for_update=for_update or None)
        if row is not None:
            wanted = domain.secret_digest(key.secret)
            for submission in await store.submissions(session, row.id):
                if hmac.compare_digest(submission.secret_sha256, wanted):
                    return row, submission
        raise NotFound("no feedback with this tracking code and secret")

    async def _tracked(
        self, session: AsyncSession, row: FeedbackRow, submission: SubmissionRow
    ) -> pb.TrackedFeedback:
        case = await store.bundle(session, row)
        return views.tracked_view(
            case.public(),
            row,
            views.case_from_row(row),
            submission,
            await store.additions(session, row.id),
            await store.attachments(session, row.id),
        )

    async def _citizen_write(
        self,
        key: pb.TrackingKey,
        operation: str,
        change: Callable[..., Awaitable[list[PendingEvent]]],
    ) -> pb.TrackedFeedback:
        now = self.now()
        async with self.db.transaction(f"feedback.{operation}") as session:
            row, submission = await self.by_key(session, key, for_update=True)
            before = (await store.bundle(session, row)).public()
            case = views.case_from_row(row)
            pending = await change(session, row, submission, case, now)
            public = await self._save(session, row, case, pending, now)
            audit.record(
                session,
                None,
                operation=operation,
                record_type="feedback",
                record_id=row.id,
                before=before,
                after=public,
                now=now,
            )
            view = await self._tracked(session, row, submission)
        return view

    async def _save(
        self,
        session: AsyncSession,
        row: FeedbackRow,
        case: Case,
        pending: list[PendingEvent],
        now: dt.datetime,
    ) -> pb.PublicFeedback:
        views.apply_case(row, case, now)
        session.add(row)
        self._add_history(session, row.id, case.changes, now)
        await session.flush()
        public = (await store.bundle(session, row)).public()
        for token, agency_code, build in pending:
            self.enqueue_event(session, token, agency_code, build(public), now)
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
        """`platform_admin`: an administrator may also act on a case the platform
        holds (a general complaint), to assign it to an agency."""
        now = self.now()
        async with self.db.transaction(f"feedback.{operation}") as session:
            row = await store.load_row(session, feedback_id, for_update=True)
            held = row.agency_code == ev.PLATFORM_OWNER
            if not (platform_admin and held and principal is not None and principal.is_admin):
                require_agency_writer(principal, row.agency_code)
            before = (await store.bundle(session, row)).public()
            case = views.case_from_row(row)
            pending = await change(session, row, case, now)
            if pending is not None:  # None: a retried call that changes nothing
                public = await self._save(session, row, case, pending, now)
                audit.record(
                    session,
                    principal,
                    operation=operation,
                    record_type="feedback",
                    record_id=row.id,
                    before=before,
                    after=public,
                    now=now,
                )
            view = await store.agency_view(session, await store.bundle(session, row))
        return view

    async def _private_names(self, session: AsyncSession, row: FeedbackRow) -> tuple[list[str], list[str]]:
        """Names and values a public text about this case must not show: the submitters'."""
        subs = await store.submissions(session, row.id)
        names = [s.contact_name for s in subs]
        if row.is_objection:
            record = await store.find_record(session, pb.FEEDBACK_TARGET_TYPE_RESULT, row.target_id)
            if record is not None and record.party_type == domain.NATURAL_PERSON:
                names.append(row.objection_party_name)
        return names, [s.contact_address for s in subs]

    def _mask(self, text: str, names: Sequence[str], values: Sequence[str]) -> str:
        for value in sorted({v.strip() for v in values if len(v.strip()) >= 4}, key=len, reverse=True):
            text = text.replace(value, "****")
        return domain.mask_public_text(text, names, self.masking)

    def _add_history(
        self, session: AsyncSession, feedback_id: str, changes: Sequence[Change], now: dt.datetime
    ) -> None:
        for c in changes:
            session.add(
                HistoryRow(
                    feedback_id=feedback_id,
                    at=now,
                    event=c.event,
                    status=c.status,
                    agency_code=c.agency_code,
                    note=c.note,
                )
            )

    def enqueue_event(
        self, session: AsyncSession, token: str, agency_code: str, message, now: dt.datetime
    ) -> None:
        enqueue(session, ev.Event(ev.subject(SERVICE, token, agency_code), message), source=SERVICE, now=now)


def duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "hour" if hours == 1 else f"{hours} hours"
    return f"{seconds // 60} minutes"

"""Use cases that change feedback: load, apply the domain rules, save the
change, its events and its audit entry in one transaction, commit, and only
then answer (so an acknowledged submission survives any crash)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain, store, views
from services.feedback.config import FeedbackConfig
from services.feedback.domain import Case, Change
from services.feedback.models import (
    AdditionRow,
    AgencyCopy,
    AttachmentRow,
    FeedbackRow,
    FlagRow,
    HistoryRow,
    ReplyRow,
    SubmissionRow,
)
from services.runtime import audit, limits
from services.runtime import events as ev
from services.runtime.app import ServiceRuntime
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.calendar import WorkingDayCalendar, default_calendar
from services.runtime.clock import isoformat
from services.runtime.errors import FailedPrecondition, InvalidArgument, NotFound, ResourceExhausted, invalid
from services.runtime.ids import new_id
from services.runtime.masking import DEFAULT_POLICY, MaskingPolicy
from services.runtime.outbox import enqueue

SERVICE = "feedback"
TEXT_ITEM = "text"  # FlagRow.item for the feedback text; replies use their id

# An event to publish once the change is applied: (event token, agency, build(public view)).
PendingEvent = tuple[str, str, Callable[[pb.PublicFeedback], object]]


@dataclass(frozen=True)
class Target:
    type: int
    id: str
    agency_code: str  # who owns the record
    handler_code: str  # who must answer
    state: int
    party: domain.PublishedParty | None = None

    @property
    def key(self) -> str:
        return f"{self.type}:{self.agency_code}:{self.id}"

    def rate_key(self, client: str) -> str:
        """General complaints share no record: each client's count of them is its own."""
        return f"{self.key}:{client[:16]}" if self.type == pb.FEEDBACK_TARGET_TYPE_PLATFORM else self.key


@dataclass
class FeedbackHandlers:
    runtime: ServiceRuntime
    config: FeedbackConfig = field(default_factory=FeedbackConfig)
    calendar: WorkingDayCalendar = field(default_factory=default_calendar)
    masking: MaskingPolicy = DEFAULT_POLICY

    @property
    def db(self):
        return self.runtime.db

    def now(self) -> dt.datetime:
        # Stored instants are UTC: SQLite keeps no offset, so mixing zones would misorder them.
        return self.runtime.clock.now().astimezone(dt.UTC)

    def client_hash(self, address: str) -> str:
        key = (self.config.client_key or self.runtime.settings.admin_token or "gongshi").encode()
        return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()

    # ------------------------------------------------------------ citizens

    async def submit(
        self, request: pb.SubmitFeedbackRequest, client_address: str
    ) -> pb.SubmitFeedbackResponse:
        domain.validate_submission(request)
        now = self.now()
        client = self.client_hash(client_address)
        secret = secrets.token_urlsafe(16)
        async with self.db.transaction("feedback.submit") as session:
            target = await self._resolve_target(session, request)
            await self._check_rates(session, client, target.rate_key(client), now)
            submission = SubmissionRow(
                feedback_id="",
                secret_sha256=domain.secret_digest(secret),
                client_hash=client,
                target_key=target.rate_key(client),
                received_at=now,
                contact_name=request.contact.name.strip(),
                contact_phone=request.contact.phone.strip(),
                contact_email=request.contact.email.strip(),
                contact_address=request.contact.address.strip(),
                display_name=request.display_name.strip(),
                show_display_name=request.show_display_name,
            )
            original = await self._duplicate_of(session, request.text, target, now)
            if original is not None:
                public = await self._link(session, original, submission, request.attachments, now)
            else:
                public = await self._open_case(session, request, target, submission, now)
        self.runtime.relay.notify()
        return pb.SubmitFeedbackResponse(
            tracking_code=public.id, secret=secret, linked=original is not None, feedback=public
        )

    async def _resolve_target(self, session: AsyncSession, request: pb.SubmitFeedbackRequest) -> Target:
        t = request.target
        if t.type == pb.FEEDBACK_TARGET_TYPE_PLATFORM:
            return Target(t.type, "", "", ev.PLATFORM_OWNER, pb.TARGET_STATE_UNKNOWN)
        if t.type == pb.FEEDBACK_TARGET_TYPE_AGENCY:
            if await session.get(AgencyCopy, t.id) is None:
                raise invalid("target.id", f"no agency with code {t.id} is known")
            return Target(t.type, t.id, t.id, t.id, pb.TARGET_STATE_CURRENT)
        if t.type == pb.FEEDBACK_TARGET_TYPE_RESULT:
            record = await store.find_record(session, t.type, t.id)
            if record is None:
                raise invalid("target.id", f"no published result with id {t.id} is known")
            if t.agency_code and t.agency_code != record.agency_code:
                raise invalid("target.agency_code", f"result {t.id} was published by {record.agency_code}")
            party = domain.PublishedParty(
                record.party_type, record.party_name, record.party_uscc, record.party_id_number
            )
            return Target(t.type, t.id, record.agency_code, record.agency_code, record.state, party)
        if await session.get(AgencyCopy, t.agency_code) is None:
            raise invalid("target.agency_code", f"no agency with code {t.agency_code} is known")
        record = await store.find_record(session, t.type, t.id, t.agency_code)
        if record is None and await store.agency_lists_records(session, t.type, t.agency_code):
            raise invalid("target.id", f"agency {t.agency_code} has published no such record: {t.id}")
        state = record.state if record else pb.TARGET_STATE_UNKNOWN
        return Target(t.type, t.id, t.agency_code, t.agency_code, state)

    async def _check_rates(
        self, session: AsyncSession, client: str, target_key: str, now: dt.datetime
    ) -> None:
        """Counted on stored submissions, inside the write, so every replica sees the same count."""
        for column, value, limit, window, what in (
            (
                SubmissionRow.client_hash,
                client,
                limits.FEEDBACK_PER_CLIENT,
                limits.FEEDBACK_PER_CLIENT_WINDOW_SECONDS,
                "from your address",
            ),
            (
                SubmissionRow.target_key,
                target_key,
                limits.FEEDBACK_PER_TARGET,
                limits.FEEDBACK_PER_TARGET_WINDOW_SECONDS,
                "about this record",
            ),
        ):
            since = now - dt.timedelta(seconds=window)
            count = await session.scalar(
                select(func.count())
                .select_from(SubmissionRow)
                .where(column == value, SubmissionRow.received_at > since)
            )
            if count >= limit:
                raise ResourceExhausted(
                    f"too many feedback submissions {what}: at most {limit} per {_duration(window)}; "
                    "please try again later"
                )

    async def _duplicate_of(
        self, session: AsyncSession, text: str, target: Target, now: dt.datetime
    ) -> FeedbackRow | None:
        since = now - dt.timedelta(seconds=limits.FEEDBACK_DUPLICATE_WINDOW_SECONDS)
        query = (
            select(FeedbackRow)
            .where(
                FeedbackRow.text_digest == domain.text_digest(text),
                FeedbackRow.received_at > since,
                FeedbackRow.target_type == target.type,
                FeedbackRow.target_id == target.id,
                FeedbackRow.target_agency_code == target.agency_code,
            )
            .order_by(FeedbackRow.received_at)
            .limit(1)
            .with_for_update()
        )
        return (await session.exec(query)).first()

    async def _open_case(
        self,
        session: AsyncSession,
        request: pb.SubmitFeedbackRequest,
        target: Target,
        submission: SubmissionRow,
        now: dt.datetime,
    ) -> pb.PublicFeedback:
        is_objection = request.HasField("objection")
        if is_objection:
            self._check_objection(request.objection, target)
        case_id = await self._new_tracking_code(session, now)
        case = domain.new_case(
            case_id, target.handler_code, request.category, is_objection, target.state, now, self.calendar
        )
        names = [request.contact.name, *self._objection_names(request.objection.party_name, target.party)]
        row = FeedbackRow(
            id=case_id,
            agency_code=target.handler_code,
            original_agency_code=target.handler_code,
            target_type=target.type,
            target_id=target.id,
            target_agency_code=target.agency_code,
            target_state=target.state,
            category=request.category,
            status=case.status,
            text=request.text,
            text_public=self._mask(request.text, names, [request.contact.address]),
            text_digest=domain.text_digest(request.text),
            text_moderation=pb.MODERATION_STATE_VISIBLE,
            display_name=request.display_name.strip(),
            show_display_name=request.show_display_name,
            attachment_count=len(request.attachments),
            received_at=now,
            received_on=domain.china_date(now).isoformat(),
            acceptance_due=case.acceptance_due.isoformat(),
            objection_party_name=request.objection.party_name.strip() if is_objection else "",
            objection_party_identifier=request.objection.party_identifier.strip() if is_objection else "",
            latitude=request.location.latitude if request.location.HasField("latitude") else None,
            longitude=request.location.longitude if request.location.HasField("longitude") else None,
            address=request.location.address.strip(),
            version=0,
            updated_at=now,
        )
        views.apply_case(row, case, now)
        session.add(row)
        submission.feedback_id = case_id
        session.add(submission)
        self._store_attachments(session, case_id, None, request.attachments, now)
        self._add_history(session, case_id, case.changes, now)
        await session.flush()
        public = (await store.bundle(session, row)).public()
        self.enqueue_event(session, "received", row.agency_code, pb.FeedbackReceived(feedback=public), now)
        audit.record(
            session,
            None,
            operation="SubmitFeedback",
            record_type="feedback",
            record_id=case_id,
            before=None,
            after=public,
            now=now,
        )
        return public

    def _check_objection(self, objection: pb.Objection, target: Target) -> None:
        if target.state in domain.TARGETS_NOT_OPEN_TO_NEW_OBJECTIONS:
            raise FailedPrecondition(
                f"result {target.id} is {domain.target_state_name(target.state)}: it is no longer published"
            )
        if target.party is None or not domain.party_matches(
            target.party, objection.party_name, objection.party_identifier
        ):
            raise InvalidArgument(
                [
                    domain.FieldViolation(
                        "objection.party_name",
                        f"does not match the party of result {target.id} as published; only a party to "
                        "the decision can file an objection (others may send information_wrong feedback)",
                    )
                ]
            )

    @staticmethod
    def _objection_names(party_name: str, party: domain.PublishedParty | None) -> list[str]:
        # A natural person's name is masked in public text; an organisation's name is public anyway.
        return [party_name] if party is not None and party.type == domain.NATURAL_PERSON else []

    async def _link(
        self,
        session: AsyncSession,
        row: FeedbackRow,
        submission: SubmissionRow,
        uploads: Sequence[pb.AttachmentUpload],
        now: dt.datetime,
    ) -> pb.PublicFeedback:
        """The same text about the same record within minutes: a second key to
        the same case, counted once (a double click, or a neighbour's copy)."""
        submission.feedback_id, submission.linked = row.id, True
        session.add(submission)
        before = (await store.bundle(session, row)).public()
        row.linked_submissions += 1
        row.version += 1
        row.updated_at = now
        session.add(row)
        await session.flush()
        if uploads:  # nothing accepted is dropped: a linked submission's files join the case
            addition = AdditionRow(feedback_id=row.id, submission_id=submission.id, text="", added_at=now)
            session.add(addition)
            await session.flush()
            self._store_attachments(session, row.id, addition.id, uploads, now)
        public = (await store.bundle(session, row)).public()
        audit.record(
            session,
            None,
            operation="LinkSubmission",
            record_type="feedback",
            record_id=row.id,
            before=before,
            after=public,
            now=now,
        )
        return public

    async def _new_tracking_code(self, session: AsyncSession, now: dt.datetime) -> str:
        while True:
            code = domain.new_tracking_code(secrets.token_bytes(8), domain.china_date(now))
            if await session.get(FeedbackRow, code) is None:
                return code

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

    async def track(self, key: pb.TrackingKey) -> pb.TrackedFeedback:
        async with self.db.reader() as session:
            row, submission = await self.by_key(session, key)
            return await self._tracked(session, row, submission)

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

    async def add_information(
        self, key: pb.TrackingKey, text: str, uploads: Sequence[pb.AttachmentUpload]
    ) -> pb.TrackedFeedback:
        domain.validate_addition(text, uploads)

        async def change(session, row, submission, case: Case, now) -> list[PendingEvent]:
            case.require_open_for_information()
            addition = AdditionRow(
                feedback_id=row.id, submission_id=submission.id, text=text.strip(), added_at=now
            )
            session.add(addition)
            await session.flush()
            self._store_attachments(session, row.id, addition.id, uploads, now)
            return []

        return await self._citizen_write(key, "AddInformation", change)

    async def rate(self, key: pb.TrackingKey, rating: int, comment: str) -> pb.TrackedFeedback:
        async def change(session, row, submission, case: Case, now) -> list[PendingEvent]:
            case.rate(rating, comment)
            return []

        return await self._citizen_write(key, "RateAnswer", change)

    async def reopen(self, key: pb.TrackingKey, reason: str) -> pb.TrackedFeedback:
        async def change(session, row, submission, case: Case, now) -> list[PendingEvent]:
            case.reopen(reason, now, self.calendar)
            return [("reopened", case.agency_code, lambda p: pb.FeedbackReopened(feedback=p))]

        return await self._citizen_write(key, "ReopenFeedback", change)

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
        self.runtime.relay.notify()
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

    # ------------------------------------------------------------ moderation (anyone)

    async def flag(
        self, feedback_id: str, reply_id: str, reason: str, client_address: str
    ) -> pb.FlagContentResponse:
        if len(reason) > limits.MEDIUM_TEXT:
            raise invalid("reason", f"is {len(reason)} characters long; the limit is {limits.MEDIUM_TEXT}")
        now = self.now()
        client = self.client_hash(client_address)
        item = reply_id or TEXT_ITEM
        async with self.db.transaction("feedback.flag") as session:
            row = await store.load_row(session, feedback_id, for_update=True)
            reply = None
            if reply_id:
                reply = await session.get(ReplyRow, reply_id)
                if reply is None or reply.feedback_id != row.id:
                    raise NotFound(f"feedback {feedback_id} has no reply {reply_id}")
            state = reply.moderation if reply else row.text_moderation
            already = await session.scalar(
                select(func.count())
                .select_from(FlagRow)
                .where(FlagRow.feedback_id == row.id, FlagRow.item == item, FlagRow.client_hash == client)
            )
            if already:
                return pb.FlagContentResponse(counted=False, moderation=state)
            since = now - dt.timedelta(seconds=limits.FEEDBACK_FLAGS_PER_CLIENT_WINDOW_SECONDS)
            recent = await session.scalar(
                select(func.count())
                .select_from(FlagRow)
                .where(FlagRow.client_hash == client, FlagRow.flagged_at > since)
            )
            if recent >= limits.FEEDBACK_FLAGS_PER_CLIENT:
                raise ResourceExhausted(
                    f"too many flags from your address: at most {limits.FEEDBACK_FLAGS_PER_CLIENT} per "
                    f"{_duration(limits.FEEDBACK_FLAGS_PER_CLIENT_WINDOW_SECONDS)}; please try again later"
                )
            before = (await store.bundle(session, row)).public()
            session.add(
                FlagRow(
                    feedback_id=row.id, item=item, client_hash=client, reason=reason.strip(), flagged_at=now
                )
            )
            if reply is not None:
                reply.flags += 1
                reply.moderation = state = domain.moderation_after_flag(
                    state, reply.flags, self.config.flags_to_hide
                )
                session.add(reply)
            else:
                row.text_flags += 1
                row.text_moderation = state = domain.moderation_after_flag(
                    state, row.text_flags, self.config.flags_to_hide
                )
            row.version += 1
            row.updated_at = now
            session.add(row)
            await session.flush()
            after = (await store.bundle(session, row)).public()
            audit.record(
                session,
                None,
                operation="FlagContent",
                record_type="feedback",
                record_id=row.id,
                before=before,
                after=after,
                now=now,
            )
        return pb.FlagContentResponse(counted=True, moderation=state)

    # ------------------------------------------------------------ agencies

    async def accept(self, principal: Principal | None, feedback_id: str, note: str) -> pb.AgencyFeedback:
        _check_note(note)

        async def change(session, row, case: Case, now) -> list[PendingEvent] | None:
            if not case.accept(now, self.calendar, note.strip()):
                return None
            return [("accepted", case.agency_code, lambda p: pb.FeedbackAccepted(feedback=p))]

        return await self._agency_write(principal, feedback_id, "AcceptFeedback", change)

    async def reject(self, principal: Principal | None, feedback_id: str, reason: str) -> pb.AgencyFeedback:
        async def change(session, row, case: Case, now) -> list[PendingEvent] | None:
            if not case.reject(reason, now):
                return None
            return [
                (
                    "rejected",
                    case.agency_code,
                    lambda p: pb.FeedbackRejected(feedback=p, reason=case.rejection_reason),
                )
            ]

        return await self._agency_write(principal, feedback_id, "RejectFeedback", change)

    async def transfer(
        self, principal: Principal | None, feedback_id: str, to_agency: str, reason: str
    ) -> pb.AgencyFeedback:
        async def change(session, row, case: Case, now) -> list[PendingEvent] | None:
            if to_agency and await session.get(AgencyCopy, to_agency) is None:
                raise invalid("to_agency_code", f"no agency with code {to_agency} is known")
            previous = case.transfer(to_agency, reason, now, self.calendar)
            return [
                (
                    "transferred",
                    previous,
                    lambda p: pb.FeedbackTransferred(
                        feedback=p, from_agency_code=previous, to_agency_code=to_agency, reason=reason.strip()
                    ),
                )
            ]

        return await self._agency_write(
            principal, feedback_id, "TransferFeedback", change, platform_admin=True
        )

    async def reply(self, principal: Principal | None, feedback_id: str, text: str) -> pb.AgencyFeedback:
        if not text.strip():
            raise invalid("text", "is required")
        if len(text) > limits.FEEDBACK_TEXT:
            raise invalid("text", f"is {len(text)} characters long; the limit is {limits.FEEDBACK_TEXT}")

        async def change(session, row, case: Case, now) -> list[PendingEvent] | None:
            replies = (await store.bundle(session, row)).replies
            if replies and replies[-1].text == text.strip() and case.status == pb.FEEDBACK_STATUS_REPLIED:
                return None  # a retried call
            case.reply(now)
            reply = await self._add_reply(session, row, text, now)
            return [
                (
                    "replied",
                    case.agency_code,
                    lambda p: pb.FeedbackReplied(feedback=p, reply=_reply_of(p, reply.id)),
                )
            ]

        return await self._agency_write(principal, feedback_id, "ReplyFeedback", change)

    async def _add_reply(
        self, session: AsyncSession, row: FeedbackRow, text: str, now: dt.datetime
    ) -> ReplyRow:
        names, values = await self._private_names(session, row)
        reply = ReplyRow(
            id=new_id(),
            feedback_id=row.id,
            agency_code=row.agency_code,
            text=text.strip(),
            text_public=self._mask(text.strip(), names, values),
            replied_at=now,
            moderation=pb.MODERATION_STATE_VISIBLE,
        )
        session.add(reply)
        return reply

    async def extend(
        self, principal: Principal | None, request: pb.ExtendDeadlineRequest
    ) -> pb.AgencyFeedback:
        async def change(session, row, case: Case, now) -> list[PendingEvent] | None:
            case.extend(
                request.days, request.reason, request.approval_ref, request.approver, now, self.calendar
            )
            return [
                (
                    "extended",
                    case.agency_code,
                    lambda p: pb.FeedbackExtended(
                        feedback=p,
                        days=request.days,
                        approval_ref=case.extension_approval_ref,
                        approver=case.extension_approver,
                    ),
                )
            ]

        return await self._agency_write(principal, request.feedback_id, "ExtendDeadline", change)

    async def close(self, principal: Principal | None, feedback_id: str, note: str) -> pb.AgencyFeedback:
        _check_note(note)

        async def change(session, row, case: Case, now) -> list[PendingEvent] | None:
            if not case.close(now, note.strip()):
                return None
            return [("closed", case.agency_code, lambda p: pb.FeedbackClosed(feedback=p))]

        return await self._agency_write(principal, feedback_id, "CloseFeedback", change)

    async def decide_objection(
        self, principal: Principal | None, request: pb.DecideObjectionRequest
    ) -> pb.AgencyFeedback:
        async def change(session, row, case: Case, now) -> list[PendingEvent] | None:
            corrected = (request.corrected_facts.strip(), request.corrected_conclusion.strip())
            case.decide_objection(request.outcome, request.reason, corrected, now)
            reason = request.reason.strip()
            reply = await self._add_reply(
                session, row, f"{domain.outcome_label(request.outcome)}：{reason}", now
            )
            names, values = await self._private_names(session, row)
            decided = pb.ObjectionDecided(
                feedback_id=row.id,
                agency_code=row.agency_code,
                result_id=row.target_id,
                outcome=request.outcome,
                reason=self._mask(reason, names, values),
                corrected_facts=self._mask(corrected[0], names, values),
                corrected_conclusion=self._mask(corrected[1], names, values),
                decided_at=isoformat(now),
            )
            return [
                ("objection_decided", row.agency_code, lambda p: decided),
                (
                    "replied",
                    case.agency_code,
                    lambda p: pb.FeedbackReplied(feedback=p, reply=_reply_of(p, reply.id)),
                ),
                ("closed", case.agency_code, lambda p: pb.FeedbackClosed(feedback=p)),
            ]

        return await self._agency_write(principal, request.feedback_id, "DecideObjection", change)

    async def review_flagged(
        self, principal: Principal | None, feedback_id: str, reply_id: str, restore: bool
    ) -> pb.AgencyFeedback:
        async def change(session, row, case: Case, now) -> list[PendingEvent] | None:
            if reply_id:
                reply = await session.get(ReplyRow, reply_id)
                if reply is None or reply.feedback_id != row.id:
                    raise NotFound(f"feedback {feedback_id} has no reply {reply_id}")
                reply.moderation = domain.moderation_after_review(reply.moderation, restore)
                reply.flags = 0 if restore else reply.flags
                session.add(reply)
            else:
                row.text_moderation = domain.moderation_after_review(row.text_moderation, restore)
                row.text_flags = 0 if restore else row.text_flags
            return []

        return await self._agency_write(principal, feedback_id, "ReviewFlagged", change)

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
        self.runtime.relay.notify()
        return view

    # ------------------------------------------------------------ helpers

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


def _reply_of(public: pb.PublicFeedback, reply_id: str) -> pb.PublicReply:
    return next(r for r in public.replies if r.id == reply_id)


def _check_note(note: str) -> None:
    if len(note) > limits.MEDIUM_TEXT:
        raise invalid("note", f"is {len(note)} characters long; the limit is {limits.MEDIUM_TEXT}")


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "hour" if hours == 1 else f"{hours} hours"
    return f"{seconds // 60} minutes"

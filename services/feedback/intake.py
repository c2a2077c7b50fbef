"""Intake: a citizen's submission becomes a new case, or a second key to a
case opened minutes before with the same text about the same record;
targets are resolved, rates counted, objections checked against the
published party."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain, views
from services.feedback.changes import FeedbackBase, duration
from services.feedback.models import AdditionRow, FeedbackRow, SubmissionRow
from services.feedback.unit_of_work import CaseRepository, CopyRepository, FeedbackUnitOfWork
from services.runtime import events as ev
from services.runtime import limits
from services.runtime.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    ResourceExhausted,
    invalid,
)


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


class Intake(FeedbackBase):
    async def submit(
        self, request: pb.SubmitFeedbackRequest, client_address: str
    ) -> pb.SubmitFeedbackResponse:
        domain.validate_submission(request)
        now = self.now()
        client = self.client_hash(client_address)
        secret = secrets.token_urlsafe(16)
        async with self.units.writing("feedback.submit", now) as uow:
            target = await self._resolve_target(uow.copies, request)
            await self._check_rates(uow.cases, client, target.rate_key(client), now)
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
            original = await self._duplicate_of(uow.cases, request.text, target, now)
            if original is not None:
                public = await self._link(uow, original, submission, request.attachments)
            else:
                public = await self._open_case(uow, request, target, submission)
        return pb.SubmitFeedbackResponse(
            tracking_code=public.id, secret=secret, linked=original is not None, feedback=public
        )

    async def _resolve_target(self, copies: CopyRepository, request: pb.SubmitFeedbackRequest) -> Target:
        t = request.target
        if t.type == pb.FEEDBACK_TARGET_TYPE_PLATFORM:
            return Target(t.type, "", "", ev.PLATFORM_OWNER, pb.TARGET_STATE_UNKNOWN)
        if t.type == pb.FEEDBACK_TARGET_TYPE_AGENCY:
            if await copies.agency(t.id) is None:
                raise invalid("target.id", f"no agency with code {t.id} is known")
            return Target(t.type, t.id, t.id, t.id, pb.TARGET_STATE_CURRENT)
        if t.type == pb.FEEDBACK_TARGET_TYPE_RESULT:
            record = await copies.record(t.type, t.id)
            if record is None:
                raise invalid("target.id", f"no published result with id {t.id} is known")
            if t.agency_code and t.agency_code != record.agency_code:
                raise invalid("target.agency_code", f"result {t.id} was published by {record.agency_code}")
            party = domain.PublishedParty(
                record.party_type, record.party_name, record.party_uscc, record.party_id_number
            )
            return Target(t.type, t.id, record.agency_code, record.agency_code, record.state, party)
        if await copies.agency(t.agency_code) is None:
            raise invalid("target.agency_code", f"no agency with code {t.agency_code} is known")
        record = await copies.record(t.type, t.id, t.agency_code)
        if record is None and await copies.agency_lists_records(t.type, t.agency_code):
            raise invalid("target.id", f"agency {t.agency_code} has published no such record: {t.id}")
        state = record.state if record else pb.TARGET_STATE_UNKNOWN
        return Target(t.type, t.id, t.agency_code, t.agency_code, state)

    async def _check_rates(
        self, cases: CaseRepository, client: str, target_key: str, now: dt.datetime
    ) -> None:
        """Counted on stored submissions, inside the write, so every replica sees the same count."""
        for count_since, value, limit, window, what in (
            (
                cases.submissions_from_client_since,
                client,
                limits.FEEDBACK_PER_CLIENT,
                limits.FEEDBACK_PER_CLIENT_WINDOW_SECONDS,
                "from your address",
            ),
            (
                cases.submissions_about_target_since,
                target_key,
                limits.FEEDBACK_PER_TARGET,
                limits.FEEDBACK_PER_TARGET_WINDOW_SECONDS,
                "about this record",
            ),
        ):
            if await count_since(value, now - dt.timedelta(seconds=window)) >= limit:
                raise ResourceExhausted(
                    f"too many feedback submissions {what}: at most {limit} per {duration(window)}; "
                    "please try again later"
                )

    async def _duplicate_of(
        self, cases: CaseRepository, text: str, target: Target, now: dt.datetime
    ) -> FeedbackRow | None:
        since = now - dt.timedelta(seconds=limits.FEEDBACK_DUPLICATE_WINDOW_SECONDS)
        return await cases.duplicate_of(
            domain.text_digest(text), target.type, target.id, target.agency_code, since
        )

    async def _open_case(
        self,
        uow: FeedbackUnitOfWork,
        request: pb.SubmitFeedbackRequest,
        target: Target,
        submission: SubmissionRow,
    ) -> pb.PublicFeedback:
        now = uow.now
        is_objection = request.HasField("objection")
        if is_objection:
            self._check_objection(request.objection, target)
        case_id = await self._new_tracking_code(uow.cases, now)
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
        uow.cases.add(row)
        submission.feedback_id = case_id
        await uow.cases.add_submission(submission)
        self._store_attachments(uow.cases, case_id, None, request.attachments, now)
        self._add_history(uow.cases, case_id, case.changes, now)
        public = (await uow.cases.bundle(row)).public()
        self.emit(uow, "received", row.agency_code, pb.FeedbackReceived(feedback=public))
        uow.audit(None, operation="SubmitFeedback", record_id=case_id, before=None, after=public)
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
                    FieldViolation(
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
        uow: FeedbackUnitOfWork,
        row: FeedbackRow,
        submission: SubmissionRow,
        uploads: Sequence[pb.AttachmentUpload],
    ) -> pb.PublicFeedback:
        """The same text about the same record within minutes: a second key to
        the same case, counted once (a double click, or a neighbour's copy)."""
        now = uow.now
        submission.feedback_id, submission.linked = row.id, True
        before = (await uow.cases.bundle(row)).public()
        row.linked_submissions += 1
        row.version += 1
        row.updated_at = now
        uow.cases.save(row)
        await uow.cases.add_submission(submission)
        if uploads:  # nothing accepted is dropped: a linked submission's files join the case
            addition = AdditionRow(feedback_id=row.id, submission_id=submission.id, text="", added_at=now)
            await uow.cases.add_addition(addition)
            self._store_attachments(uow.cases, row.id, addition.id, uploads, now)
        public = (await uow.cases.bundle(row)).public()
        uow.audit(None, operation="LinkSubmission", record_id=row.id, before=before, after=public)
        return public

    async def _new_tracking_code(self, cases: CaseRepository, now: dt.datetime) -> str:
        while True:
            code = domain.new_tracking_code(secrets.token_bytes(8), domain.china_date(now))
            if await cases.get(code) is None:
                return code

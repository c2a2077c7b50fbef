"""Use cases that change what was published (DOMAIN.md F, G): corrections,
withdrawals, the under-appeal flag, the right of reply, credit repair, the
objection decisions that feedback sends, and the background scans for
overdue and expired records.

Every change to what the public sees goes through `_change`: one link in the
agency's hash chain, the row and its mirrored columns, the event and the
audit entry, all in the caller's transaction.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import feedback_pb2
from gongshi.v1 import results_pb2 as pb
from services.results import domain, records, revision, search
from services.results.models import (
    ChainEntryRow,
    RepairRow,
    ReplyRow,
    ResultPrivateRow,
    ResultRow,
    ResultVersionRow,
)
from services.results.policy import PublicationPolicy, RegionPolicies
from services.runtime import audit, holidays, limits
from services.runtime import events as ev
from services.runtime.app import ServiceRuntime
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.calendar import WorkingDayCalendar, default_calendar
from services.runtime.clock import CHINA_TZ, isoformat
from services.runtime.errors import (
    AlreadyExists,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    ResourceExhausted,
    invalid,
)
from services.runtime.ids import new_id
from services.runtime.outbox import enqueue

log = logging.getLogger(__name__)
SERVICE = "results"
# Who the audit log names for changes no person made.
EXPIRY_JOB = Principal("job:results-expiry", 0)
OVERDUE_JOB = Principal("job:results-overdue", 0)
SCAN_BATCH = 200


@dataclass
class LifecycleHandlers:
    runtime: ServiceRuntime
    policies: RegionPolicies = field(default_factory=RegionPolicies)
    calendar: WorkingDayCalendar = field(default_factory=default_calendar)
    scan_seconds: float = 1.0

    @property
    def db(self):
        return self.runtime.db

    def _now(self) -> tuple[dt.datetime, dt.date]:
        now = self.runtime.clock.now()
        return now, now.astimezone(CHINA_TZ).date()

    def _policy(self, row: ResultRow) -> PublicationPolicy:
        return self.policies.for_region(row.region_code)

    # ------------------------------------------------------------ the one way public views change

    async def _end_publication(
        self,
        session: AsyncSession,
        principal: Principal | None,
        row: ResultRow,
        status: int,
        *,
        kind: str,
        reason: str,
        operation: str,
        message,
        now: dt.datetime,
    ) -> None:
        """Take a public record out of publication (expired, repaired): its
        status and end date change, a chain entry and an event say why."""
        result = pb.Result.FromString(row.doc)
        before = row.doc
        result.status = status
        result.publication_ended_at = result.updated_at = isoformat(now)
        await self._change(
            session,
            principal,
            row,
            before,
            result,
            kind=kind,
            reason=reason,
            operation=operation,
            event=ev.Event(ev.subject(SERVICE, kind, row.agency_code), message),
            now=now,
        )

    async def _change(
        self,
        session: AsyncSession,
        principal: Principal | None,
        row: ResultRow,
        before: bytes,
        result: pb.Result,
        *,
        kind: str,
        reason: str,
        operation: str,
        event: ev.Event | None,
        now: dt.datetime,
        new_version: bool = False,
    ) -> None:
        head = await records.lock_head_async(session, row.agency_code)
        entry = head.append(result, kind, reason, isoformat(now))
        session.add(ChainEntryRow(**records.entry_values(entry)))
        if new_version:
            session.add(
                ResultVersionRow(
                    result_id=result.id,
                    version=result.version,
                    kind=kind,
                    reason=reason,
                    doc=result.SerializeToString(),
                    chain_seq=entry.seq,
                    created_at=now,
                )
            )
        records.sync_columns(row, result, now)
        session.add(row)
        await records.save_head_async(session, head)
        if event is not None:
            if isinstance(event.message, pb.ResultWithdrawn):
                event.message.tombstone.CopyFrom(domain.tombstone(result))
            elif hasattr(event.message, "result"):
                event.message.result.CopyFrom(result)
            enqueue(session, event, source=SERVICE, now=now)
        audit.record(
            session,
            principal,
            operation=operation,
            record_type="result",
            record_id=row.id,
            before=before,
            after=result,
            now=now,
        )

    async def _writable(
        self, session: AsyncSession, principal: Principal | None, result_id: str
    ) -> ResultRow:
        row = await session.get(ResultRow, result_id)
        if row is None:
            raise NotFound(f"no result with id {result_id}")
        require_agency_writer(principal, row.agency_code)
        return row

    # ------------------------------------------------------------ corrections

    async def correct(
        self, principal: Principal | None, result_id: str, decision: pb.Decision, reason: str
    ) -> pb.Result:
        now, today = self._now()
        domain.validate_decision(decision, today)
        _require_text("reason", reason, limits.MEDIUM_TEXT)
        async with self.db.transaction("results.correct") as session:
            row = await self._writable(session, principal, result_id)
            result = await self._correct(session, principal, row, decision, reason, now, "CorrectResult")
        self.runtime.relay.notify()
        return result

    async def _correct(
        self,
        session: AsyncSession,
        principal: Principal | None,
        row: ResultRow,
        decision: pb.Decision,
        reason: str,
        now: dt.datetime,
        operation: str,
        reply_text: str | None = None,
    ) -> pb.Result:
        """`reply_text`, when given, replaces the approved reply shown with the
        record (remask: services/results/remask.py); otherwise it is kept."""
        if decision.document_number != row.document_number:
            raise invalid(
                "decision.document_number",
                f"a correction keeps the document number {row.document_number}; a new decision is a new push",
            )
        if row.status not in domain.PUBLIC_STATUSES:
            raise FailedPrecondition(
                f"result {row.id} is {pb.ResultStatus.Name(row.status)}; only a published record is corrected"
            )
        policy = self._policy(row)
        kind, why = domain.non_publication(decision, policy)
        if kind:
            raise FailedPrecondition(
                f"the corrected decision may not be published ({why}); withdraw the record instead"
            )
        old = pb.Result.FromString(row.doc)
        masked, applied = domain.mask_decision(decision, policy.masking)
        decided = domain.parse_date(decision.decision_date)
        deadline = domain.publication_deadline(decision.category, decided, self.calendar)
        tier = domain.severity_of(decision, policy)
        result = domain.public_view(
            row.id,
            row.agency_code,
            row.region_code,
            masked,
            status=pb.RESULT_STATUS_CORRECTED,
            deadline=deadline,
            version=old.version + 1,
        )
        published_on = dt.datetime.fromisoformat(old.published_at).astimezone(CHINA_TZ).date()
        start = domain.publicity_start(decision, published_on, policy)
        domain.publish_record(
            result,
            published_at=old.published_at,
            published_on=published_on,
            tier=tier,
            span=domain.publicity_span(decision, tier, start, policy),
            start=start,
        )
        # A correction changes the content, not the record's public life.
        result.status = pb.RESULT_STATUS_CORRECTED
        for name in ("under_appeal", "appeal_note", "reply_text", "reply_at", "registered_at"):
            setattr(result, name, getattr(old, name))
        if reply_text is not None:
            result.reply_text = reply_text
        result.change_reason = domain.redact(policy.masking, reason, field="change_reason")[0]
        result.updated_at = isoformat(now)
        private = await session.get(ResultPrivateRow, row.id)
        private.decision = decision.SerializeToString()
        private.redaction_log = json.dumps(
            [{"rule": r.rule, "field": r.field, "count": r.count} for r in applied]
        )
        session.add(private)
        await self._change(
            session,
            principal,
            row,
            row.doc,
            result,
            kind="corrected",
            reason=result.change_reason,
            operation=operation,
            event=ev.Event(
                ev.subject(SERVICE, "corrected", row.agency_code),
                pb.ResultCorrected(previous_version=old.version, reason=result.change_reason),
            ),
            now=now,
            new_version=True,
        )
        await search.index_result(session, result, public=True)
        return result

    # ------------------------------------------------------------ withdrawals

    async def withdraw(
        self,
        principal: Principal | None,
        result_id: str,
        reason: int,
        statement: str,
        grounds_date: str = "",
    ) -> pb.Result:
        violations = []
        if reason == 0 or reason not in pb.WithdrawalReason.values():
            violations.append(FieldViolation("reason", "is required: one of " + ", ".join(_REASONS)))
        if not statement.strip():
            violations.append(FieldViolation("statement", "is required: a withdrawal states its reason (F2)"))
        elif len(statement) > limits.MEDIUM_TEXT:
            violations.append(FieldViolation("statement", f"is longer than {limits.MEDIUM_TEXT} characters"))
        now, today = self._now()
        grounds = domain.parse_date(grounds_date) if grounds_date else None
        if grounds_date and grounds is None:
            violations.append(FieldViolation("grounds_date", "must be a date in the form YYYY-MM-DD"))
        elif grounds is not None and grounds > today:
            violations.append(FieldViolation("grounds_date", f"{grounds} is in the future"))
        if violations:
            raise InvalidArgument(violations)
        async with self.db.transaction("results.withdraw") as session:
            row = await self._writable(session, principal, result_id)
            result = await self._withdraw(
                session, principal, row, reason, statement, grounds, now, "WithdrawResult"
            )
        self.runtime.relay.notify()
        return domain.tombstone(result)

    async def _withdraw(
        self,
        session: AsyncSession,
        principal: Principal | None,
        row: ResultRow,
        reason: int,
        statement: str,
        grounds: dt.date | None,
        now: dt.datetime,
        operation: str,
    ) -> pb.Result:
        result = pb.Result.FromString(row.doc)
        if row.status == pb.RESULT_STATUS_WITHDRAWN:
            return result  # a retried withdrawal changes nothing
        if row.status not in domain.PUBLIC_STATUSES:
            raise FailedPrecondition(
                f"result {row.id} is {pb.ResultStatus.Name(row.status)}; only a published record is withdrawn"
            )
        policy = self._policy(row)
        before = row.doc
        result.status = pb.RESULT_STATUS_WITHDRAWN
        result.withdrawn_at = result.updated_at = isoformat(now)
        result.withdrawal_reason = domain.withdrawal_code(reason)
        result.withdrawal_statement = domain.redact(policy.masking, statement, field="withdrawal_statement")[
            0
        ]
        if grounds is not None:
            result.withdrawal_grounds_date = grounds.isoformat()
            domain.set_withdrawal_deadline(
                result, self.calendar.deadline(grounds, policy.withdrawal_working_days)
            )
        tombstone = domain.tombstone(result)
        await self._change(
            session,
            principal,
            row,
            before,
            result,
            kind="withdrawn",
            reason=f"{result.withdrawal_reason}: {result.withdrawal_statement}",
            operation=operation,
            event=ev.Event(
                ev.subject(SERVICE, "withdrawn", row.agency_code),
                pb.ResultWithdrawn(
                    result_id=row.id,
                    agency_code=row.agency_code,
                    document_number=row.document_number,
                    reason=result.withdrawal_reason,
                    statement=result.withdrawal_statement,
                    withdrawn_at=result.withdrawn_at,
                    tombstone=tombstone,
                ),
            ),
            now=now,
        )
        return result

    def _add_working_days(self, start: dt.date, days: int) -> dt.date:
        return self.calendar.deadline(start, days).day

    # ------------------------------------------------------------ under appeal

    async def set_under_appeal(
        self, principal: Principal | None, result_id: str, under_appeal: bool, note: str
    ) -> pb.Result:
        if len(note) > limits.SHORT_TEXT:
            raise invalid("note", f"is longer than {limits.SHORT_TEXT} characters")
        now, _ = self._now()
        async with self.db.transaction("results.appeal") as session:
            row = await self._writable(session, principal, result_id)
            if row.status not in domain.PUBLIC_STATUSES:
                raise FailedPrecondition(f"result {result_id} is not published")
            result = pb.Result.FromString(row.doc)
            note = note if under_appeal else ""
            if (result.under_appeal, result.appeal_note) == (under_appeal, note):
                return result
            before = row.doc
            result.under_appeal, result.appeal_note = under_appeal, note
            result.updated_at = isoformat(now)
            change = "appeal_flagged" if under_appeal else "appeal_cleared"
            await self._change(
                session,
                principal,
                row,
                before,
                result,
                kind=change,
                reason=note,
                operation="SetUnderAppeal",
                event=ev.Event(
                    ev.subject(SERVICE, "annotated", row.agency_code), pb.ResultAnnotated(change=change)
                ),
                now=now,
            )
        self.runtime.relay.notify()
        return result

    # ------------------------------------------------------------ right of reply

    async def submit_reply(self, result_id: str, text: str, contact: str) -> pb.Reply:
        violations = []
        if not text.strip():
            violations.append(FieldViolation("text", "is required"))
        elif len(text) > limits.MAX_REPLY_CHARS:
            violations.append(
                FieldViolation(
                    "text", f"is {len(text)} characters long; the limit is {limits.MAX_REPLY_CHARS}"
                )
            )
        if len(contact) > limits.SHORT_TEXT:
            violations.append(FieldViolation("contact", f"is longer than {limits.SHORT_TEXT} characters"))
        if violations:
            raise InvalidArgument(violations)
        now, _ = self._now()
        async with self.db.transaction("results.reply") as session:
            row = await session.get(ResultRow, result_id)
            if row is None or not row.public:
                raise NotFound(f"no public result with id {result_id}")
            waiting = await session.scalar(
                select(func.count())
                .select_from(ReplyRow)
                .where(ReplyRow.result_id == result_id, ReplyRow.status == pb.REPLY_STATUS_SUBMITTED)
            )
            if waiting >= limits.MAX_PENDING_REPLIES:
                raise ResourceExhausted(
                    f"{waiting} replies to this record already await moderation; try again after the agency "
                    "has decided them"
                )
            masked = await self._mask_free_text(session, row, text, "reply")
            reply = ReplyRow(
                id=new_id(),
                result_id=result_id,
                agency_code=row.agency_code,
                text=masked,
                contact=contact,
                status=pb.REPLY_STATUS_SUBMITTED,
                submitted_at=now,
            )
            session.add(reply)
            audit.record(
                session,
                None,
                operation="SubmitReply",
                record_type="reply",
                record_id=reply.id,
                before=None,
                after=masked.encode(),
                now=now,
            )
        return _reply_message(reply)

    async def _mask_free_text(self, session: AsyncSession, row: ResultRow, text: str, field_name: str) -> str:
        private = await session.get(ResultPrivateRow, row.id)
        decision = pb.Decision.FromString(private.decision) if private else pb.Decision()
        return domain.mask_added_text(decision, self._policy(row).masking, text, field_name)

    async def moderate_reply(
        self, principal: Principal | None, reply_id: str, approve: bool, reason: str
    ) -> pb.Reply:
        if len(reason) > limits.MEDIUM_TEXT:
            raise invalid("reason", f"is longer than {limits.MEDIUM_TEXT} characters")
        if not approve and not reason.strip():
            raise invalid("reason", "is required when a reply is rejected")
        now, _ = self._now()
        async with self.db.transaction("results.moderate_reply") as session:
            reply = await session.get(ReplyRow, reply_id)
            if reply is None:
                raise NotFound(f"no reply with id {reply_id}")
            require_agency_writer(principal, reply.agency_code)
            if reply.status != pb.REPLY_STATUS_SUBMITTED:
                raise FailedPrecondition(f"reply {reply_id} was already decided")
            reply.status = pb.REPLY_STATUS_APPROVED if approve else pb.REPLY_STATUS_REJECTED
            reply.decided_at, reply.decision_reason = now, reason
            session.add(reply)
            if approve:
                row = await session.get(ResultRow, reply.result_id)
                if row is None or not row.public:
                    raise FailedPrecondition("the record is no longer published; its reply cannot be shown")
                result = pb.Result.FromString(row.doc)
                before = row.doc
                result.reply_text, result.reply_at = reply.text, isoformat(now)
                result.updated_at = isoformat(now)
                await self._change(
                    session,
                    principal,
                    row,
                    before,
                    result,
                    kind="reply_approved",
                    reason="",
                    operation="ModerateReply",
                    event=ev.Event(
                        ev.subject(SERVICE, "annotated", row.agency_code),
                        pb.ResultAnnotated(change="reply_approved"),
                    ),
                    now=now,
                )
            else:
                audit.record(
                    session,
                    principal,
                    operation="ModerateReply",
                    record_type="reply",
                    record_id=reply.id,
                    before=None,
                    after=reason.encode(),
                    now=now,
                )
        self.runtime.relay.notify()
        return _reply_message(reply)

    async def list_replies(
        self, principal: Principal | None, request: pb.ListRepliesRequest
    ) -> pb.ListRepliesResponse:
        agency_code = request.agency_code or (principal.agency_code if principal else "")
        require_agency_writer(principal, agency_code)
        rows, token = await _page(
            self.db,
            ReplyRow,
            request.page,
            ReplyRow.agency_code == agency_code,
            request.status,
            ReplyRow.status,
        )
        return pb.ListRepliesResponse(replies=[_reply_message(r) for r in rows], next_page_token=token)

    # ------------------------------------------------------------ credit repair

    async def apply_for_repair(self, request: pb.ApplyForRepairRequest) -> pb.RepairApplication:
        violations = []
        for name, limit in (
            ("applicant_name", limits.SHORT_TEXT),
            ("correction_proof", limits.MEDIUM_TEXT),
            ("credit_commitment", limits.MEDIUM_TEXT),
        ):
            value = getattr(request, name)
            if not value.strip():
                violations.append(FieldViolation(name, "is required (DOMAIN.md G5)"))
            elif len(value) > limit:
                violations.append(FieldViolation(name, f"is longer than {limit} characters"))
        for name in ("uscc", "contact"):
            if len(getattr(request, name)) > limits.SHORT_TEXT:
                violations.append(FieldViolation(name, f"is longer than {limits.SHORT_TEXT} characters"))
        if violations:
            raise InvalidArgument(violations)
        now, today = self._now()
        async with self.db.transaction("results.apply_for_repair") as session:
            row = await session.get(ResultRow, request.result_id)
            if row is None or not row.public:
                raise NotFound(f"no public result with id {request.result_id}")
            result = pb.Result.FromString(row.doc)
            refusal = domain.repair_refusal(result, today)
            if refusal:
                raise FailedPrecondition(refusal)
            open_application = (
                await session.exec(
                    select(RepairRow.id).where(
                        RepairRow.result_id == row.id, RepairRow.status == pb.REPAIR_STATUS_SUBMITTED
                    )
                )
            ).first()
            if open_application:
                raise AlreadyExists(
                    f"application {open_application} for this record awaits the agency's decision"
                )
            policy = self._policy(row)
            application = RepairRow(
                id=new_id(),
                result_id=row.id,
                agency_code=row.agency_code,
                status=pb.REPAIR_STATUS_SUBMITTED,
                applicant_name=request.applicant_name,
                uscc=request.uscc,
                contact=request.contact,
                correction_proof=request.correction_proof,
                credit_commitment=request.credit_commitment,
                submitted_at=now,
                decision_due=self._add_working_days(today, policy.repair_decision_working_days).isoformat(),
                eligible_from=result.repair_eligible_from,
            )
            session.add(application)
            audit.record(
                session,
                None,
                operation="ApplyForRepair",
                record_type="repair_application",
                record_id=application.id,
                before=None,
                after=request,
                now=now,
            )
        return _repair_message(application)

    async def decide_repair(
        self, principal: Principal | None, application_id: str, grant: bool, reason: str
    ) -> pb.RepairApplication:
        if not reason.strip():
            raise invalid("reason", "is required: the applicant is told why")
        if len(reason) > limits.MEDIUM_TEXT:
            raise invalid("reason", f"is longer than {limits.MEDIUM_TEXT} characters")
        now, _ = self._now()
        async with self.db.transaction("results.decide_repair") as session:
            application = await session.get(RepairRow, application_id)
            if application is None:
                raise NotFound(f"no repair application with id {application_id}")
            require_agency_writer(principal, application.agency_code)
            if application.status != pb.REPAIR_STATUS_SUBMITTED:
                raise FailedPrecondition(f"application {application_id} was already decided")
            application.status = pb.REPAIR_STATUS_GRANTED if grant else pb.REPAIR_STATUS_REFUSED
            application.decided_at, application.decision_reason = now, reason
            session.add(application)
            if grant:
                row = await session.get(ResultRow, application.result_id)
                if row is None or not row.public:
                    raise FailedPrecondition("the record is no longer published; there is nothing to repair")
                await self._end_publication(
                    session,
                    principal,
                    row,
                    pb.RESULT_STATUS_REPAIRED,
                    kind="repaired",
                    reason=f"credit repair {application.id}",
                    operation="DecideRepair",
                    message=pb.ResultRepaired(
                        result_id=row.id,
                        agency_code=row.agency_code,
                        document_number=row.document_number,
                        application_id=application.id,
                        reason=reason,
                        repaired_at=isoformat(now),
                    ),
                    now=now,
                )
            else:
                audit.record(
                    session,
                    principal,
                    operation="DecideRepair",
                    record_type="repair_application",
                    record_id=application.id,
                    before=None,
                    after=reason.encode(),
                    now=now,
                )
        self.runtime.relay.notify()
        return _repair_message(application)

    async def get_repair(self, application_id: str) -> pb.RepairApplication:
        async with self.db.reader() as session:
            application = await session.get(RepairRow, application_id)
        if application is None:
            raise NotFound(f"no repair application with id {application_id}")
        return _repair_message(application)

    async def list_repairs(
        self, principal: Principal | None, request: pb.ListRepairApplicationsRequest
    ) -> pb.ListRepairApplicationsResponse:
        agency_code = request.agency_code or (principal.agency_code if principal else "")
        require_agency_writer(principal, agency_code)
        rows, token = await _page(
            self.db,
            RepairRow,
            request.page,
            RepairRow.agency_code == agency_code,
            request.status,
            RepairRow.status,
        )
        return pb.ListRepairApplicationsResponse(
            applications=[_repair_message(r) for r in rows], next_page_token=token
        )

    # ------------------------------------------------------------ objections decided in feedback

    async def apply_objection(
        self, session: AsyncSession, event: feedback_pb2.ObjectionDecided, event_id: str
    ) -> None:
        """CORRECT: a new version with the corrected facts/conclusion; WITHDRAW:
        a withdrawal with reason "error"; KEEP: nothing changes here."""
        if event.outcome not in (
            feedback_pb2.OBJECTION_OUTCOME_CORRECT,
            feedback_pb2.OBJECTION_OUTCOME_WITHDRAW,
        ):
            return
        row = await session.get(ResultRow, event.result_id)
        if row is None or row.agency_code != event.agency_code:
            log.warning(
                "objection %s names result %s of no such agency's record", event.feedback_id, event.result_id
            )
            return
        if row.status not in domain.PUBLIC_STATUSES:
            log.info(
                "objection %s: result %s is no longer published; nothing to apply", event.feedback_id, row.id
            )
            return
        principal = Principal(f"event:{event_id}"[:40], 0, event.agency_code)
        now, _ = self._now()
        reason = event.reason.strip() or "更正 (objection upheld)"
        if event.outcome == feedback_pb2.OBJECTION_OUTCOME_WITHDRAW:
            await self._withdraw(
                session, principal, row, pb.WITHDRAWAL_REASON_ERROR, reason, None, now, "ObjectionDecided"
            )
            return
        private = await session.get(ResultPrivateRow, row.id)
        decision = pb.Decision.FromString(private.decision)
        if event.corrected_facts:
            decision.facts = event.corrected_facts
        if event.corrected_conclusion:
            decision.conclusion = event.corrected_conclusion
        try:
            domain.validate_decision(decision, now.astimezone(CHINA_TZ).date())
        except InvalidArgument as exc:
            # A bad correction from feedback cannot be fixed by retrying: record it and move on.
            log.warning("objection %s: corrected decision refused: %s", event.feedback_id, exc.message)
            return
        await self._correct(
            session, principal, row, decision, reason[: limits.MEDIUM_TEXT], now, "ObjectionDecided"
        )

    # ------------------------------------------------------------ background scans

    async def run_scans(self) -> None:
        """The background job: provisional deadlines revised when holiday data
        arrives, then overdue and expiry scans by the process clock."""
        watch = holidays.CalendarWatch()
        while True:
            try:
                # New holiday data first: an overdue alert must use the revised deadline.
                years = watch.years_to_revise()
                if years:
                    await revision.revise(self, min(years))
                    watch.done()
                await self.scan_overdue()
                await self.scan_expired()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("results scan failed: %r; retrying", exc)
            await asyncio.sleep(self.scan_seconds)

    async def scan_overdue(self) -> int:
        """Raise ResultOverdue, once, for each registered decision still
        unpublished after its deadline (DOMAIN.md (d)1: at deadline + 1)."""
        raised = 0
        while True:
            now, today = self._now()
            async with self.db.transaction("results.scan_overdue") as session:
                rows = (
                    await session.exec(
                        select(ResultRow)
                        .where(
                            ResultRow.status == pb.RESULT_STATUS_PENDING,
                            ResultRow.publish_deadline != "",
                            ResultRow.publish_deadline < today.isoformat(),
                            ResultRow.overdue_at.is_(None),
                        )
                        .limit(SCAN_BATCH)
                    )
                ).all()
                for row in rows:
                    deadline = dt.date.fromisoformat(row.publish_deadline)
                    late, estimated = self.calendar.working_days_between_estimate(deadline, today)
                    provisional = estimated or not self.calendar.covers(deadline)
                    enqueue(
                        session,
                        ev.Event(
                            ev.subject(SERVICE, "overdue", row.agency_code),
                            pb.ResultOverdue(
                                result_id=row.id,
                                agency_code=row.agency_code,
                                document_number=row.document_number,
                                category=row.category,
                                decision_date=row.decision_date,
                                publish_deadline=row.publish_deadline,
                                detected_at=isoformat(now),
                                working_days_overdue=late,
                                deadline_provisional=provisional,
                            ),
                        ),
                        source=SERVICE,
                        now=now,
                    )
                    row.overdue_at = now
                    session.add(row)
                    audit.record(
                        session,
                        OVERDUE_JOB,
                        operation="ResultOverdue",
                        record_type="result",
                        record_id=row.id,
                        before=None,
                        after=None,
                        now=now,
                    )
            raised += len(rows)
            if rows:
                self.runtime.relay.notify()
            if len(rows) < SCAN_BATCH:
                return raised

    async def scan_expired(self) -> int:
        """On its publicity end date a record stops being public (G7)."""
        expired = 0
        while True:
            now, today = self._now()
            async with self.db.reader() as session:
                due = (
                    await session.exec(
                        select(ResultRow.id, ResultRow.agency_code)
                        .where(
                            ResultRow.public.is_(True),
                            ResultRow.publicity_end != "",
                            ResultRow.publicity_end <= today.isoformat(),
                        )
                        .limit(SCAN_BATCH)
                    )
                ).all()
            by_agency: dict[str, list[str]] = {}
            for result_id, agency_code in due:
                by_agency.setdefault(agency_code, []).append(result_id)
            for ids in by_agency.values():
                async with self.db.transaction("results.expire") as session:
                    for result_id in ids:
                        row = await session.get(ResultRow, result_id)
                        if (
                            row is None
                            or not row.public
                            or not row.publicity_end
                            or row.publicity_end > today.isoformat()
                        ):
                            continue
                        await self._end_publication(
                            session,
                            EXPIRY_JOB,
                            row,
                            pb.RESULT_STATUS_EXPIRED,
                            kind="expired",
                            reason=f"publicity period ended {row.publicity_end}",
                            operation="ResultExpired",
                            message=pb.ResultExpired(
                                result_id=row.id,
                                agency_code=row.agency_code,
                                document_number=row.document_number,
                                publicity_end=row.publicity_end,
                                expired_at=isoformat(now),
                            ),
                            now=now,
                        )
                        expired += 1
            if due:
                self.runtime.relay.notify()
            if len(due) < SCAN_BATCH:
                return expired


_REASONS = [domain.withdrawal_code(v) for v in pb.WithdrawalReason.values() if v]


def _require_text(field_name: str, value: str, limit: int) -> None:
    if not value.strip():
        raise invalid(field_name, "is required")
    if len(value) > limit:
        raise invalid(field_name, f"is {len(value)} characters long; the limit is {limit}")


async def _page(db, model, page, owner_filter, status: int, status_column):
    """Newest first by id (ids are time-ordered); the token is the last id seen."""
    size = page.page_size or limits.DEFAULT_PAGE_SIZE
    if not 0 < size <= limits.MAX_PAGE_SIZE:
        raise invalid("page.page_size", f"must be between 1 and {limits.MAX_PAGE_SIZE}")
    filters = [owner_filter]
    if status:
        filters.append(status_column == status)
    if page.page_token:
        filters.append(model.id < page.page_token)
    async with db.reader() as session:
        rows = (
            await session.exec(select(model).where(*filters).order_by(model.id.desc()).limit(size + 1))
        ).all()
    token = rows[size - 1].id if len(rows) > size else ""
    return rows[:size], token


def _reply_message(row: ReplyRow) -> pb.Reply:
    return pb.Reply(
        id=row.id,
        result_id=row.result_id,
        agency_code=row.agency_code,
        text=row.text,
        status=row.status,
        submitted_at=_stamp(row.submitted_at),
        decided_at=_stamp(row.decided_at),
        decision_reason=row.decision_reason,
    )


def _repair_message(row: RepairRow) -> pb.RepairApplication:
    return pb.RepairApplication(
        id=row.id,
        result_id=row.result_id,
        agency_code=row.agency_code,
        status=row.status,
        submitted_at=_stamp(row.submitted_at),
        decision_due=row.decision_due,
        decided_at=_stamp(row.decided_at),
        decision_reason=row.decision_reason,
        eligible_from=row.eligible_from,
    )


def _stamp(instant: dt.datetime | None) -> str:
    # SQLite hands datetimes back without their zone; they were stored as UTC.
    if instant is None:
        return ""
    return isoformat(instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC))

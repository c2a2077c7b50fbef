"""The agency's workflow on a case: accept or reject, transfer, reply,
extend the deadline, close, decide an objection."""

from __future__ import annotations

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain
from services.feedback.changes import FeedbackBase, PendingEvent
from services.feedback.domain import Case
from services.feedback.models import FeedbackRow, ReplyRow
from services.feedback.unit_of_work import FeedbackUnitOfWork
from services.runtime import limits
from services.runtime.auth import Principal
from services.runtime.clock import isoformat
from services.runtime.errors import invalid
from services.runtime.ids import new_id


class AgencyWorkflow(FeedbackBase):
    async def accept(self, principal: Principal | None, feedback_id: str, note: str) -> pb.AgencyFeedback:
        _check_note(note)

        async def change(uow, row, case: Case) -> list[PendingEvent] | None:
            if not case.accept(uow.now, self.calendar, note.strip()):
                return None
            return [("accepted", case.agency_code, lambda p: pb.FeedbackAccepted(feedback=p))]

        return await self._agency_write(principal, feedback_id, "AcceptFeedback", change)

    async def reject(self, principal: Principal | None, feedback_id: str, reason: str) -> pb.AgencyFeedback:
        async def change(uow, row, case: Case) -> list[PendingEvent] | None:
            if not case.reject(reason, uow.now):
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
        async def change(uow, row, case: Case) -> list[PendingEvent] | None:
            if to_agency and await uow.copies.agency(to_agency) is None:
                raise invalid("to_agency_code", f"no agency with code {to_agency} is known")
            previous = case.transfer(to_agency, reason, uow.now, self.calendar)
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

        async def change(uow, row, case: Case) -> list[PendingEvent] | None:
            replies = (await uow.cases.bundle(row)).replies
            if replies and replies[-1].text == text.strip() and case.status == pb.FEEDBACK_STATUS_REPLIED:
                return None  # a retried call
            case.reply(uow.now)
            reply = await self._add_reply(uow, row, text)
            return [
                (
                    "replied",
                    case.agency_code,
                    lambda p: pb.FeedbackReplied(feedback=p, reply=_reply_of(p, reply.id)),
                )
            ]

        return await self._agency_write(principal, feedback_id, "ReplyFeedback", change)

    async def _add_reply(self, uow: FeedbackUnitOfWork, row: FeedbackRow, text: str) -> ReplyRow:
        names, values = await self._private_names(uow, row)
        reply = ReplyRow(
            id=new_id(),
            feedback_id=row.id,
            agency_code=row.agency_code,
            text=text.strip(),
            text_public=self._mask(text.strip(), names, values),
            replied_at=uow.now,
            moderation=pb.MODERATION_STATE_VISIBLE,
        )
        uow.cases.add_reply(reply)
        return reply

    async def extend(
        self, principal: Principal | None, request: pb.ExtendDeadlineRequest
    ) -> pb.AgencyFeedback:
        async def change(uow, row, case: Case) -> list[PendingEvent] | None:
            case.extend(
                request.days, request.reason, request.approval_ref, request.approver, uow.now, self.calendar
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

        async def change(uow, row, case: Case) -> list[PendingEvent] | None:
            if not case.close(uow.now, note.strip()):
                return None
            return [("closed", case.agency_code, lambda p: pb.FeedbackClosed(feedback=p))]

        return await self._agency_write(principal, feedback_id, "CloseFeedback", change)

    async def decide_objection(
        self, principal: Principal | None, request: pb.DecideObjectionRequest
    ) -> pb.AgencyFeedback:
        async def change(uow, row, case: Case) -> list[PendingEvent] | None:
            corrected = (request.corrected_facts.strip(), request.corrected_conclusion.strip())
            case.decide_objection(request.outcome, request.reason, corrected, uow.now)
            reason = request.reason.strip()
            reply = await self._add_reply(uow, row, f"{domain.outcome_label(request.outcome)}：{reason}")
            names, values = await self._private_names(uow, row)
            decided = pb.ObjectionDecided(
                feedback_id=row.id,
                agency_code=row.agency_code,
                result_id=row.target_id,
                outcome=request.outcome,
                reason=self._mask(reason, names, values),
                corrected_facts=self._mask(corrected[0], names, values),
                corrected_conclusion=self._mask(corrected[1], names, values),
                decided_at=isoformat(uow.now),
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


def _reply_of(public: pb.PublicFeedback, reply_id: str) -> pb.PublicReply:
    return next(r for r in public.replies if r.id == reply_id)


def _check_note(note: str) -> None:
    if len(note) > limits.MEDIUM_TEXT:
        raise invalid("note", f"is {len(note)} characters long; the limit is {limits.MEDIUM_TEXT}")

"""The right of reply: the party named in a record submits a reply (masked
like the record), the agency moderates it, an approved reply is shown with
the record.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.changes import SERVICE, LifecycleBase
from services.results.models import ReplyRow, ResultPrivateRow, ResultRow
from services.results.queues import decide, page_queue, stamp
from services.runtime import audit, limits
from services.runtime import events as ev
from services.runtime.auth import Principal
from services.runtime.clock import isoformat
from services.runtime.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    ResourceExhausted,
    invalid,
)
from services.runtime.ids import new_id


class Replies(LifecycleBase):
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
            reply = await decide(
                session,
                principal,
                ReplyRow,
                reply_id,
                names=("reply", "reply"),
                submitted=pb.REPLY_STATUS_SUBMITTED,
                status=pb.REPLY_STATUS_APPROVED if approve else pb.REPLY_STATUS_REJECTED,
                reason=reason,
                now=now,
            )
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
        return _reply_message(reply)

    async def list_replies(
        self, principal: Principal | None, request: pb.ListRepliesRequest
    ) -> pb.ListRepliesResponse:
        found = await page_queue(self.db, principal, request, ReplyRow)
        return pb.ListRepliesResponse(
            replies=[_reply_message(r) for r in found.rows], next_page_token=found.next_page_token
        )


def _reply_message(row: ReplyRow) -> pb.Reply:
    return pb.Reply(
        id=row.id,
        result_id=row.result_id,
        agency_code=row.agency_code,
        text=row.text,
        status=row.status,
        submitted_at=stamp(row.submitted_at),
        decided_at=stamp(row.decided_at),
        decision_reason=row.decision_reason,
    )

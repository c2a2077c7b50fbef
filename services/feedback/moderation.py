"""Moderation: anyone may flag a text or a reply (rate-limited per client);
the agency reviews what was flagged, hiding or restoring it."""

from __future__ import annotations

import datetime as dt

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain
from services.feedback.changes import FeedbackBase, PendingEvent, duration, load_case
from services.feedback.domain import Case
from services.feedback.models import FlagRow, ReplyRow
from services.feedback.unit_of_work import FeedbackUnitOfWork
from services.runtime import limits
from services.runtime.auth import Principal
from services.runtime.errors import NotFound, ResourceExhausted, invalid

TEXT_ITEM = "text"  # FlagRow.item for the feedback text; replies use their id


class Moderation(FeedbackBase):
    async def flag(
        self, feedback_id: str, reply_id: str, reason: str, client_address: str
    ) -> pb.FlagContentResponse:
        if len(reason) > limits.MEDIUM_TEXT:
            raise invalid("reason", f"is {len(reason)} characters long; the limit is {limits.MEDIUM_TEXT}")
        now = self.now()
        client = self.client_hash(client_address)
        item = reply_id or TEXT_ITEM
        async with self.units.writing("feedback.flag", now) as uow:
            cases = uow.cases
            row = await load_case(cases, feedback_id, for_update=True)
            reply = await _reply_of_case(uow, row.id, reply_id) if reply_id else None
            state = reply.moderation if reply else row.text_moderation
            if await cases.has_flag(row.id, item, client):
                return pb.FlagContentResponse(counted=False, moderation=state)
            since = now - dt.timedelta(seconds=limits.FEEDBACK_FLAGS_PER_CLIENT_WINDOW_SECONDS)
            if await cases.flags_from_client_since(client, since) >= limits.FEEDBACK_FLAGS_PER_CLIENT:
                raise ResourceExhausted(
                    f"too many flags from your address: at most {limits.FEEDBACK_FLAGS_PER_CLIENT} per "
                    f"{duration(limits.FEEDBACK_FLAGS_PER_CLIENT_WINDOW_SECONDS)}; please try again later"
                )
            before = (await cases.bundle(row)).public()
            cases.add_flag(
                FlagRow(
                    feedback_id=row.id, item=item, client_hash=client, reason=reason.strip(), flagged_at=now
                )
            )
            if reply is not None:
                reply.flags += 1
                reply.moderation = state = domain.moderation_after_flag(
                    state, reply.flags, self.config.flags_to_hide
                )
                cases.save_reply(reply)
            else:
                row.text_flags += 1
                row.text_moderation = state = domain.moderation_after_flag(
                    state, row.text_flags, self.config.flags_to_hide
                )
            row.version += 1
            row.updated_at = now
            cases.save(row)
            after = (await cases.bundle(row)).public()
            uow.audit(None, operation="FlagContent", record_id=row.id, before=before, after=after)
        return pb.FlagContentResponse(counted=True, moderation=state)

    async def review_flagged(
        self, principal: Principal | None, feedback_id: str, reply_id: str, restore: bool
    ) -> pb.AgencyFeedback:
        async def change(uow, row, case: Case) -> list[PendingEvent] | None:
            if reply_id:
                reply = await _reply_of_case(uow, row.id, reply_id)
                reply.moderation = domain.moderation_after_review(reply.moderation, restore)
                reply.flags = 0 if restore else reply.flags
                uow.cases.save_reply(reply)
            else:
                row.text_moderation = domain.moderation_after_review(row.text_moderation, restore)
                row.text_flags = 0 if restore else row.text_flags
            return []

        return await self._agency_write(principal, feedback_id, "ReviewFlagged", change)


async def _reply_of_case(uow: FeedbackUnitOfWork, feedback_id: str, reply_id: str) -> ReplyRow:
    reply = await uow.cases.reply(reply_id)
    if reply is None or reply.feedback_id != feedback_id:
        raise NotFound(f"feedback {feedback_id} has no reply {reply_id}")
    return reply

"""Moderation: anyone may flag a text or a reply (rate-limited per client);
the agency reviews what was flagged, hiding or restoring it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlmodel import select

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain, store
from services.feedback.changes import FeedbackBase, PendingEvent, duration
from services.feedback.domain import Case
from services.feedback.models import FlagRow, ReplyRow
from services.runtime import audit, limits
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
                    f"{duration(limits.FEEDBACK_FLAGS_PER_CLIENT_WINDOW_SECONDS)}; please try again later"
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

"""What a submitter does with a tracking key: follow the case, add
information, rate the answer, reopen it."""

from __future__ import annotations

from collections.abc import Sequence

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain
from services.feedback.changes import FeedbackBase, PendingEvent, find_by_key
from services.feedback.domain import Case
from services.feedback.models import AdditionRow


class Citizen(FeedbackBase):
    async def track(self, key: pb.TrackingKey) -> pb.TrackedFeedback:
        async with self.units.reading() as uow:
            row, submission = await find_by_key(uow.cases, key)
            return await self._tracked(uow.cases, row, submission)

    async def add_information(
        self, key: pb.TrackingKey, text: str, uploads: Sequence[pb.AttachmentUpload]
    ) -> pb.TrackedFeedback:
        domain.validate_addition(text, uploads)

        async def change(uow, row, submission, case: Case) -> list[PendingEvent]:
            case.require_open_for_information()
            addition = AdditionRow(
                feedback_id=row.id, submission_id=submission.id, text=text.strip(), added_at=uow.now
            )
            await uow.cases.add_addition(addition)
            self._store_attachments(uow.cases, row.id, addition.id, uploads, uow.now)
            return []

        return await self._citizen_write(key, "AddInformation", change)

    async def rate(self, key: pb.TrackingKey, rating: int, comment: str) -> pb.TrackedFeedback:
        async def change(uow, row, submission, case: Case) -> list[PendingEvent]:
            case.rate(rating, comment)
            return []

        return await self._citizen_write(key, "RateAnswer", change)

    async def reopen(self, key: pb.TrackingKey, reason: str) -> pb.TrackedFeedback:
        async def change(uow, row, submission, case: Case) -> list[PendingEvent]:
            case.reopen(reason, uow.now, self.calendar)
            return [("reopened", case.agency_code, lambda p: pb.FeedbackReopened(feedback=p))]

        return await self._citizen_write(key, "ReopenFeedback", change)

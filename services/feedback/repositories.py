"""The repositories of the real unit of work (unit_of_work.py) over one async
session: the SQL the use cases load and save with. Loading a case with its
parts is store.py's, shared with the reads (queries.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain, store
from services.feedback.models import (
    AdditionRow,
    AgencyCopy,
    AttachmentRow,
    FeedbackRow,
    FlagRow,
    HistoryRow,
    RecordCopy,
    ReplyRow,
    SubmissionRow,
)


class SessionCases:
    def __init__(self, session: AsyncSession, *, skip_locked: bool = False) -> None:
        self.session = session
        self.skip_locked = skip_locked

    async def get(self, feedback_id: str, *, for_update: bool = False) -> FeedbackRow | None:
        return await self.session.get(FeedbackRow, feedback_id, with_for_update=for_update or None)

    def add(self, row: FeedbackRow) -> None:
        self.session.add(row)

    def save(self, row: FeedbackRow) -> None:
        self.session.add(row)

    async def bundle(self, row: FeedbackRow) -> store.CaseBundle:
        return await store.bundle(self.session, row)

    async def duplicate_of(
        self, text_digest: str, target_type: int, target_id: str, target_agency_code: str, since: dt.datetime
    ) -> FeedbackRow | None:
        """The first case with this text about this target received after `since`,
        locked: two copies of one submission arriving together link, not open two."""
        query = (
            select(FeedbackRow)
            .where(
                FeedbackRow.text_digest == text_digest,
                FeedbackRow.received_at > since,
                FeedbackRow.target_type == target_type,
                FeedbackRow.target_id == target_id,
                FeedbackRow.target_agency_code == target_agency_code,
            )
            .order_by(FeedbackRow.received_at)
            .limit(1)
            .with_for_update()
        )
        return (await self.session.exec(query)).first()

    async def overdue_candidates(self, today: dt.date, limit: int) -> list[FeedbackRow]:
        """Cases whose acceptance or conclusion deadline passed before `today` and is not
        marked yet (the domain's Case.acceptance_overdue / conclusion_overdue, in SQL)."""
        day = today.isoformat()
        acceptance = (
            (FeedbackRow.status == pb.FEEDBACK_STATUS_RECEIVED)
            & (FeedbackRow.is_objection.is_(False))
            & (FeedbackRow.acceptance_overdue_at.is_(None))
            & (FeedbackRow.acceptance_due < day)
        )
        conclusion = (
            FeedbackRow.status.in_([*domain.CONCLUSION_CLOCK_STATUSES, pb.FEEDBACK_STATUS_RECEIVED])
            & (FeedbackRow.conclusion_overdue_at.is_(None))
            & (FeedbackRow.conclusion_due.is_not(None))
            & (FeedbackRow.conclusion_due < day)
        )
        query = select(FeedbackRow).where(or_(acceptance, conclusion)).order_by(FeedbackRow.id).limit(limit)
        if self.skip_locked:
            query = query.with_for_update(skip_locked=True)
        return list((await self.session.exec(query)).all())

    async def submissions(self, feedback_id: str) -> list[SubmissionRow]:
        return await store.submissions(self.session, feedback_id)

    async def add_submission(self, submission: SubmissionRow) -> None:
        self.session.add(submission)
        await self.session.flush()  # its id, for an addition that carries the submission's files

    async def submissions_from_client_since(self, client_hash: str, since: dt.datetime) -> int:
        return await self._count_submissions(SubmissionRow.client_hash == client_hash, since)

    async def submissions_about_target_since(self, target_key: str, since: dt.datetime) -> int:
        return await self._count_submissions(SubmissionRow.target_key == target_key, since)

    async def _count_submissions(self, condition, since: dt.datetime) -> int:
        return await self.session.scalar(
            select(func.count())
            .select_from(SubmissionRow)
            .where(condition, SubmissionRow.received_at > since)
        )

    async def reply(self, reply_id: str) -> ReplyRow | None:
        return await self.session.get(ReplyRow, reply_id)

    def add_reply(self, reply: ReplyRow) -> None:
        self.session.add(reply)

    def save_reply(self, reply: ReplyRow) -> None:
        self.session.add(reply)

    def add_history(self, entry: HistoryRow) -> None:
        self.session.add(entry)

    async def additions(self, feedback_id: str) -> list[AdditionRow]:
        return await store.additions(self.session, feedback_id)

    async def add_addition(self, addition: AdditionRow) -> None:
        self.session.add(addition)
        await self.session.flush()  # its id, which its attachments carry

    async def attachments(self, feedback_id: str) -> list[AttachmentRow]:
        return await store.attachments(self.session, feedback_id)

    def add_attachment(self, attachment: AttachmentRow) -> None:
        self.session.add(attachment)

    async def has_flag(self, feedback_id: str, item: str, client_hash: str) -> bool:
        count = await self.session.scalar(
            select(func.count())
            .select_from(FlagRow)
            .where(
                FlagRow.feedback_id == feedback_id, FlagRow.item == item, FlagRow.client_hash == client_hash
            )
        )
        return bool(count)

    async def flags_from_client_since(self, client_hash: str, since: dt.datetime) -> int:
        return await self.session.scalar(
            select(func.count())
            .select_from(FlagRow)
            .where(FlagRow.client_hash == client_hash, FlagRow.flagged_at > since)
        )

    def add_flag(self, flag: FlagRow) -> None:
        self.session.add(flag)


class SessionCopies:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def agency(self, code: str) -> AgencyCopy | None:
        return await self.session.get(AgencyCopy, code)

    async def record(self, kind: int, record_id: str, agency_code: str = "") -> RecordCopy | None:
        return await store.find_record(self.session, kind, record_id, agency_code)

    async def agency_lists_records(self, kind: int, agency_code: str) -> bool:
        return await store.agency_lists_records(self.session, kind, agency_code)

"""Loading a case with its parts, and the local copies (agencies and the
records feedback can be about), for handlers and queries alike."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import defer
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import views
from services.feedback.models import (
    AdditionRow,
    AgencyCopy,
    AttachmentRow,
    FeedbackRow,
    HistoryRow,
    RecordCopy,
    ReplyRow,
    SubmissionRow,
)
from services.runtime.errors import NotFound


@dataclass
class CaseBundle:
    row: FeedbackRow
    agency_name: str
    replies: list[ReplyRow]
    history: list[HistoryRow]

    def public(self) -> pb.PublicFeedback:
        return views.public_view(self.row, self.agency_name, self.replies, self.history)


async def load_row(session: AsyncSession, feedback_id: str, *, for_update: bool = False) -> FeedbackRow:
    row = await session.get(FeedbackRow, feedback_id, with_for_update=for_update or None)
    if row is None:
        raise NotFound(f"no feedback with tracking code {feedback_id}")
    return row


async def agency_name(session: AsyncSession, code: str) -> str:
    agency = await session.get(AgencyCopy, code)
    return agency.name if agency else ""


async def bundle(session: AsyncSession, row: FeedbackRow) -> CaseBundle:
    replies = (
        await session.exec(
            select(ReplyRow).where(ReplyRow.feedback_id == row.id).order_by(ReplyRow.replied_at, ReplyRow.id)
        )
    ).all()
    history = (
        await session.exec(select(HistoryRow).where(HistoryRow.feedback_id == row.id).order_by(HistoryRow.id))
    ).all()
    return CaseBundle(row, await agency_name(session, row.agency_code), list(replies), list(history))


async def submissions(session: AsyncSession, feedback_id: str) -> list[SubmissionRow]:
    query = select(SubmissionRow).where(SubmissionRow.feedback_id == feedback_id).order_by(SubmissionRow.id)
    return list((await session.exec(query)).all())


async def additions(session: AsyncSession, feedback_id: str) -> list[AdditionRow]:
    query = select(AdditionRow).where(AdditionRow.feedback_id == feedback_id).order_by(AdditionRow.id)
    return list((await session.exec(query)).all())


async def attachments(session: AsyncSession, feedback_id: str) -> list[AttachmentRow]:
    """Attachment metadata only: the bytes are read by GetAttachment alone."""
    query = (
        select(AttachmentRow)
        .where(AttachmentRow.feedback_id == feedback_id)
        .options(defer(AttachmentRow.data))
        .order_by(AttachmentRow.uploaded_at, AttachmentRow.id)
    )
    return list((await session.exec(query)).all())


async def agency_view(session: AsyncSession, case: CaseBundle) -> pb.AgencyFeedback:
    row = case.row
    return views.agency_view(
        case.public(),
        row,
        await submissions(session, row.id),
        case.replies,
        await additions(session, row.id),
        await attachments(session, row.id),
    )


async def find_record(
    session: AsyncSession, kind: int, record_id: str, agency_code: str = ""
) -> RecordCopy | None:
    if agency_code:
        return await session.get(RecordCopy, (kind, agency_code, record_id))
    query = select(RecordCopy).where(RecordCopy.kind == kind, RecordCopy.record_id == record_id)
    return (await session.exec(query)).first()


async def agency_lists_records(session: AsyncSession, kind: int, agency_code: str) -> bool:
    """Whether any record of this kind is known for the agency: once its list
    has arrived through events, an unknown id is a mistake, not a delay."""
    query = select(RecordCopy.record_id).where(RecordCopy.kind == kind, RecordCopy.agency_code == agency_code)
    return (await session.exec(query.limit(1))).first() is not None

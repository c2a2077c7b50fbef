"""Reads: the public view and list, the agency's inbox, attachments, and the
per-agency figures the gateway's statistics show."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, tuple_
from sqlmodel import select

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain, store, views
from services.feedback.handlers import FeedbackHandlers
from services.feedback.models import AgencyCopy, AttachmentRow, FeedbackRow, HistoryRow, ReplyRow
from services.runtime import paging
from services.runtime.auth import ROLE_AGENCY, Principal
from services.runtime.errors import NotFound, PermissionDenied, Unauthenticated, invalid

CLOSED_STATUSES = (pb.FEEDBACK_STATUS_REJECTED, pb.FEEDBACK_STATUS_CLOSED)


@dataclass
class FeedbackQueries:
    handlers: FeedbackHandlers

    @property
    def db(self):
        return self.handlers.db

    async def get_public(self, feedback_id: str) -> pb.PublicFeedback:
        async with self.db.reader() as session:
            row = await store.load_row(session, feedback_id)
            return (await store.bundle(session, row)).public()

    async def list_public(self, request: pb.ListFeedbackRequest) -> pb.ListFeedbackResponse:
        page_size = paging.page_size(request.page)
        filters = []
        if request.agency_code:
            filters.append(FeedbackRow.agency_code == request.agency_code)
        if request.status:
            filters.append(FeedbackRow.status == request.status)
        if request.category:
            filters.append(FeedbackRow.category == request.category)
        if request.target_type:
            filters.append(FeedbackRow.target_type == request.target_type)
        if request.target_id:
            filters.append(FeedbackRow.target_id == request.target_id)
        if request.open_only_set:
            closed = FeedbackRow.status.in_(CLOSED_STATUSES)
            filters.append(~closed if request.open_only else closed)
        for name, op in (("received_from", "__ge__"), ("received_to", "__le__")):
            value = getattr(request, name)
            if value:
                _check_date(name, value)
                filters.append(getattr(FeedbackRow.received_on, op)(value))
        items, next_token, total = await self._page(
            filters, request.page.page_token, page_size, self._public_of
        )
        return pb.ListFeedbackResponse(feedback=items, next_page_token=next_token, total=total)

    async def _public_of(self, session, row: FeedbackRow) -> pb.PublicFeedback:
        return (await store.bundle(session, row)).public()

    async def _page(self, filters, token: str, page_size: int, render):
        page_filters = list(filters)
        if token:
            received_at, feedback_id = _decode_cursor(token)
            # Newest first, then id: a stable order for cursor paging.
            page_filters.append(tuple_(FeedbackRow.received_at, FeedbackRow.id) < (received_at, feedback_id))
        query = (
            select(FeedbackRow)
            .where(*page_filters)
            .order_by(FeedbackRow.received_at.desc(), FeedbackRow.id.desc())
        )
        async with self.db.reader() as session:
            found = await paging.read_page(
                session, query, page_size, _encode_cursor, paging.count_of(FeedbackRow, filters)
            )
            items = [await render(session, row) for row in found.rows]
        return items, found.next_page_token, found.total

    # ------------------------------------------------------------ agencies

    async def list_agency(
        self, principal: Principal | None, request: pb.ListAgencyFeedbackRequest
    ) -> pb.ListAgencyFeedbackResponse:
        code = request.agency_code or (principal.agency_code if principal else "")
        require_agency_reader(principal, code)
        filters = [FeedbackRow.agency_code == code]
        if request.status:
            filters.append(FeedbackRow.status == request.status)
        if request.pending_review_only:
            filters.append(FeedbackRow.id.in_(await self._pending_review_ids(code)))

        async def render(session, row):
            return await store.agency_view(session, await store.bundle(session, row))

        items, next_token, total = await self._page(
            filters, request.page.page_token, paging.page_size(request.page), render
        )
        return pb.ListAgencyFeedbackResponse(feedback=items, next_page_token=next_token, total=total)

    async def _pending_review_ids(self, agency_code: str) -> list[str]:
        hidden = pb.MODERATION_STATE_HIDDEN_PENDING_REVIEW
        async with self.db.reader() as session:
            texts = (
                await session.exec(
                    select(FeedbackRow.id).where(
                        FeedbackRow.agency_code == agency_code, FeedbackRow.text_moderation == hidden
                    )
                )
            ).all()
            replies = (
                await session.exec(
                    select(ReplyRow.feedback_id)
                    .join(FeedbackRow, FeedbackRow.id == ReplyRow.feedback_id)
                    .where(FeedbackRow.agency_code == agency_code, ReplyRow.moderation == hidden)
                )
            ).all()
        return sorted({*texts, *replies})

    async def get_agency(self, principal: Principal | None, feedback_id: str) -> pb.AgencyFeedback:
        async with self.db.reader() as session:
            row = await store.load_row(session, feedback_id)
            require_agency_reader(principal, row.agency_code)
            return await store.agency_view(session, await store.bundle(session, row))

    async def attachment(
        self, principal: Principal | None, request: pb.GetAttachmentRequest
    ) -> pb.Attachment:
        async with self.db.reader() as session:
            if request.key.tracking_code or request.key.secret:
                row, _ = await self.handlers.by_key(session, request.key)
            else:
                row = await store.load_row(session, request.feedback_id)
                require_agency_reader(principal, row.agency_code)
            found = await session.get(AttachmentRow, request.attachment_id)
            if found is None or found.feedback_id != row.id:
                raise NotFound(f"feedback {row.id} has no attachment {request.attachment_id}")
            return pb.Attachment(info=views.attachment_info(found), data=found.data)

    # ------------------------------------------------------------ statistics

    async def statistics(self, request: pb.FeedbackStatisticsRequest) -> pb.FeedbackStatisticsResponse:
        filters = []
        if request.agency_code:
            filters.append(FeedbackRow.agency_code == request.agency_code)
        for name, op in (("received_from", "__ge__"), ("received_to", "__le__")):
            value = getattr(request, name)
            if value:
                _check_date(name, value)
                filters.append(getattr(FeedbackRow.received_on, op)(value))
        today = self.handlers.runtime.clock.today()
        columns = (
            FeedbackRow.id,
            FeedbackRow.agency_code,
            FeedbackRow.status,
            FeedbackRow.is_objection,
            FeedbackRow.received_at,
            FeedbackRow.accepted_at,
            FeedbackRow.first_reply_at,
            FeedbackRow.replied_on_time,
            FeedbackRow.conclusion_due,
            FeedbackRow.rating,
            FeedbackRow.acceptance_overdue_at,
            FeedbackRow.conclusion_overdue_at,
            FeedbackRow.linked_submissions,
        )
        async with self.db.reader() as session:
            rows = (await session.exec(select(*columns).where(*filters))).all()
            transfers = await self._transfers_out(session, request)
            names = dict((await session.exec(select(AgencyCopy.code, AgencyCopy.name))).all())
        figures: dict[str, _Figures] = defaultdict(_Figures)
        for row in rows:
            figures[row.agency_code].add(row, today)
        for code, count in transfers.items():
            figures[code].transferred_out = count
        if request.agency_code and request.agency_code not in figures:
            figures[request.agency_code] = _Figures()
        return pb.FeedbackStatisticsResponse(
            agencies=[f.to_proto(code, names.get(code, "")) for code, f in sorted(figures.items())]
        )

    async def _transfers_out(self, session, request: pb.FeedbackStatisticsRequest) -> dict[str, int]:
        query = (
            select(HistoryRow.agency_code, func.count())
            .join(FeedbackRow, FeedbackRow.id == HistoryRow.feedback_id)
            .where(HistoryRow.event == "transferred")
            .group_by(HistoryRow.agency_code)
        )
        if request.agency_code:
            query = query.where(HistoryRow.agency_code == request.agency_code)
        if request.received_from:
            query = query.where(FeedbackRow.received_on >= request.received_from)
        if request.received_to:
            query = query.where(FeedbackRow.received_on <= request.received_to)
        return dict((await session.exec(query)).all())


@dataclass
class _Figures:
    received: int = 0
    accepted: int = 0
    rejected: int = 0
    transferred_out: int = 0
    replied: int = 0
    closed: int = 0
    on_time: int = 0
    unanswered_late: int = 0
    rated: int = 0
    rating_sum: int = 0
    acceptance_overdue: int = 0
    conclusion_overdue: int = 0
    linked: int = 0
    reply_delays: list[dt.timedelta] = field(default_factory=list)

    def add(self, row, today: dt.date) -> None:
        self.received += 1
        self.linked += row.linked_submissions
        self.accepted += row.accepted_at is not None
        self.rejected += row.status == pb.FEEDBACK_STATUS_REJECTED
        self.closed += row.status == pb.FEEDBACK_STATUS_CLOSED
        self.acceptance_overdue += row.acceptance_overdue_at is not None
        self.conclusion_overdue += row.conclusion_overdue_at is not None
        if row.first_reply_at is not None:
            self.replied += 1
            self.on_time += bool(row.replied_on_time)
            self.reply_delays.append(row.first_reply_at - row.received_at)
        elif (
            row.conclusion_due
            and dt.date.fromisoformat(row.conclusion_due) < today
            and (
                row.status in domain.CONCLUSION_CLOCK_STATUSES
                or (row.is_objection and row.status == pb.FEEDBACK_STATUS_RECEIVED)
            )
        ):
            self.unanswered_late += 1
        if row.rating:
            self.rated += 1
            self.rating_sum += row.rating

    def to_proto(self, code: str, name: str) -> pb.AgencyFeedbackStatistics:
        due = self.replied + self.unanswered_late
        return pb.AgencyFeedbackStatistics(
            agency_code=code,
            agency_name=name,
            received=self.received,
            accepted=self.accepted,
            rejected=self.rejected,
            transferred_out=self.transferred_out,
            replied=self.replied,
            closed=self.closed,
            on_time_reply_rate=domain.ratio(self.on_time, due),
            replies_due=due,
            median_hours_to_reply=domain.median_hours(self.reply_delays),
            satisfaction=round(self.rating_sum / self.rated, 2) if self.rated else 0.0,
            rated=self.rated,
            acceptance_overdue=self.acceptance_overdue,
            conclusion_overdue=self.conclusion_overdue,
            linked_submissions=self.linked,
        )


def require_agency_reader(principal: Principal | None, agency_code: str) -> None:
    """Only the handling agency reads a case's private parts (E6: confidential)."""
    if principal is None:
        raise Unauthenticated("this operation needs an agency credential")
    if principal.role != ROLE_AGENCY or principal.agency_code != agency_code:
        raise PermissionDenied("only the agency handling this feedback may read it")


def _check_date(name: str, value: str) -> None:
    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        raise invalid(name, "must be a date in the form YYYY-MM-DD") from exc


def _encode_cursor(row: FeedbackRow) -> str:
    return paging.encode_token(row.received_at.isoformat(), row.id)


def _decode_cursor(token: str) -> tuple[dt.datetime, str]:
    instant, feedback_id = paging.decode_token(token, 2)
    try:
        received_at = dt.datetime.fromisoformat(instant)
    except ValueError as exc:
        raise invalid("page.page_token", paging.NOT_OURS) from exc
    if received_at.tzinfo is None:  # every cursor issued carries its offset
        raise invalid("page.page_token", paging.NOT_OURS)
    return received_at, feedback_id

"""The overdue scanner: a background job that finds passed deadlines and emits
FeedbackOverdue once per deadline (acceptance, conclusion). It reads time from
the runtime clock only, so tests move time instead of sleeping."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlmodel import select

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain, revision, store, views
from services.feedback.handlers import FeedbackHandlers
from services.feedback.models import FeedbackRow, HistoryRow
from services.runtime import audit, holidays
from services.runtime.clock import isoformat

log = logging.getLogger(__name__)
BATCH = 200


@dataclass
class OverdueScanner:
    handlers: FeedbackHandlers

    watch: holidays.CalendarWatch = field(default_factory=holidays.CalendarWatch)

    async def scan_round(self) -> None:
        """One round of the background job (ServiceRuntime.add_job every
        overdue_scan_seconds): revise provisional clocks when holiday data
        arrived, then scan."""
        years = self.watch.years_to_revise()
        if years:
            await revision.revise(self.handlers, min(years))
            self.watch.done()
        await self.scan()

    async def scan(self) -> int:
        """Mark every newly passed deadline and emit its event; returns how many."""
        total = 0
        while True:
            seen, emitted = await self._scan_batch()
            total += emitted
            if seen < BATCH or not emitted:
                return total

    async def _scan_batch(self) -> tuple[int, int]:
        now = self.handlers.now()
        today = domain.china_date(now).isoformat()
        acceptance = (
            (FeedbackRow.status == pb.FEEDBACK_STATUS_RECEIVED)
            & (FeedbackRow.is_objection.is_(False))
            & (FeedbackRow.acceptance_overdue_at.is_(None))
            & (FeedbackRow.acceptance_due < today)
        )
        conclusion = (
            FeedbackRow.status.in_([*domain.CONCLUSION_CLOCK_STATUSES, pb.FEEDBACK_STATUS_RECEIVED])
            & (FeedbackRow.conclusion_overdue_at.is_(None))
            & (FeedbackRow.conclusion_due.is_not(None))
            & (FeedbackRow.conclusion_due < today)
        )
        query = select(FeedbackRow).where(or_(acceptance, conclusion)).order_by(FeedbackRow.id).limit(BATCH)
        if self.handlers.db.is_postgres:
            # Replicas scan side by side without waiting on each other's rows.
            query = query.with_for_update(skip_locked=True)
        emitted = 0
        async with self.handlers.db.transaction("feedback.overdue_scan") as session:
            rows = (await session.exec(query)).all()
            for row in rows:
                emitted += await self._mark(session, row, now)
        return len(rows), emitted

    async def _mark(self, session, row: FeedbackRow, now: dt.datetime) -> int:
        case = views.case_from_row(row)
        today = domain.china_date(now)
        passed: list[tuple[int, dt.date, bool]] = []
        if case.acceptance_overdue(today):
            case.acceptance_overdue_at = now
            passed.append((pb.OVERDUE_KIND_ACCEPTANCE, case.acceptance_due, row.acceptance_due_provisional))
        if case.conclusion_overdue(today):
            case.conclusion_overdue_at = now
            passed.append((pb.OVERDUE_KIND_CONCLUSION, case.conclusion_due, row.conclusion_due_provisional))
        if not passed:
            return 0  # the query and the domain rules disagree only if a row changed meanwhile
        before = (await store.bundle(session, row)).public()
        views.apply_case(row, case, now)
        session.add(row)
        for kind, due, _ in passed:
            session.add(
                HistoryRow(
                    feedback_id=row.id,
                    at=now,
                    event=_EVENT[kind],
                    status=row.status,
                    agency_code=row.agency_code,
                    note=due.isoformat(),
                )
            )
        await session.flush()
        public = (await store.bundle(session, row)).public()
        for kind, due, provisional in passed:
            self.handlers.enqueue_event(
                session,
                "overdue",
                row.agency_code,
                pb.FeedbackOverdue(
                    feedback=public,
                    kind=kind,
                    due=due.isoformat(),
                    detected_at=isoformat(now),
                    due_provisional=provisional,
                ),
                now,
            )
        audit.record(
            session,
            None,
            operation="MarkOverdue",
            record_type="feedback",
            record_id=row.id,
            before=before,
            after=public,
            now=now,
        )
        return len(passed)


_EVENT = {pb.OVERDUE_KIND_ACCEPTANCE: "acceptance_overdue", pb.OVERDUE_KIND_CONCLUSION: "conclusion_overdue"}

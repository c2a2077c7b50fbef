"""The overdue scanner: a background job that finds passed deadlines and emits
FeedbackOverdue once per deadline (acceptance, conclusion). It reads time from
the runtime clock only, so tests move time instead of sleeping."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain, revision, views
from services.feedback.handlers import FeedbackHandlers
from services.feedback.models import FeedbackRow, HistoryRow
from services.feedback.unit_of_work import FeedbackUnitOfWork
from services.runtime import holidays
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
        emitted = 0
        async with self.handlers.units.writing("feedback.overdue_scan", now) as uow:
            rows = await uow.cases.overdue_candidates(domain.china_date(now), BATCH)
            for row in rows:
                emitted += await self._mark(uow, row)
        return len(rows), emitted

    async def _mark(self, uow: FeedbackUnitOfWork, row: FeedbackRow) -> int:
        now = uow.now
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
        before = (await uow.cases.bundle(row)).public()
        views.apply_case(row, case, now)
        uow.cases.save(row)
        for kind, due, _ in passed:
            uow.cases.add_history(
                HistoryRow(
                    feedback_id=row.id,
                    at=now,
                    event=_EVENT[kind],
                    status=row.status,
                    agency_code=row.agency_code,
                    note=due.isoformat(),
                )
            )
        public = (await uow.cases.bundle(row)).public()
        for kind, due, provisional in passed:
            self.handlers.emit(
                uow,
                "overdue",
                row.agency_code,
                pb.FeedbackOverdue(
                    feedback=public,
                    kind=kind,
                    due=due.isoformat(),
                    detected_at=isoformat(now),
                    due_provisional=provisional,
                ),
            )
        uow.audit(None, operation="MarkOverdue", record_id=row.id, before=before, after=public)
        return len(passed)


_EVENT = {pb.OVERDUE_KIND_ACCEPTANCE: "acceptance_overdue", pb.OVERDUE_KIND_CONCLUSION: "conclusion_overdue"}

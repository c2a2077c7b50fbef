"""The background scans: provisional deadlines revised when holiday data
arrives, ResultOverdue raised for decisions unpublished after their
deadline, records taken out of publication on their publicity end date.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import cached_property

from sqlmodel import select

from gongshi.v1 import results_pb2 as pb
from services.results import revision
from services.results.changes import SERVICE, LifecycleBase
from services.results.models import ResultRow
from services.runtime import audit, holidays
from services.runtime import events as ev
from services.runtime.auth import Principal
from services.runtime.clock import isoformat
from services.runtime.outbox import enqueue

log = logging.getLogger(__name__)
# Who the audit log names for changes no person made.
EXPIRY_JOB = Principal("job:results-expiry", 0)
OVERDUE_JOB = Principal("job:results-overdue", 0)
SCAN_BATCH = 200


class Scans(LifecycleBase):
    async def scan_round(self) -> None:
        """One round of the background job (ServiceRuntime.add_job every
        scan_seconds): provisional deadlines revised when holiday data arrives,
        then the overdue and expiry scans by the process clock."""
        # New holiday data first: an overdue alert must use the revised deadline.
        years = self._calendar_watch.years_to_revise()
        if years:
            await revision.revise(self, min(years))
            self._calendar_watch.done()
        await self.scan_overdue()
        await self.scan_expired()

    @cached_property
    def _calendar_watch(self) -> holidays.CalendarWatch:
        return holidays.CalendarWatch()

    async def scan_overdue(self) -> int:
        """Raise ResultOverdue, once, for each registered decision still
        unpublished after its deadline (DOMAIN.md (d)1: at deadline + 1)."""
        raised = 0
        while True:
            now, today = self._now()
            async with self.db.transaction("results.scan_overdue") as session:
                rows = (
                    await session.exec(
                        select(ResultRow)
                        .where(
                            ResultRow.status == pb.RESULT_STATUS_PENDING,
                            ResultRow.publish_deadline != "",
                            ResultRow.publish_deadline < today.isoformat(),
                            ResultRow.overdue_at.is_(None),
                        )
                        .limit(SCAN_BATCH)
                    )
                ).all()
                for row in rows:
                    deadline = dt.date.fromisoformat(row.publish_deadline)
                    late, estimated = self.calendar.working_days_between_estimate(deadline, today)
                    provisional = estimated or not self.calendar.covers(deadline)
                    enqueue(
                        session,
                        ev.Event(
                            ev.subject(SERVICE, "overdue", row.agency_code),
                            pb.ResultOverdue(
                                result_id=row.id,
                                agency_code=row.agency_code,
                                document_number=row.document_number,
                                category=row.category,
                                decision_date=row.decision_date,
                                publish_deadline=row.publish_deadline,
                                detected_at=isoformat(now),
                                working_days_overdue=late,
                                deadline_provisional=provisional,
                            ),
                        ),
                        source=SERVICE,
                        now=now,
                    )
                    row.overdue_at = now
                    session.add(row)
                    audit.record(
                        session,
                        OVERDUE_JOB,
                        operation="ResultOverdue",
                        record_type="result",
                        record_id=row.id,
                        before=None,
                        after=None,
                        now=now,
                    )
            raised += len(rows)
            if len(rows) < SCAN_BATCH:
                return raised

    async def scan_expired(self) -> int:
        """On its publicity end date a record stops being public (G7)."""
        expired = 0
        while True:
            now, today = self._now()
            async with self.db.reader() as session:
                due = (
                    await session.exec(
                        select(ResultRow.id, ResultRow.agency_code)
                        .where(
                            ResultRow.public.is_(True),
                            ResultRow.publicity_end != "",
                            ResultRow.publicity_end <= today.isoformat(),
                        )
                        .limit(SCAN_BATCH)
                    )
                ).all()
            by_agency: dict[str, list[str]] = {}
            for result_id, agency_code in due:
                by_agency.setdefault(agency_code, []).append(result_id)
            for ids in by_agency.values():
                async with self.db.transaction("results.expire") as session:
                    for result_id in ids:
                        row = await session.get(ResultRow, result_id)
                        if (
                            row is None
                            or not row.public
                            or not row.publicity_end
                            or row.publicity_end > today.isoformat()
                        ):
                            continue
                        await self._end_publication(
                            session,
                            EXPIRY_JOB,
                            row,
                            pb.RESULT_STATUS_EXPIRED,
                            kind="expired",
                            reason=f"publicity period ended {row.publicity_end}",
                            operation="ResultExpired",
                            message=pb.ResultExpired(
                                result_id=row.id,
                                agency_code=row.agency_code,
                                document_number=row.document_number,
                                publicity_end=row.publicity_end,
                                expired_at=isoformat(now),
                            ),
                            now=now,
                        )
                        expired += 1
            if len(due) < SCAN_BATCH:
                return expired

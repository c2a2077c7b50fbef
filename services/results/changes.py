"""The one way a published record changes (DOMAIN.md F, G): what every
lifecycle use case (corrections.py, withdrawals.py, appeals.py, replies.py,
repairs.py, objections.py, scans.py; assembled in lifecycle.py) shares.

Every change to what the public sees goes through `_change`: one link in the
agency's hash chain, the row and its mirrored columns, the event and the
audit entry, all in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import results_pb2 as pb
from services.results import domain, records
from services.results.models import ChainEntryRow, ResultRow, ResultVersionRow
from services.results.policy import PublicationPolicy, RegionPolicies
from services.runtime import audit
from services.runtime import events as ev
from services.runtime.app import ServiceRuntime
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.calendar import WorkingDayCalendar, default_calendar
from services.runtime.clock import CHINA_TZ, isoformat
from services.runtime.errors import NotFound
from services.runtime.outbox import enqueue

SERVICE = "results"


@dataclass
class LifecycleBase:
    """What every lifecycle use case holds: the runtime, the regions' policies, the calendar."""

    runtime: ServiceRuntime
    policies: RegionPolicies = field(default_factory=RegionPolicies)
    calendar: WorkingDayCalendar = field(default_factory=default_calendar)
    scan_seconds: float = 1.0

    @property
    def db(self):
        return self.runtime.db

    def _now(self) -> tuple[dt.datetime, dt.date]:
        now = self.runtime.clock.now()
        return now, now.astimezone(CHINA_TZ).date()

    def _policy(self, row: ResultRow) -> PublicationPolicy:
        return self.policies.for_region(row.region_code)

    # ------------------------------------------------------------ the one way public views change

    async def _end_publication(
        self,
        session: AsyncSession,
        principal: Principal | None,
        row: ResultRow,
        status: int,
        *,
        kind: str,
        reason: str,
        operation: str,
        message,
        now: dt.datetime,
    ) -> None:
        """Take a public record out of publication (expired, repaired): its
        status and end date change, a chain entry and an event say why."""
        result = pb.Result.FromString(row.doc)
        before = row.doc
        result.status = status
        result.publication_ended_at = result.updated_at = isoformat(now)
        await self._change(
            session,
            principal,
            row,
            before,
            result,
            kind=kind,
            reason=reason,
            operation=operation,
            event=ev.Event(ev.subject(SERVICE, kind, row.agency_code), message),
            now=now,
        )

    async def _change(
        self,
        session: AsyncSession,
        principal: Principal | None,
        row: ResultRow,
        before: bytes,
        result: pb.Result,
        *,
        kind: str,
        reason: str,
        operation: str,
        event: ev.Event | None,
        now: dt.datetime,
        new_version: bool = False,
    ) -> None:
        head = await records.lock_head_async(session, row.agency_code)
        entry = head.append(result, kind, reason, isoformat(now))
        session.add(ChainEntryRow(**records.entry_values(entry)))
        if new_version:
            session.add(
                ResultVersionRow(
                    result_id=result.id,
                    version=result.version,
                    kind=kind,
                    reason=reason,
                    doc=result.SerializeToString(),
                    chain_seq=entry.seq,
                    created_at=now,
                )
            )
        records.sync_columns(row, result, now)
        session.add(row)
        await records.save_head_async(session, head)
        if event is not None:
            if isinstance(event.message, pb.ResultWithdrawn):
                event.message.tombstone.CopyFrom(domain.tombstone(result))
            elif hasattr(event.message, "result"):
                event.message.result.CopyFrom(result)
            enqueue(session, event, source=SERVICE, now=now)
        audit.record(
            session,
            principal,
            operation=operation,
            record_type="result",
            record_id=row.id,
            before=before,
            after=result,
            now=now,
        )

    async def _writable(
        self, session: AsyncSession, principal: Principal | None, result_id: str
    ) -> ResultRow:
        row = await session.get(ResultRow, result_id)
        if row is None:
            raise NotFound(f"no result with id {result_id}")
        require_agency_writer(principal, row.agency_code)
        return row

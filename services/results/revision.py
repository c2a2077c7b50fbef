"""Provisional deadlines revised when a year's holiday data arrives.

A deadline that crossed a year without holiday data was counted Monday to
Friday and stored as provisional (Result.deadline_provisional,
withdrawal_deadline_provisional). When the data changes (an operator added
the State Council's notice to GONGSHI_CALENDAR_DIR, or a release shipped it),
each such record is recomputed once: its view updated (with a chain link if
it is public), ResultDeadlineRevised published, its on-time flag and overdue
state corrected both ways (an alert raised on the old deadline is cleared; one
due on the new deadline is raised by the next overdue scan).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from sqlalchemy import or_
from sqlmodel import select

from gongshi.v1 import results_pb2 as pb
from services.results import domain, records
from services.results.models import ResultRow
from services.runtime import audit
from services.runtime import events as ev
from services.runtime.auth import Principal
from services.runtime.clock import CHINA_TZ, isoformat
from services.runtime.outbox import enqueue

if TYPE_CHECKING:
    from services.results.lifecycle import LifecycleHandlers

log = logging.getLogger(__name__)
SERVICE = "results"
CALENDAR_JOB = Principal("job:results-calendar", 0)
BATCH = 200


def may_be_revised(since_year: int):
    """Where a result whose deadline may land in `since_year` or later stands:
    its publication deadline, or its withdrawal deadline (a withdrawal is at
    most a few weeks after its grounds: one from December before it on)."""
    withdrawn = ResultRow.status == pb.RESULT_STATUS_WITHDRAWN
    return or_(
        ResultRow.publish_deadline >= f"{since_year}-01-01",
        withdrawn & (ResultRow.withdrawn_at >= f"{since_year - 1}-12-01"),
    )


async def revise(lifecycle: LifecycleHandlers, since_year: int) -> int:
    """Recompute every provisional deadline that lands in `since_year` or later; how many changed."""
    revised, last_id = 0, ""
    while True:
        now, today = lifecycle._now()
        async with lifecycle.db.transaction("results.revise_deadlines") as session:
            rows = (
                await session.exec(
                    select(ResultRow)
                    .where(ResultRow.id > last_id, may_be_revised(since_year))
                    .order_by(ResultRow.id)
                    .limit(BATCH)
                )
            ).all()
            for row in rows:
                revised += await _revise_row(lifecycle, session, row, now, today)
        if len(rows) < BATCH:
            return revised
        last_id = rows[-1].id


async def _revise_row(lifecycle, session, row: ResultRow, now: dt.datetime, today: dt.date) -> int:
    result = pb.Result.FromString(row.doc)
    before = row.doc
    events: list[pb.ResultDeadlineRevised] = []
    if result.deadline_provisional:
        decided = domain.parse_date(result.decision_date)
        new = domain.publication_deadline(result.category, decided, lifecycle.calendar)
        if new.day.isoformat() != result.publish_deadline or not new.provisional:
            previous = result.publish_deadline
            domain.set_deadline(result, new)
            if result.published_at:
                published_on = dt.datetime.fromisoformat(result.published_at).astimezone(CHINA_TZ).date()
                result.published_on_time = published_on <= new.day
            cleared = row.overdue_at is not None and new.day >= today
            if cleared:
                row.overdue_at = None
            events.append(
                _event(row, result, "publication", previous, new, result.published_on_time, cleared)
            )
    if result.withdrawal_deadline_provisional and result.withdrawal_grounds_date:
        grounds = dt.date.fromisoformat(result.withdrawal_grounds_date)
        days = lifecycle._policy(row).withdrawal_working_days
        new = lifecycle.calendar.deadline(grounds, days)
        if new.day.isoformat() != result.withdrawal_deadline or not new.provisional:
            previous = result.withdrawal_deadline
            domain.set_withdrawal_deadline(result, new)
            events.append(_event(row, result, "withdrawal", previous, new, result.withdrawn_on_time, False))
    if not events:
        return 0
    result.updated_at = isoformat(now)
    reason = "; ".join(f"{e.deadline_kind} deadline {e.previous_deadline} -> {e.deadline}" for e in events)
    for message in events:
        message.revised_at = isoformat(now)
    subject = ev.subject(SERVICE, "deadline_revised", row.agency_code)
    if row.public:
        # A public record's view changes: a link in its agency's chain, like any change.
        await lifecycle._change(
            session,
            CALENDAR_JOB,
            row,
            before,
            result,
            kind="deadline_revised",
            reason=reason,
            operation="DeadlineRevised",
            event=ev.Event(subject, events[0]),
            now=now,
        )
        events = events[1:]
    else:
        records.sync_columns(row, result, now)
        session.add(row)
        audit.record(
            session,
            CALENDAR_JOB,
            operation="DeadlineRevised",
            record_type="result",
            record_id=row.id,
            before=before,
            after=result,
            now=now,
        )
    for message in events:
        enqueue(session, ev.Event(subject, message), source=SERVICE, now=now)
    log.info("result %s: %s", row.id, reason)
    return 1


def _event(row, result, kind, previous, new, on_time, cleared) -> pb.ResultDeadlineRevised:
    return pb.ResultDeadlineRevised(
        result_id=row.id,
        agency_code=row.agency_code,
        document_number=row.document_number,
        deadline_kind=kind,
        previous_deadline=previous,
        deadline=new.day.isoformat(),
        provisional=new.provisional,
        on_time=on_time,
        overdue_cleared=cleared,
    )

"""Provisional feedback clocks revised when a year's holiday data arrives.

A due date counted into a year without holiday data is stored as provisional
(FeedbackRow.acceptance_due_provisional / conclusion_due_provisional). When
the data changes, each such clock is recomputed once from what started it
(receipt or the last transfer; acceptance, reopening and the one extension),
the case updated, FeedbackDeadlineRevised published, and an overdue mark
raised on the old date cleared when the new one has not passed (the overdue
scan raises it again, once, if the new one has).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import or_
from sqlmodel import select

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain, store
from services.feedback.models import FeedbackRow, HistoryRow
from services.runtime import audit
from services.runtime.calendar import Deadline, WorkingDayCalendar
from services.runtime.clock import isoformat

log = logging.getLogger(__name__)
BATCH = 200


def revised_dues(
    row: FeedbackRow, calendar: WorkingDayCalendar, transferred_on: dt.date | None
) -> dict[int, Deadline]:
    """The case's provisional due dates counted again, by the rules that set them (J2, J3)."""
    out: dict[int, Deadline] = {}
    received = domain.china_date(row.received_at)
    if row.acceptance_due_provisional:
        start = transferred_on or received
        out[pb.OVERDUE_KIND_ACCEPTANCE] = calendar.deadline(start, domain.ACCEPTANCE_WORKING_DAYS)
    if row.conclusion_due_provisional:
        reopened = domain.china_date(row.reopened_at) if row.reopen_count and row.reopened_at else None
        if row.is_objection:
            out[pb.OVERDUE_KIND_CONCLUSION] = calendar.deadline(
                reopened or received, domain.OBJECTION_WORKING_DAYS
            )
        elif reopened is not None:
            out[pb.OVERDUE_KIND_CONCLUSION] = calendar.calendar_deadline(reopened, domain.CONCLUSION_DAYS)
        elif row.accepted_at is not None:
            due = calendar.calendar_deadline(domain.china_date(row.accepted_at), domain.CONCLUSION_DAYS)
            if row.extension_days:
                extended = calendar.calendar_deadline(due.day, row.extension_days)
                due = Deadline(extended.day, tuple(sorted({*due.unknown_years, *extended.unknown_years})))
            out[pb.OVERDUE_KIND_CONCLUSION] = due
    return out


async def revise(handlers, since_year: int) -> int:
    """Recompute every provisional clock due in `since_year` or later; how many cases changed."""
    since = f"{since_year}-01-01"
    revised, last_id = 0, ""
    while True:
        now = handlers.now()
        async with handlers.db.transaction("feedback.revise_deadlines") as session:
            rows = (
                await session.exec(
                    select(FeedbackRow)
                    .where(
                        FeedbackRow.id > last_id,
                        or_(
                            FeedbackRow.acceptance_due_provisional.is_(True)
                            & (FeedbackRow.acceptance_due >= since),
                            FeedbackRow.conclusion_due_provisional.is_(True)
                            & (FeedbackRow.conclusion_due >= since),
                        ),
                    )
                    .order_by(FeedbackRow.id)
                    .limit(BATCH)
                )
            ).all()
            for row in rows:
                revised += await _revise_row(handlers, session, row, now)
        if len(rows) < BATCH:
            return revised
        last_id = rows[-1].id


async def _revise_row(handlers, session, row: FeedbackRow, now: dt.datetime) -> int:
    transferred_on = await _last_transfer(session, row) if row.transfers else None
    dues = revised_dues(row, handlers.calendar, transferred_on)
    today = domain.china_date(now)
    changes = []
    for kind, new in dues.items():
        column = "acceptance" if kind == pb.OVERDUE_KIND_ACCEPTANCE else "conclusion"
        previous = getattr(row, f"{column}_due")
        if new.day.isoformat() == previous and new.provisional:
            continue  # still provisional, nothing learnt yet
        cleared = getattr(row, f"{column}_overdue_at") is not None and new.day >= today
        changes.append((kind, column, previous, new, cleared))
    if not changes:
        return 0
    before = (await store.bundle(session, row)).public()
    for _, column, _, new, cleared in changes:
        setattr(row, f"{column}_due", new.day.isoformat())
        setattr(row, f"{column}_due_provisional", new.provisional)
        if cleared:
            setattr(row, f"{column}_overdue_at", None)
    row.version += 1
    row.updated_at = now
    session.add(row)
    await session.flush()
    public = (await store.bundle(session, row)).public()
    for kind, _, previous, new, cleared in changes:
        handlers.enqueue_event(
            session,
            "deadline_revised",
            row.agency_code,
            pb.FeedbackDeadlineRevised(
                feedback=public,
                kind=kind,
                previous_due=previous,
                due=new.day.isoformat(),
                provisional=new.provisional,
                overdue_cleared=cleared,
                revised_at=isoformat(now),
            ),
            now,
        )
    audit.record(
        session,
        None,
        operation="DeadlineRevised",
        record_type="feedback",
        record_id=row.id,
        before=before,
        after=public,
        now=now,
    )
    log.info("feedback %s: due dates revised %s", row.id, [(c[2], c[3].day.isoformat()) for c in changes])
    return 1


async def _last_transfer(session, row: FeedbackRow) -> dt.date | None:
    at = (
        await session.exec(
            select(HistoryRow.at)
            .where(HistoryRow.feedback_id == row.id, HistoryRow.event == "transferred")
            .order_by(HistoryRow.at.desc())
            .limit(1)
        )
    ).first()
    return domain.china_date(at) if at is not None else None

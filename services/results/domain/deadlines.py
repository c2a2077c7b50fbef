"""By when a decision must be published (DOMAIN.md D1/D2) and by when a
withdrawal must follow its grounds: working days on the calendar, marked
provisional where a year's holiday data is missing."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from gongshi.v1 import results_pb2 as pb
from services.runtime import holidays
from services.runtime.calendar import Deadline, WorkingDayCalendar
from services.runtime.clock import CHINA_TZ

# DOMAIN.md D1/D2: licences and penalties within 7 working days, others 20.
FAST_TRACK_CATEGORIES = {pb.DECISION_CATEGORY_LICENSING, pb.DECISION_CATEGORY_PENALTY}
FAST_TRACK_WORKING_DAYS = 7
DEFAULT_WORKING_DAYS = 20


def publication_deadline(category: int, decided: dt.date, calendar: WorkingDayCalendar) -> Deadline:
    """The last day to publish (D1/D2); provisional when it crosses a year
    without holiday data (see services.runtime.calendar)."""
    days = FAST_TRACK_WORKING_DAYS if category in FAST_TRACK_CATEGORIES else DEFAULT_WORKING_DAYS
    return _deadline(calendar, decided, days, holidays.generation())


@lru_cache(maxsize=4096)
def _deadline(calendar: WorkingDayCalendar, decided: dt.date, days: int, generation: int) -> Deadline:
    # Bulk pushes carry a few hundred distinct dates at most; counting days is not
    # free. `generation` keys the cache to the holiday data in force.
    return calendar.deadline(decided, days)


def set_withdrawal_deadline(result: pb.Result, deadline: Deadline) -> None:
    """Stamp a withdrawn record's deadline (F2) and whether it was met."""
    result.withdrawal_deadline = deadline.day.isoformat()
    result.withdrawal_deadline_provisional = deadline.provisional
    withdrawn_on = dt.datetime.fromisoformat(result.withdrawn_at).astimezone(CHINA_TZ).date()
    result.withdrawn_on_time = withdrawn_on <= deadline.day


def set_deadline(result: pb.Result, deadline: Deadline) -> None:
    """Stamp the publication deadline and whether it is provisional on a record."""
    result.publish_deadline = deadline.day.isoformat()
    result.deadline_note = deadline.note
    result.deadline_provisional = deadline.provisional

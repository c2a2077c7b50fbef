"""Golden deadlines on the working-day calendar. Every expected date below was
counted by hand from the official holiday notices as stored in `chinesecalendar`
1.11.0, never recomputed with the code under test."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.runtime.calendar import (
    CalendarRangeError,
    WorkingDayCalendar,
    covered_years,
    default_calendar,
)

D = dt.date
CAL = default_calendar()


def test_covered_years_come_from_the_library() -> None:
    assert covered_years() == (2004, 2026)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 9, 28), True),  # Sunday, 调休 make-up day for National Day 2025
        (D(2025, 10, 11), True),  # Saturday, 调休
        (D(2026, 2, 14), True),  # Saturday, 调休 before Spring Festival 2026
        (D(2025, 10, 1), False),  # National Day
        (D(2025, 10, 8), False),  # last day of the 2025 National Day break (a Wednesday)
        (D(2025, 10, 18), False),  # ordinary Saturday
        (D(2025, 10, 9), True),  # ordinary Thursday
    ],
)
def test_is_working_day(day: dt.date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_datetime_is_treated_as_its_date() -> None:
    assert CAL.is_working_day(dt.datetime(2025, 10, 1, 9, 30)) is False


@pytest.mark.parametrize(
    ("decided", "n", "deadline"),
    [
        # Tue before National Day: 10-01..10-08 off; 10-09, 10-10, 10-11 (调休 Sat), 10-13..10-16.
        (D(2025, 9, 30), 7, D(2025, 10, 16)),
        # Thu before National Day (DOMAIN (d)1): 9-26, 9-28 (调休 Sun), 9-29, 9-30, 10-09, 10-10,
        # and the 7th working day is the 调休 Saturday 10-11 itself.
        (D(2025, 9, 25), 7, D(2025, 10, 11)),
        # Spring Festival 2025 (1-28..2-04 off): 1-26 (调休 Sun), 1-27, 2-05..2-07,
        # 2-08 (调休 Sat), 2-10.
        (D(2025, 1, 24), 7, D(2025, 2, 10)),
        # Spring Festival 2026 (2-15..2-23 off): 2-13, 2-14 (调休 Sat), 2-24..2-27, 2-28 (调休 Sat).
        (D(2026, 2, 12), 7, D(2026, 2, 28)),
        # 20 working days (D1, H2): October 2025 after the break, through 11-04.
        (D(2025, 9, 30), 20, D(2025, 11, 4)),
        # 20 working days across Spring Festival 2026, counting both 调休 Saturdays.
        (D(2026, 2, 2), 20, D(2026, 3, 6)),
        # Decision on a holiday: counting starts on the next working day.
        (D(2025, 10, 3), 1, D(2025, 10, 9)),
        (D(2025, 10, 9), 0, D(2025, 10, 9)),
    ],
)
def test_add_working_days_golden(decided: dt.date, n: int, deadline: dt.date) -> None:
    assert CAL.add_working_days(decided, n) == deadline


def test_start_day_never_counts() -> None:
    # 2025-10-09 is a working day, yet one working day after it is the next one.
    assert CAL.add_working_days(D(2025, 10, 9), 1) == D(2025, 10, 10)


def test_negative_working_days_are_rejected() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        CAL.add_working_days(D(2025, 10, 9), -1)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2025, 9, 30), D(2025, 10, 16), 7),
        (D(2025, 9, 25), D(2025, 10, 11), 7),
        # October 2025: 10-09, 10-10, 10-11 (调休) and three full weeks = 18.
        (D(2025, 9, 30), D(2025, 10, 31), 18),
        # January 2026: 22 weekdays - 01-01, 01-02 + 01-04 (调休 Sun) = 21.
        (D(2025, 12, 31), D(2026, 1, 31), 21),
        # Whole year 2025: 261 weekdays - 18 weekday holidays + 5 调休 days = 248.
        (D(2024, 12, 31), D(2025, 12, 31), 248),
        (D(2025, 10, 1), D(2025, 10, 8), 0),  # inside the break
        (D(2025, 10, 9), D(2025, 10, 9), 0),  # empty interval
        (D(2025, 10, 16), D(2025, 9, 30), 0),  # end before start
    ],
)
def test_working_days_between_golden(start: dt.date, end: dt.date, count: int) -> None:
    assert CAL.working_days_between(start, end) == count


@given(
    start=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 6, 30)),
    n=st.integers(min_value=0, max_value=60),
)
def test_between_is_the_inverse_of_add(start: dt.date, n: int) -> None:
    deadline = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, deadline) == n
    assert n == 0 or CAL.is_working_day(deadline)


def test_add_calendar_days_for_the_30_day_feedback_rule() -> None:
    assert CAL.add_calendar_days(D(2025, 9, 30), 30) == D(2025, 10, 30)
    # 30 days after 09-08 is 10-08, still in the National Day break.
    assert CAL.add_calendar_days(D(2025, 9, 8), 30) == D(2025, 10, 8)
    assert CAL.add_calendar_days(D(2025, 9, 8), 30, roll_to_working_day=True) == D(2025, 10, 9)


def test_regional_overrides() -> None:
    regional = WorkingDayCalendar(extra_holidays={D(2025, 10, 9)}, extra_workdays={D(2025, 10, 12)})
    assert regional.is_working_day(D(2025, 10, 9)) is False
    assert regional.is_working_day(D(2025, 10, 12)) is True
    # 10-10, 10-11 (调休), 10-12 (regional), 10-13..10-16.
    assert regional.add_working_days(D(2025, 9, 30), 7) == D(2025, 10, 16)
    only_holiday = WorkingDayCalendar(extra_holidays={D(2025, 10, 9)})
    assert only_holiday.add_working_days(D(2025, 9, 30), 7) == D(2025, 10, 17)
    # Overrides do not leak into the shared national calendar.
    assert CAL.is_working_day(D(2025, 10, 9)) is True


def test_conflicting_overrides_are_rejected() -> None:
    with pytest.raises(ValueError, match="2025-10-09"):
        WorkingDayCalendar(extra_holidays={D(2025, 10, 9)}, extra_workdays={D(2025, 10, 9)})


def test_default_calendar_is_cached() -> None:
    assert default_calendar() is default_calendar()


@pytest.mark.parametrize("day", [D(2027, 1, 4), D(2003, 12, 31)])
def test_out_of_range_date_names_date_and_range(day: dt.date) -> None:
    with pytest.raises(CalendarRangeError) as caught:
        CAL.is_working_day(day)
    message = str(caught.value)
    assert day.isoformat() in message
    assert "2004" in message and "2026" in message
    assert isinstance(caught.value, ValueError)


def test_deadline_running_past_the_covered_range_raises() -> None:
    with pytest.raises(CalendarRangeError, match="2027-01-01"):
        CAL.add_working_days(D(2026, 12, 30), 5)
    # Counting how late something is never refuses: it says the count is an estimate.
    assert CAL.working_days_between_estimate(D(2027, 1, 1), D(2027, 1, 31)) == (20, True)
    assert CAL.working_days_between_estimate(D(2026, 9, 30), D(2026, 10, 9)) == (2, False)  # 8 and 9 October

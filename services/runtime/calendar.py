"""The working-day calendar. Publication, withdrawal, correction and complaint
deadlines are counted in Chinese working days (DOMAIN.md D1, D2, F2, J2), which
skip public holidays but include the make-up working days (调休) that the State
Council announces each year; plain weekday arithmetic gets them wrong.

The national data comes from the year files of `services.runtime.holidays`
(shipped, plus GONGSHI_CALENDAR_DIR). A deadline that runs into a year with
no data yet is counted Monday to Friday for that year's days and marked
provisional (`Deadline.provisional`); the services revise it when the year's
file arrives (docs/domain.md, "Holiday data")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache

from services.runtime import holidays

_ONE_DAY = dt.timedelta(days=1)


class CalendarRangeError(ValueError):
    """A date lies in a year for which no holiday data is known.

    Guessing would silently move legal deadlines, so strict callers get this;
    deadlines use `Deadline` (provisional) instead."""

    def __init__(self, day: dt.date, first_year: int, last_year: int) -> None:
        super().__init__(
            f"no holiday data for {day.isoformat()}: the working-day calendar covers "
            f"{first_year}-01-01 to {last_year}-12-31 only"
        )
        self.day = day
        self.first_year = first_year
        self.last_year = last_year


def covered_years() -> tuple[int, int]:
    """The first and last year with holiday data in force now."""
    years = holidays.current().years
    return min(years), max(years)


def _as_date(day: dt.date) -> dt.date:
    # datetime is a subclass of date but never equals one, so set lookups would miss.
    return day.date() if isinstance(day, dt.datetime) else day


@dataclass(frozen=True)
class Deadline:
    """A computed deadline; `unknown_years` are the years it crossed without
    holiday data (their days counted Monday to Friday): empty means final."""

    day: dt.date
    unknown_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.unknown_years)

    @property
    def note(self) -> str:
        """Why the deadline is provisional, or "" (stored with the record)."""
        if not self.unknown_years:
            return ""
        years = ", ".join(str(y) for y in self.unknown_years)
        return (
            f"provisional: no holiday data for {years} yet, its days counted Monday–Friday; "
            "revised when the State Council's holiday notice is added"
        )


@dataclass(frozen=True)
class WorkingDayCalendar:
    """National working days plus a region's own overrides.

    `extra_holidays` are local rest days (e.g. a regional holiday); `extra_workdays`
    are local make-up days. Both are data so a region configures them, not code."""

    extra_holidays: AbstractSet[dt.date] = field(default_factory=frozenset)
    extra_workdays: AbstractSet[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        rest = _date_set(self.extra_holidays)
        work = _date_set(self.extra_workdays)
        clash = sorted(rest & work)
        if clash:
            raise ValueError(f"dates both extra holiday and extra workday: {[d.isoformat() for d in clash]}")
        object.__setattr__(self, "extra_holidays", rest)
        object.__setattr__(self, "extra_workdays", work)

    @property
    def covered_years(self) -> tuple[int, int]:
        """The year range for which answers are final (see `covered_years()`)."""
        return covered_years()

    def covers(self, day: dt.date) -> bool:
        return holidays.current().covers(_as_date(day).year)

    def is_working_day(self, day: dt.date) -> bool:
        """True if government offices work on `day`, counting 调休 weekend workdays.

        Raises CalendarRangeError in a year without data rather than guessing."""
        working = self._working(_as_date(day), holidays.current())
        if working is None:
            raise CalendarRangeError(_as_date(day), *covered_years())
        return working

    def _working(self, day: dt.date, data: holidays.HolidayData) -> bool | None:
        if day in self.extra_holidays:
            return False
        if day in self.extra_workdays:
            return True
        return data.rest_or_work(day)

    def _estimate(self, day: dt.date, data: holidays.HolidayData, unknown: set[int]) -> bool:
        working = self._working(day, data)
        if working is None:
            unknown.add(day.year)
            return day.weekday() < 5
        return working

    def deadline(self, start: dt.date, n: int) -> Deadline:
        """The n-th working day after `start` (start never counts: "within 7
        working days of the decision" counts from the next day); n == 0 is
        `start`. Days of a year without data count Monday to Friday and make
        the deadline provisional."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        data, unknown = holidays.current(), set()
        day = _as_date(start)
        remaining = n
        while remaining:
            day += _ONE_DAY
            if self._estimate(day, data, unknown):
                remaining -= 1
        return Deadline(day, tuple(sorted(unknown)))

    def calendar_deadline(self, start: dt.date, n: int) -> Deadline:
        """`start` plus n natural days (e.g. a complaint is concluded within 30
        days, J3), moved to the next working day when it falls on a rest day
        ("期间届满的最后一日是法定节假日的，以节假日后的第一日为期满日")."""
        data, unknown = holidays.current(), set()
        day = _as_date(start) + dt.timedelta(days=n)
        while not self._estimate(day, data, unknown):
            day += _ONE_DAY
        return Deadline(day, tuple(sorted(unknown)))

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """Like `deadline`, but strict: CalendarRangeError if any counted day
        lies in a year without data."""
        result = self.deadline(start, n)
        if result.provisional:
            raise CalendarRangeError(dt.date(result.unknown_years[0], 1, 1), *covered_years())
        return result.day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie in (start, end] (0 when end <= start):
        the inverse of `deadline`, used to tell how far a deadline is overdue.
        Days of a year without data count Monday to Friday."""
        return self.working_days_between_estimate(start, end)[0]

    def working_days_between_estimate(self, start: dt.date, end: dt.date) -> tuple[int, bool]:
        """(count, provisional): as `working_days_between`, saying whether a
        year without data was counted Monday to Friday."""
        data, unknown = holidays.current(), set()
        start, end = _as_date(start), _as_date(end)
        count, day = 0, start
        while day < end:
            day += _ONE_DAY
            count += self._estimate(day, data, unknown)
        return count, bool(unknown)

    def add_calendar_days(self, start: dt.date, n: int, *, roll_to_working_day: bool = False) -> dt.date:
        """`start` plus n calendar days; with `roll_to_working_day`, as
        `calendar_deadline` (strict: CalendarRangeError without data)."""
        if not roll_to_working_day:
            return _as_date(start) + dt.timedelta(days=n)
        result = self.calendar_deadline(start, n)
        if result.provisional:
            raise CalendarRangeError(dt.date(result.unknown_years[0], 1, 1), *covered_years())
        return result.day


def _date_set(days: Iterable[dt.date]) -> frozenset[dt.date]:
    return frozenset(_as_date(day) for day in days)


@cache
def default_calendar() -> WorkingDayCalendar:
    """The national calendar without regional overrides, built once per process."""
    return WorkingDayCalendar()

"""The working-day calendar. Publication, withdrawal, correction and complaint
deadlines are counted in Chinese working days (DOMAIN.md D1, D2, F2, J2), which
skip public holidays but include the make-up working days (调休) that the State
Council announces each year; plain weekday arithmetic gets them wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache, lru_cache

import chinese_calendar

_ONE_DAY = dt.timedelta(days=1)


class CalendarRangeError(ValueError):
    """A date lies outside the years for which holiday data is known.

    Guessing would silently move legal deadlines, so the caller must update the
    holiday data (or the `chinesecalendar` package) instead."""

    def __init__(self, day: dt.date, first_year: int, last_year: int) -> None:
        super().__init__(
            f"no holiday data for {day.isoformat()}: the working-day calendar covers "
            f"{first_year}-01-01 to {last_year}-12-31 only"
        )
        self.day = day
        self.first_year = first_year
        self.last_year = last_year


@cache
def covered_years() -> tuple[int, int]:
    """The first and last year with official holiday data, as the library itself
    validates them, so a package upgrade extends the range without code changes."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def _as_date(day: dt.date) -> dt.date:
    # datetime is a subclass of date but never equals one, so set lookups would miss.
    return day.date() if isinstance(day, dt.datetime) else day


@dataclass(frozen=True)
class WorkingDayCalendar:
    """National working days plus a region's own overrides.

    `extra_holidays` are local rest days (e.g. a regional holiday); `extra_workdays`
    are local make-up days. Both are data so a region configures them, not code."""

    extra_holidays: AbstractSet[dt.date] = field(default_factory=frozenset)
    extra_workdays: AbstractSet[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        holidays = _date_set(self.extra_holidays)
        workdays = _date_set(self.extra_workdays)
        clash = sorted(holidays & workdays)
        if clash:
            raise ValueError(f"dates both extra holiday and extra workday: {[d.isoformat() for d in clash]}")
        object.__setattr__(self, "extra_holidays", holidays)
        object.__setattr__(self, "extra_workdays", workdays)

    @property
    def covered_years(self) -> tuple[int, int]:
        """The year range for which answers are reliable (see `covered_years()`)."""
        return covered_years()

    def is_working_day(self, day: dt.date) -> bool:
        """True if government offices work on `day`, counting 调休 weekend workdays.

        Raises CalendarRangeError outside the covered years rather than guessing."""
        day = _as_date(day)
        self._check_covered(day)
        if day in self.extra_holidays:
            return False
        if day in self.extra_workdays:
            return True
        return _national_workday(day)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The deadline: the n-th working day after `start`.

        `start` itself never counts, even when it is a working day: "within 7
        working days of the decision" starts counting the day after the decision.
        n == 0 returns `start` unchanged."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        day = _as_date(start)
        self._check_covered(day)
        remaining = n
        while remaining:
            day += _ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie in (start, end]: the inverse of
        `add_working_days`, used to tell how far a deadline is overdue.

        Returns 0 when end <= start."""
        start, end = _as_date(start), _as_date(end)
        self._check_covered(start)
        count = 0
        day = start
        while day < end:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def add_calendar_days(self, start: dt.date, n: int, *, roll_to_working_day: bool = False) -> dt.date:
        """`start` plus n calendar days, for rules counted in natural days (e.g. a
        complaint is concluded within 30 days of acceptance, J3).

        With `roll_to_working_day`, a result on a rest day moves to the next working
        day, the usual reading of "期间届满的最后一日是法定节假日的，以节假日后的第一日为期满日"."""
        day = _as_date(start) + dt.timedelta(days=n)
        if roll_to_working_day:
            while not self.is_working_day(day):
                day += _ONE_DAY
        return day

    def _check_covered(self, day: dt.date) -> None:
        first, last = covered_years()
        if not first <= day.year <= last:
            raise CalendarRangeError(day, first, last)


@lru_cache(maxsize=16_384)
def _national_workday(day: dt.date) -> bool:
    # chinese_calendar re-derives its year range (max() over every holiday) on each
    # call, ~14 us; a publish asks about ~10 days. The data is static, so remember
    # the answers (16k entries cover decades of dates).
    return bool(chinese_calendar.is_workday(day))


def _date_set(days: Iterable[dt.date]) -> frozenset[dt.date]:
    return frozenset(_as_date(day) for day in days)


@cache
def default_calendar() -> WorkingDayCalendar:
    """The national calendar without regional overrides, built once per process."""
    return WorkingDayCalendar()

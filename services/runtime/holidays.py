"""Holiday data: one JSON file per year, taken from the State Council's notice
(国务院办公厅关于XXXX年部分节假日安排的通知), so an operator adds a year the day
the notice is published instead of waiting for a `chinesecalendar` release.

Files shipped in `holiday_data/` cover every year the project knows; files in
GONGSHI_CALENDAR_DIR add (or replace) years locally. A running service calls
`refresh()` now and then: when the local directory changed it reloads, bumps
`generation()`, and the services revise their provisional deadlines
(docs/domain.md "Holiday data"). The file format is in docs/calendar.md.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SHIPPED_DIR = Path(__file__).with_name("holiday_data")
CALENDAR_DIR_ENV = "GONGSHI_CALENDAR_DIR"


@dataclass(frozen=True)
class YearData:
    """One year's rest days and make-up working days (调休), with the notice they come from."""

    year: int
    holidays: Mapping[dt.date, str]
    workdays: Mapping[dt.date, str]
    notice_title: str
    # "" when not known (older notices shipped from the package's data).
    notice_number: str = ""
    notice_date: str = ""
    source: str = ""

    def to_json(self) -> dict:
        return {
            "year": self.year,
            "notice": {"title": self.notice_title, "number": self.notice_number, "date": self.notice_date},
            "holidays": {d.isoformat(): name for d, name in sorted(self.holidays.items())},
            "workdays": {d.isoformat(): name for d, name in sorted(self.workdays.items())},
        }


def parse_year(data: Mapping, source: str = "") -> YearData:
    """A year's data from its JSON form; ValueError naming the first problem."""
    where = source or "holiday data"
    year = data.get("year")
    if not isinstance(year, int) or not 1949 < year < 2200:
        raise ValueError(f"{where}: 'year' must be a year such as 2027")
    notice = data.get("notice") or {}
    title = str(notice.get("title", "")).strip()
    if not title:
        raise ValueError(
            f"{where}: 'notice.title' is required (国务院办公厅关于{year}年部分节假日安排的通知)"
        )
    date = str(notice.get("date", "")).strip()
    if date:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise ValueError(f"{where}: 'notice.date' must be YYYY-MM-DD, not {date!r}") from None
    holidays = _days(data.get("holidays"), year, "holidays", where)
    workdays = _days(data.get("workdays"), year, "workdays", where)
    clash = sorted(set(holidays) & set(workdays))
    if clash:
        raise ValueError(f"{where}: {clash[0].isoformat()} is both a holiday and a working day")
    weekdays = [d for d in workdays if d.weekday() < 5]
    if weekdays:
        # A make-up working day (调休上班) is always a Saturday or Sunday.
        raise ValueError(f"{where}: make-up working day {weekdays[0].isoformat()} is not a weekend day")
    return YearData(
        year,
        holidays,
        workdays,
        title,
        str(notice.get("number", "")).strip(),
        date,
        source,
    )


def _days(value, year: int, key: str, where: str) -> dict[dt.date, str]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: '{key}' must be an object of YYYY-MM-DD: name")
    days: dict[dt.date, str] = {}
    for text, name in value.items():
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{where}: '{key}' has {text!r}, not a YYYY-MM-DD date") from None
        if day.year != year:
            raise ValueError(f"{where}: '{key}' has {text}, outside {year}")
        days[day] = str(name)
    return days


def read_file(path: Path) -> YearData:
    data = parse_year(json.loads(path.read_text(encoding="utf-8")), str(path))
    if path.stem != str(data.year):
        raise ValueError(f"{path}: a year's file is named after its year ({data.year}.json)")
    return data


def _files(directory: Path | None) -> list[Path]:
    if directory is None or not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.json") if p.stem.isdigit())


def load_dir(directory: Path | None) -> dict[int, YearData]:
    """Every valid year file of a directory; a bad file is logged and skipped,
    so one typo does not stop deadlines of the other years."""
    years: dict[int, YearData] = {}
    for path in _files(directory):
        try:
            data = read_file(path)
        except (OSError, ValueError) as exc:
            log.error("holiday data file ignored: %s", exc)
            continue
        years[data.year] = data
    return years


def local_dir() -> Path | None:
    value = os.environ.get(CALENDAR_DIR_ENV, "").strip()
    return Path(value) if value else None


@dataclass(frozen=True)
class HolidayData:
    """The years known now: shipped files, then the local directory's."""

    years: Mapping[int, YearData]
    shipped_years: frozenset[int]

    def covers(self, year: int) -> bool:
        return year in self.years

    def rest_or_work(self, day: dt.date) -> bool | None:
        """True for a working day, False for a rest day, None if the year is unknown."""
        data = self.years.get(day.year)
        if data is None:
            return None
        if day in data.holidays:
            return False
        if day in data.workdays:
            return True
        return day.weekday() < 5

    @property
    def local_years(self) -> frozenset[int]:
        """Years added (or replaced) by the local directory."""
        return frozenset(y for y, d in self.years.items() if not d.source.startswith(str(SHIPPED_DIR)))


class _Store:
    """The process's current data and the local directory's signature it was read from."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.data: HolidayData | None = None
        self.signature: tuple = ()
        self.generation = 0

    def current(self) -> HolidayData:
        if self.data is None:
            self.refresh()
        return self.data

    def refresh(self) -> frozenset[int]:
        """Reload if GONGSHI_CALENDAR_DIR changed; the years whose data changed."""
        directory = local_dir()
        signature = _signature(directory)
        with self._lock:
            if self.data is not None and signature == self.signature:
                return frozenset()
            shipped = load_dir(SHIPPED_DIR)
            years = {**shipped, **load_dir(directory)}
            old = self.data.years if self.data is not None else {}
            changed = frozenset(
                y for y in set(years) | set(old) if (y in years) != (y in old) or _differs(years[y], old[y])
            )
            first = self.data is None
            self.data = HolidayData(years, frozenset(shipped))
            self.signature = signature
            if changed and not first:
                self.generation += 1
                log.info("holiday data changed for %s (generation %d)", sorted(changed), self.generation)
            return frozenset() if first else changed


def _differs(a: YearData, b: YearData) -> bool:
    return (a.holidays, a.workdays) != (b.holidays, b.workdays)


def _signature(directory: Path | None) -> tuple:
    out = [str(directory)]
    for path in _files(directory):
        try:
            stat = path.stat()
        except OSError:
            continue
        out.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(out)


_STORE = _Store()


def current() -> HolidayData:
    """The holiday data in force in this process."""
    return _STORE.current()


def refresh() -> frozenset[int]:
    """Look at GONGSHI_CALENDAR_DIR again (cheap: a directory listing); the
    years whose data changed since the last look, empty if none did."""
    return _STORE.refresh()


def generation() -> int:
    """Bumped each time the data changes, so caches and services can tell."""
    _STORE.current()
    return _STORE.generation


def add_to_dir(data: YearData, directory: Path) -> Path:
    """Write a year's file into the local directory (atomically: a service
    polling the directory never reads half a file)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{data.year}.json"
    tmp = directory / f".{data.year}.json.tmp"
    tmp.write_text(json.dumps(data.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


class CalendarWatch:
    """Tells a service's scan when to revise its provisional deadlines: on
    start (a local year may have arrived while the service was down) and
    whenever the holiday data changes. One per scanning job; years stay
    pending until `done()`, so a failed revision is retried next round."""

    def __init__(self) -> None:
        self.seen = -1
        self.pending: set[int] = set()

    def years_to_revise(self) -> frozenset[int]:
        changed = refresh()
        if self.seen < 0:
            self.seen = generation()
            self.pending |= current().local_years
        elif generation() != self.seen:
            self.seen = generation()
            self.pending |= changed or current().local_years
        return frozenset(self.pending)

    def done(self) -> None:
        self.pending.clear()

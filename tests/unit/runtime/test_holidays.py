"""Holiday data files: the shipped ones agree with `chinesecalendar`, a
local directory adds a year without a restart, bad files are refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from services.runtime import holidays
from services.runtime.calendar import Deadline, WorkingDayCalendar
from services.runtime.holiday_package import package_years, year_from_package

D = dt.date
# A synthetic year far ahead: its dates are invented for the test, not a notice's.
SYNTHETIC = {
    "year": 2099,
    "notice": {"title": "synthetic test notice for 2099", "number": "", "date": "2098-11-01"},
    "holidays": {"2099-01-01": "元旦", "2099-01-02": "元旦"},
    "workdays": {"2099-01-03": "元旦"},
}


def test_every_year_the_package_covers_is_shipped_and_agrees() -> None:
    shipped = holidays.load_dir(holidays.SHIPPED_DIR)
    for year in package_years():
        assert year in shipped, f"no shipped file for {year}"
        expected = year_from_package(year)
        assert dict(shipped[year].holidays) == dict(expected.holidays), year
        assert dict(shipped[year].workdays) == dict(expected.workdays), year
        assert shipped[year].notice_title == f"国务院办公厅关于{year}年部分节假日安排的通知"


@pytest.fixture
def local_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(holidays.CALENDAR_DIR_ENV, str(tmp_path))
    holidays.refresh()
    yield tmp_path
    monkeypatch.delenv(holidays.CALENDAR_DIR_ENV)
    holidays.refresh()


def test_a_year_added_locally_is_used_without_a_restart(local_dir) -> None:
    cal = WorkingDayCalendar()
    before = cal.deadline(D(2098, 12, 30), 3)  # Tue -> Wed 31, Thu 1, Fri 2 (Monday-Friday estimate)
    assert before == Deadline(D(2099, 1, 2), (2098, 2099))
    assert before.provisional and "2098, 2099" in before.note and "Monday–Friday" in before.note
    generation = holidays.generation()
    (local_dir / "2099.json").write_text(json.dumps(SYNTHETIC, ensure_ascii=False), encoding="utf-8")
    assert holidays.refresh() == frozenset({2099})
    assert holidays.generation() == generation + 1
    assert holidays.refresh() == frozenset()  # nothing changed since
    assert cal.is_working_day(D(2099, 1, 1)) is False
    assert cal.is_working_day(D(2099, 1, 3)) is True  # a Saturday made a working day
    # 2098 is still unknown: Wed 31 estimated, 1 and 2 January rest, Saturday 3 works, Monday 5.
    assert cal.deadline(D(2098, 12, 30), 3) == Deadline(D(2099, 1, 5), (2098,))
    assert cal.deadline(D(2099, 1, 1), 2) == Deadline(D(2099, 1, 5))
    assert Deadline(D(2099, 1, 5)).note == ""
    assert 2099 in holidays.current().local_years


def test_add_to_dir_writes_a_file_the_loader_reads_back(tmp_path) -> None:
    data = holidays.parse_year(SYNTHETIC)
    path = holidays.add_to_dir(data, tmp_path)
    assert path.name == "2099.json"
    assert holidays.read_file(path) == holidays.YearData(**{**data.__dict__, "source": str(path)})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"notice": {}}, "notice.title"),
        ({"holidays": {"2098-12-31": "x"}}, "outside 2099"),
        ({"holidays": {"2099-13-01": "x"}}, "not a YYYY-MM-DD"),
        ({"workdays": {"2099-01-05": "x"}}, "not a weekend day"),
        ({"holidays": {"2099-01-03": "x"}, "workdays": {"2099-01-03": "x"}}, "both a holiday"),
        ({"year": "2099"}, "'year'"),
    ],
)
def test_bad_files_are_refused_with_the_reason(change, message) -> None:
    with pytest.raises(ValueError, match=message):
        holidays.parse_year({**SYNTHETIC, **change})


def test_a_bad_local_file_is_skipped_not_fatal(local_dir) -> None:
    (local_dir / "2099.json").write_text('{"year": 2099}', encoding="utf-8")
    holidays.refresh()
    assert not holidays.current().covers(2099)
    assert holidays.current().covers(2026)


def test_a_watch_keeps_years_pending_until_their_revision_is_done(local_dir) -> None:
    watch = holidays.CalendarWatch()
    assert watch.years_to_revise() == frozenset()  # nothing local yet
    (local_dir / "2099.json").write_text(json.dumps(SYNTHETIC, ensure_ascii=False), encoding="utf-8")
    assert watch.years_to_revise() == frozenset({2099})
    assert watch.years_to_revise() == frozenset({2099})  # the revision failed: asked again
    watch.done()
    assert watch.years_to_revise() == frozenset()
    # A service starting with the year already in its directory catches up on it.
    assert holidays.CalendarWatch().years_to_revise() == frozenset({2099})

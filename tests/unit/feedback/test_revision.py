"""Which rule recomputes a provisional feedback clock (J2, J3), and from what."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from gongshi.v1 import feedback_pb2 as pb
from services.feedback.revision import revised_dues
from services.runtime import holidays
from services.runtime.calendar import Deadline, WorkingDayCalendar

UTC = dt.UTC
SYNTHETIC_2099 = {
    "year": 2099,
    "notice": {"title": "synthetic test notice for 2099"},
    "holidays": {"2099-01-01": "元旦", "2099-01-02": "元旦"},
    "workdays": {"2099-01-03": "元旦"},
}


@pytest.fixture(autouse=True)
def year_2099(tmp_path, monkeypatch):
    holidays.add_to_dir(holidays.parse_year(SYNTHETIC_2099), tmp_path)
    monkeypatch.setenv(holidays.CALENDAR_DIR_ENV, str(tmp_path))
    holidays.refresh()
    yield
    monkeypatch.delenv(holidays.CALENDAR_DIR_ENV)
    holidays.refresh()


def case(**fields) -> SimpleNamespace:
    values = dict(
        received_at=dt.datetime(2099, 1, 1, 2, tzinfo=UTC),  # 10:00 in China
        acceptance_due_provisional=True,
        conclusion_due_provisional=False,
        is_objection=False,
        reopen_count=0,
        reopened_at=None,
        accepted_at=None,
        extension_days=0,
    )
    return SimpleNamespace(**{**values, **fields})


CAL = WorkingDayCalendar()


def test_acceptance_counts_from_receipt_or_the_last_transfer():
    # 1, 2 January off, Saturday 3 works: 3, 5, 6, 7, 8.
    assert revised_dues(case(), CAL, None) == {pb.OVERDUE_KIND_ACCEPTANCE: Deadline(dt.date(2099, 1, 8))}
    moved = revised_dues(case(), CAL, dt.date(2099, 1, 5))
    assert moved[pb.OVERDUE_KIND_ACCEPTANCE] == Deadline(dt.date(2099, 1, 12))


def test_conclusion_by_kind_of_case():
    objection = case(acceptance_due_provisional=False, conclusion_due_provisional=True, is_objection=True)
    assert revised_dues(objection, CAL, None)[pb.OVERDUE_KIND_CONCLUSION].day == dt.date(2099, 1, 8)
    accepted = case(
        acceptance_due_provisional=False,
        conclusion_due_provisional=True,
        accepted_at=dt.datetime(2099, 1, 3, 2, tzinfo=UTC),
    )
    # 30 natural days from Saturday 3 January: Monday 2 February.
    assert revised_dues(accepted, CAL, None)[pb.OVERDUE_KIND_CONCLUSION].day == dt.date(2099, 2, 2)
    extended = SimpleNamespace(**{**accepted.__dict__, "extension_days": 5})
    assert revised_dues(extended, CAL, None)[pb.OVERDUE_KIND_CONCLUSION].day == dt.date(2099, 2, 9)
    reopened = SimpleNamespace(
        **{**accepted.__dict__, "reopen_count": 1, "reopened_at": dt.datetime(2099, 1, 10, 2, tzinfo=UTC)}
    )
    assert revised_dues(reopened, CAL, None)[pb.OVERDUE_KIND_CONCLUSION].day == dt.date(2099, 2, 9)


def test_a_count_into_a_further_unknown_year_stays_provisional():
    late = case(received_at=dt.datetime(2099, 12, 30, 2, tzinfo=UTC))
    due = revised_dues(late, CAL, None)[pb.OVERDUE_KIND_ACCEPTANCE]
    assert due.provisional and due.unknown_years == (2100,)

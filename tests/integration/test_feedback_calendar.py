"""Feedback clocks across a year without holiday data (issue 16.1): provisional
until the year's file arrives in GONGSHI_CALENDAR_DIR, then revised once by the
running service, with the overdue state corrected both ways. The feedback
service runs in this event loop (real NATS, real database, a test clock)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from gongshi.v1 import feedback_pb2 as pb
from services.runtime import holidays
from tests.support.feedback_harness import Harness, overdue_events, running_feedback

# A synthetic 2027 for the test (invented dates, not the State Council's
# notice): 1, 4 and 5 January off, Saturday 9 January a working day.
SYNTHETIC_2027 = {
    "year": 2027,
    "notice": {"title": "synthetic test notice for 2027", "number": "", "date": ""},
    "holidays": {"2027-01-01": "元旦", "2027-01-04": "元旦", "2027-01-05": "元旦"},
    "workdays": {"2027-01-09": "元旦"},
}


@pytest.fixture
async def feedback(db_url, nats_server, tmp_path, monkeypatch) -> AsyncIterator[Harness]:
    calendar_dir = tmp_path / "calendar"
    monkeypatch.setenv(holidays.CALENDAR_DIR_ENV, str(calendar_dir))
    holidays.refresh()
    try:
        async with running_feedback(db_url, nats_server.url, tmp_path) as harness:
            harness.calendar_dir = calendar_dir
            yield harness
    finally:
        monkeypatch.delenv(holidays.CALENDAR_DIR_ENV)
        holidays.refresh()


async def revised_events(h: Harness, agency, at_least: int, wait: float = 10.0) -> list:
    messages = await h.events(
        f"gongshi.feedback.deadline_revised.{agency.code}", at_least=at_least, wait=wait
    )
    return [pb.FeedbackDeadlineRevised.FromString(data) for _, data in messages]


async def test_clocks_into_a_year_without_data_are_provisional_then_revised_once(feedback: Harness):
    h = feedback
    agency = await h.agency()
    h.clock.set("2026-12-29", 10, 0)  # Tuesday: 30, 31 December, then 1, 4, 5 January as weekdays
    waiting = (await h.on_agency(agency)).feedback
    accepted_code = (await h.on_agency(agency)).tracking_code
    assert waiting.acceptance_due == "2027-01-05" and waiting.acceptance_due_provisional
    accepted = await h.stub.AcceptFeedback(
        pb.AcceptFeedbackRequest(feedback_id=accepted_code), metadata=agency.auth
    )
    # 30 natural days: Thursday 28 January, a working day either way, but not known to be one yet.
    assert accepted.feedback.conclusion_due == "2027-01-28" and accepted.feedback.conclusion_due_provisional

    h.clock.set("2027-01-06", 0, 5)
    [alert] = await overdue_events(h, agency, at_least=1)
    assert alert.feedback.id == waiting.id and alert.kind == pb.OVERDUE_KIND_ACCEPTANCE
    assert alert.due == "2027-01-05" and alert.due_provisional  # the alert says it is provisional

    path = h.calendar_dir / "2027.json"
    h.calendar_dir.mkdir()
    path.write_text(json.dumps(SYNTHETIC_2027, ensure_ascii=False), encoding="utf-8")
    revised = await revised_events(h, agency, at_least=3)
    by_key = {(e.feedback.id, e.kind): e for e in revised}
    assert len(revised) == len(by_key) == 3  # once each
    first = by_key[(waiting.id, pb.OVERDUE_KIND_ACCEPTANCE)]
    # 30, 31 December, then 6, 7, 8 January (1, 4, 5 January off).
    assert (first.previous_due, first.due) == ("2027-01-05", "2027-01-08")
    assert first.overdue_cleared and not first.provisional and not first.feedback.acceptance_overdue
    conclusion = by_key[(accepted_code, pb.OVERDUE_KIND_CONCLUSION)]
    assert (conclusion.previous_due, conclusion.due) == (
        "2027-01-28",
        "2027-01-28",
    ) and not conclusion.provisional
    public = await h.stub.GetFeedback(pb.GetFeedbackRequest(id=accepted_code))
    assert public.conclusion_due == "2027-01-28" and not public.conclusion_due_provisional

    await h.scanner.scan()
    assert len(await revised_events(h, agency, at_least=3, wait=0.5)) == 3  # not revised twice
    h.clock.set("2027-01-11", 0, 5)  # after the revised due date: overdue again, on a final date
    alerts = await overdue_events(h, agency, at_least=2)
    assert len(alerts) == 2 and alerts[1].due == "2027-01-08" and not alerts[1].due_provisional

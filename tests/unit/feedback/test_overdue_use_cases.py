"""The overdue clocks as a use case (services/feedback/clocks.py) on the
in-memory unit of work: a passed deadline is marked, recorded in the public
history and announced once; what is decided in time is never marked."""

from __future__ import annotations

import pytest

from gongshi.v1 import feedback_pb2 as pb
from services.feedback.clocks import OverdueScanner
from tests.support.feedback_fakes import FakeFeedback, agency, key_of
from tests.unit.feedback.conftest import SCJG

K = pb.OverdueKind


@pytest.fixture
def scanner(fake: FakeFeedback) -> OverdueScanner:
    return OverdueScanner(fake.handlers)


async def test_acceptance_is_overdue_from_the_sixth_working_day_and_announced_once(fake, scanner):
    code = (await fake.on_agency(SCJG)).tracking_code  # Monday 2026-11-02: due Monday 11-09
    fake.clock.set("2026-11-09", 23, 59)
    assert await scanner.scan() == 0
    fake.clock.set("2026-11-10", 0, 1)
    assert await scanner.scan() == 1
    [(_, agency_code, event)] = fake.units.events("overdue")
    assert agency_code == SCJG and (event.kind, event.due) == (K.OVERDUE_KIND_ACCEPTANCE, "2026-11-09")
    assert event.feedback.acceptance_overdue and not event.due_provisional
    assert event.detected_at.startswith("2026-11-09T16:01")  # 00:01 in China, in UTC
    assert [(c.event, c.note) for c in event.feedback.history][-1] == ("acceptance_overdue", "2026-11-09")
    assert fake.units.audit_log[-1].operation == "MarkOverdue" and code in fake.units.locks

    fake.clock.set("2026-11-12")
    assert await scanner.scan() == 0 and len(fake.units.events("overdue")) == 1
    accepted = await fake.handlers.accept(agency(SCJG), code, "")  # late, but accepted
    assert accepted.feedback.acceptance_overdue


async def test_a_case_decided_in_time_is_never_marked(fake, scanner):
    accepted, rejected = [(await fake.on_agency(SCJG)).tracking_code for _ in range(2)]
    await fake.handlers.accept(agency(SCJG), accepted, "")
    await fake.handlers.reject(agency(SCJG), rejected, "重复")
    fake.clock.set("2026-12-02", 23)  # the conclusion is due today
    assert await scanner.scan() == 0 and fake.units.events("overdue") == []


async def test_the_conclusion_clock_holds_an_extension_and_a_reply_stops_it(fake, scanner):
    extended, answered, late = [(await fake.on_agency(SCJG)).tracking_code for _ in range(3)]
    for code in (extended, answered, late):
        await fake.handlers.accept(agency(SCJG), code, "")
    await fake.handlers.extend(
        agency(SCJG),
        pb.ExtendDeadlineRequest(
            feedback_id=extended, days=20, reason="核查", approval_ref="7号", approver="李"
        ),
    )
    await fake.handlers.reply(agency(SCJG), answered, "已处理。")
    await fake.handlers.close(agency(SCJG), answered, "")
    fake.clock.set("2026-12-03")
    assert await scanner.scan() == 1
    [(_, _, event)] = fake.units.events("overdue")
    assert (event.feedback.id, event.kind, event.due) == (late, K.OVERDUE_KIND_CONCLUSION, "2026-12-02")
    fake.clock.set("2026-12-23")
    assert await scanner.scan() == 1
    assert fake.units.events("overdue")[-1][2].feedback.id == extended


async def test_an_objection_runs_one_clock_from_receipt_and_a_reopened_case_a_new_one(fake, scanner):
    fake.units.add_record(
        pb.FEEDBACK_TARGET_TYPE_RESULT, SCJG, "R1", pb.TARGET_STATE_CURRENT, party_type=1, party_name="某公司"
    )
    objection = await fake.submit(
        pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_RESULT, id="R1"),
        category=pb.FEEDBACK_CATEGORY_INFORMATION_WRONG,
        objection=pb.Objection(party_name="某公司"),
    )
    answered = await fake.on_agency(SCJG)
    await fake.handlers.accept(agency(SCJG), answered.tracking_code, "")  # due 2026-12-02
    await fake.handlers.reply(agency(SCJG), answered.tracking_code, "已处理。")

    fake.clock.set("2026-11-09", 23)  # the objection's 5 working days end today
    assert await scanner.scan() == 0
    fake.clock.set("2026-11-10")  # an objection has no acceptance clock: one event, its conclusion
    assert await scanner.scan() == 1
    [(_, _, event)] = fake.units.events("overdue")
    assert (event.feedback.id, event.kind, event.due) == (
        objection.tracking_code,
        K.OVERDUE_KIND_CONCLUSION,
        "2026-11-09",
    )

    fake.clock.set("2026-11-25")
    await fake.handlers.reopen(key_of(answered), "答复没有回应问题")  # due again 2026-12-25
    fake.clock.set("2026-12-25", 23)
    assert await scanner.scan() == 0
    fake.clock.set("2026-12-26")
    assert await scanner.scan() == 1
    assert fake.units.events("overdue")[-1][2].feedback.id == answered.tracking_code

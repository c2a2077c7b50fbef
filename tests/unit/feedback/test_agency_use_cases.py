"""The agency's workflow as use cases (services/feedback/agency.py) on the
in-memory unit of work: who may act, which transitions are allowed or
refused and with which field errors, what each publishes and audits, the
deadlines it sets, and that a retried call or a refusal changes nothing."""

from __future__ import annotations

import pytest

from gongshi.v1 import feedback_pb2 as pb
from gongshi.v1 import results_pb2
from services.runtime import events as ev
from services.runtime import limits
from services.runtime.errors import FailedPrecondition, NotFound, PermissionDenied, Unauthenticated
from tests.support.feedback_fakes import ADMIN, FakeFeedback, agency, violations
from tests.unit.feedback.conftest import CGJ, SCJG

S = pb.FeedbackStatus


async def received(fake: FakeFeedback, **fields) -> str:
    return (await fake.on_agency(SCJG, **fields)).tracking_code


async def accepted(fake: FakeFeedback) -> str:
    code = await received(fake)
    await fake.handlers.accept(agency(SCJG), code, "")
    return code


async def replied(fake: FakeFeedback) -> str:
    code = await accepted(fake)
    await fake.handlers.reply(agency(SCJG), code, "经核查，已处理。")
    return code


def snapshot(fake: FakeFeedback) -> tuple:
    """Everything a refused change must leave as it was."""
    u = fake.units
    return (len(u.outbox), len(u.audit_log), len(u.tables.history), len(u.tables.replies), len(u.committed))


# ---------------------------------------------------------------- accept


async def test_accept_starts_the_thirty_day_clock_announces_and_audits_once(fake):
    code = await received(fake)
    view = await fake.handlers.accept(agency(SCJG), code, "已受理")
    assert view.feedback.status == S.FEEDBACK_STATUS_ACCEPTED
    assert view.feedback.conclusion_due == "2026-12-02"  # 30 days from Monday 2026-11-02
    assert [(c.event, c.note) for c in view.feedback.history] == [("received", ""), ("accepted", "已受理")]
    [(_, agency_code, event)] = fake.units.events("accepted")
    assert agency_code == SCJG and isinstance(event, pb.FeedbackAccepted) and event.feedback.id == code
    assert event.feedback.status == S.FEEDBACK_STATUS_ACCEPTED
    entry = fake.units.audit_log[-1]
    assert (entry.operation, entry.record_id, entry.principal) == ("AcceptFeedback", code, agency(SCJG))
    assert (entry.before.status, entry.after.status) == (
        S.FEEDBACK_STATUS_RECEIVED,
        S.FEEDBACK_STATUS_ACCEPTED,
    )
    assert code in fake.units.locks  # the case is written under its row lock

    version = fake.case(code).version
    again = await fake.handlers.accept(agency(SCJG), code, "已受理")  # a retried call
    assert again.feedback.status == S.FEEDBACK_STATUS_ACCEPTED
    assert len(fake.units.events("accepted")) == 1 and fake.units.audit_log[-1] is entry
    assert fake.case(code).version == version


async def test_only_the_handling_agency_writes_and_a_refusal_leaves_nothing(fake):
    code = await received(fake)
    before = snapshot(fake)
    with pytest.raises(PermissionDenied):
        await fake.handlers.accept(agency(CGJ), code, "")
    with pytest.raises(Unauthenticated):
        await fake.handlers.accept(None, code, "")
    with pytest.raises(PermissionDenied):  # an administrator acts only on cases the platform holds
        await fake.handlers.accept(ADMIN, code, "")
    with pytest.raises(NotFound):
        await fake.handlers.accept(agency(SCJG), "GS-20261102-NOSUCHCASE", "")
    assert snapshot(fake) == before
    assert fake.units.rolled_back == ["feedback.AcceptFeedback"] * 4
    assert fake.case(code).status == S.FEEDBACK_STATUS_RECEIVED


async def test_a_note_over_the_limit_names_its_field(fake):
    code = await received(fake)
    with pytest.raises(Exception) as caught:
        await fake.handlers.accept(agency(SCJG), code, "注" * (limits.MEDIUM_TEXT + 1))
    assert "note" in violations(caught)
    with pytest.raises(Exception) as caught:
        await fake.handlers.close(agency(SCJG), code, "注" * (limits.MEDIUM_TEXT + 1))
    assert "note" in violations(caught)


# ---------------------------------------------------------------- reject and transfer


async def test_reject_needs_a_reason_and_only_a_received_case_can_be_rejected(fake):
    code = await received(fake)
    with pytest.raises(Exception) as caught:
        await fake.handlers.reject(agency(SCJG), code, "  ")
    assert "reason" in violations(caught)
    view = await fake.handlers.reject(agency(SCJG), code, " 已由12345热线办理 ")
    assert view.feedback.status == S.FEEDBACK_STATUS_REJECTED
    assert view.feedback.rejection_reason == "已由12345热线办理"
    [(_, _, event)] = fake.units.events("rejected")
    assert event.reason == "已由12345热线办理"
    await fake.handlers.reject(agency(SCJG), code, "已由12345热线办理")  # a retried call
    assert len(fake.units.events("rejected")) == 1
    with pytest.raises(FailedPrecondition, match="only a received case can be rejected"):
        await fake.handlers.reject(agency(SCJG), code, "另一个理由")
    with pytest.raises(FailedPrecondition, match="only a received case can be accepted"):
        await fake.handlers.accept(agency(SCJG), code, "")


async def test_transfer_checks_its_fields_restarts_the_acceptance_clock_and_hands_over(fake):
    code = await received(fake)
    for to_agency, reason, field_name in (
        (CGJ, "", "reason"),
        ("", "职责不符", "to_agency_code"),
        ("NOPE-1", "职责不符", "to_agency_code"),
        (SCJG, "职责不符", "to_agency_code"),
    ):
        with pytest.raises(Exception) as caught:
            await fake.handlers.transfer(agency(SCJG), code, to_agency, reason)
        assert field_name in violations(caught), (to_agency, reason)
    assert fake.units.events("transferred") == []

    fake.clock.set("2026-11-04")
    moved = await fake.handlers.transfer(agency(SCJG), code, CGJ, " 占道经营属城管职责 ")
    assert moved.feedback.agency_code == CGJ and moved.feedback.original_agency_code == SCJG
    assert moved.feedback.acceptance_due == "2026-11-11"  # 5 working days from the transfer
    assert moved.feedback.agency_name == "测试城市管理综合执法局"
    transfer = moved.feedback.history[-1]
    assert (transfer.event, transfer.agency_code) == ("transferred", SCJG)  # counted for who handed it on
    assert transfer.note == f"转办 → {CGJ}：占道经营属城管职责"
    [(_, subject_agency, event)] = fake.units.events("transferred")
    assert subject_agency == SCJG
    assert (event.from_agency_code, event.to_agency_code, event.reason) == (SCJG, CGJ, "占道经营属城管职责")
    with pytest.raises(PermissionDenied):
        await fake.handlers.accept(agency(SCJG), code, "")
    assert (await fake.handlers.accept(agency(CGJ), code, "")).feedback.status == S.FEEDBACK_STATUS_ACCEPTED
    with pytest.raises(FailedPrecondition, match="only a received case can be transferred"):
        await fake.handlers.transfer(agency(CGJ), code, SCJG, "退回")


async def test_a_case_is_transferred_a_bounded_number_of_times(fake):
    code = await received(fake)
    holders = [SCJG, CGJ]
    for i in range(limits.FEEDBACK_MAX_TRANSFERS):
        await fake.handlers.transfer(agency(holders[i % 2]), code, holders[(i + 1) % 2], "职责不符")
    holder = holders[limits.FEEDBACK_MAX_TRANSFERS % 2]
    with pytest.raises(FailedPrecondition, match="accept or reject it"):
        await fake.handlers.transfer(agency(holder), code, holders[0] if holder != SCJG else CGJ, "再转")
    assert len(fake.units.events("transferred")) == limits.FEEDBACK_MAX_TRANSFERS


async def test_a_case_the_platform_holds_is_assigned_by_an_administrator_only(fake):
    submitted = await fake.submit(pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_PLATFORM))
    code = submitted.tracking_code
    assert submitted.feedback.agency_code == ev.PLATFORM_OWNER
    with pytest.raises(PermissionDenied):
        await fake.handlers.transfer(agency(SCJG), code, SCJG, "本局职责")
    with pytest.raises(PermissionDenied):  # the exception is for assigning, not for handling
        await fake.handlers.accept(ADMIN, code, "")
    assigned = await fake.handlers.transfer(ADMIN, code, SCJG, "属市场监管职责")
    assert assigned.feedback.agency_code == SCJG
    assert fake.units.audit_log[-1].principal == ADMIN


# ---------------------------------------------------------------- reply and close


async def test_reply_needs_an_accepted_case_and_a_text(fake):
    code = await received(fake)
    with pytest.raises(FailedPrecondition, match="accept the feedback before replying"):
        await fake.handlers.reply(agency(SCJG), code, "答复")
    for text in ("  ", "长" * (limits.FEEDBACK_TEXT + 1)):
        with pytest.raises(Exception) as caught:
            await fake.handlers.reply(agency(SCJG), code, text)
        assert "text" in violations(caught)
    assert fake.units.tables.replies == []


async def test_a_reply_is_masked_in_public_times_the_first_answer_and_a_retry_adds_nothing(fake):
    contact = pb.ContactDetails(name="王小明", phone="13812345678", address="黄浦区某路1号")
    code = await received(fake, contact=contact)
    await fake.handlers.accept(agency(SCJG), code, "")
    fake.clock.set("2026-11-05")
    text = "王小明同志：经核查已处理，电话13812345678已回访。"
    view = await fake.handlers.reply(agency(SCJG), code, text)
    assert view.feedback.status == S.FEEDBACK_STATUS_REPLIED
    assert view.replies[0].text == text  # the agency sees what it wrote
    public = view.feedback.replies[0].text
    assert "王小明" not in public and "13812345678" not in public and "经核查已处理" in public
    case = fake.case(code)
    assert case.first_reply_at is not None and case.replied_on_time is True
    [(_, _, event)] = fake.units.events("replied")
    assert event.reply.id == view.replies[0].id and "13812345678" not in event.reply.text

    await fake.handlers.reply(agency(SCJG), code, text)  # a retried call
    assert len(fake.units.tables.replies) == 1 and len(fake.units.events("replied")) == 1
    await fake.handlers.reply(agency(SCJG), code, "补充答复。")
    assert len(fake.units.events("replied")) == 2
    assert fake.case(code).first_reply_at == case.first_reply_at  # the first answer's time stays


async def test_a_reply_after_the_deadline_is_late(fake):
    code = await accepted(fake)
    fake.clock.set("2026-12-03")  # due 2026-12-02
    await fake.handlers.reply(agency(SCJG), code, "迟到的答复。")
    assert fake.case(code).replied_on_time is False


async def test_close_only_after_a_reply_and_once(fake):
    code = await accepted(fake)
    with pytest.raises(FailedPrecondition, match="reply to the feedback before closing"):
        await fake.handlers.close(agency(SCJG), code, "")
    await fake.handlers.reply(agency(SCJG), code, "已处理。")
    closed = await fake.handlers.close(agency(SCJG), code, "办结")
    assert closed.feedback.status == S.FEEDBACK_STATUS_CLOSED and closed.feedback.closed_at
    assert [c.event for c in closed.feedback.history] == ["received", "accepted", "replied", "closed"]
    await fake.handlers.close(agency(SCJG), code, "办结")
    assert [t for t, _, _ in fake.units.events()] == ["received", "accepted", "replied", "closed"]
    with pytest.raises(FailedPrecondition, match="takes no more replies"):
        await fake.handlers.reply(agency(SCJG), code, "再答复")


# ---------------------------------------------------------------- extension


def extension(code: str, **fields) -> pb.ExtendDeadlineRequest:
    values = dict(days=20, reason="需现场核查", approval_ref="沪黄市监延〔2026〕7号", approver="李副局长")
    return pb.ExtendDeadlineRequest(feedback_id=code, **{**values, **fields})


async def test_an_extension_needs_a_recorded_approval_and_names_every_missing_field(fake):
    code = await accepted(fake)
    with pytest.raises(Exception) as caught:
        await fake.handlers.extend(agency(SCJG), extension(code, days=21, approval_ref="", approver=" "))
    assert set(violations(caught)) == {"days", "approval_ref", "approver"}
    with pytest.raises(Exception) as caught:
        await fake.handlers.extend(agency(SCJG), extension(code, days=0))
    assert set(violations(caught)) == {"days"}
    assert fake.units.events("extended") == []


async def test_one_extension_of_at_most_twenty_days_before_the_deadline(fake):
    code, late = await received(fake), await accepted(fake)  # late is due 2026-12-02
    with pytest.raises(FailedPrecondition, match="no conclusion deadline"):
        await fake.handlers.extend(agency(SCJG), extension(code))
    await fake.handlers.accept(agency(SCJG), code, "")
    fake.clock.set("2026-11-30")
    extended = await fake.handlers.extend(agency(SCJG), extension(code))
    assert extended.feedback.conclusion_due == "2026-12-22" and extended.feedback.extension_days == 20
    assert (extended.extension_approval_ref, extended.extension_approver) == (
        "沪黄市监延〔2026〕7号",
        "李副局长",
    )
    [(_, _, event)] = fake.units.events("extended")
    assert (event.days, event.approval_ref, event.approver) == (20, "沪黄市监延〔2026〕7号", "李副局长")
    with pytest.raises(FailedPrecondition, match="already extended once"):
        await fake.handlers.extend(agency(SCJG), extension(code, days=1))

    fake.clock.set("2026-12-03")
    with pytest.raises(FailedPrecondition, match="has passed"):
        await fake.handlers.extend(agency(SCJG), extension(late))
    assert len(fake.units.events("extended")) == 1


# ---------------------------------------------------------------- objections


ORGANISATION = dict(
    party_type=results_pb2.PARTY_TYPE_LEGAL_PERSON,
    party_name="上海某某餐饮管理有限公司",
    party_uscc="91310101MA1FPX1234",
)
PERSON = dict(
    party_type=results_pb2.PARTY_TYPE_NATURAL_PERSON,
    party_name="张某某",
    party_id_number="110101********1234",
)


async def objection(
    fake: FakeFeedback,
    party: dict = ORGANISATION,
    claim: tuple[str, str] = ("上海某某餐饮管理有限公司", "91310101MA1FPX1234"),
) -> str:
    """An objection by the party to result R1 of SCJG, as intake accepts it."""
    fake.units.add_record(pb.FEEDBACK_TARGET_TYPE_RESULT, SCJG, "R1", pb.TARGET_STATE_CURRENT, **party)
    submitted = await fake.submit(
        pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_RESULT, id="R1"),
        category=pb.FEEDBACK_CATEGORY_INFORMATION_WRONG,
        text="罚款金额应为三万元，决定书载明有误。",
        objection=pb.Objection(party_name=claim[0], party_identifier=claim[1]),
    )
    return submitted.tracking_code


def decision(code: str, outcome: int = pb.OBJECTION_OUTCOME_CORRECT, **fields) -> pb.DecideObjectionRequest:
    values = dict(reason="经复核，罚款金额录入有误", corrected_conclusion="罚款人民币三万元")
    return pb.DecideObjectionRequest(feedback_id=code, outcome=outcome, **{**values, **fields})


async def test_an_objection_is_decided_not_replied_to_nor_extended(fake):
    code = await objection(fake)
    assert fake.case(code).conclusion_due == "2026-11-09"  # 5 working days from receipt (F3)
    with pytest.raises(FailedPrecondition, match="DecideObjection"):
        await fake.handlers.reply(agency(SCJG), code, "答复")
    with pytest.raises(FailedPrecondition, match="not an objection"):
        await fake.handlers.decide_objection(agency(SCJG), decision(await received(fake)))
    await fake.handlers.accept(agency(SCJG), code, "")
    assert fake.case(code).conclusion_due == "2026-11-09"  # accepting does not restart its clock
    with pytest.raises(FailedPrecondition, match="cannot be extended"):
        await fake.handlers.extend(agency(SCJG), extension(code))


async def test_a_decision_checks_its_fields(fake):
    code = await objection(fake)
    for request, field_name in (
        (decision(code, reason=""), "reason"),
        (decision(code, outcome=0), "outcome"),
        (decision(code, corrected_conclusion="", corrected_facts=" "), "corrected_facts"),
        (decision(code, corrected_facts="事" * (limits.LONG_TEXT + 1)), "corrected_facts"),
    ):
        with pytest.raises(Exception) as caught:
            await fake.handlers.decide_objection(agency(SCJG), request)
        assert field_name in violations(caught)
    assert fake.units.events("objection_decided") == []


async def test_a_decision_closes_the_objection_with_three_events_and_keeps_the_objector_private(fake):
    code = await objection(fake)
    fake.clock.set("2026-11-05")
    decided = await fake.handlers.decide_objection(agency(SCJG), decision(code))
    assert decided.feedback.status == S.FEEDBACK_STATUS_CLOSED
    assert decided.feedback.objection_outcome == pb.OBJECTION_OUTCOME_CORRECT
    assert decided.replies[0].text.endswith("：经复核，罚款金额录入有误")
    assert [t for t, _, _ in fake.units.events()] == ["received", "objection_decided", "replied", "closed"]
    [(_, _, event)] = fake.units.events("objection_decided")
    assert (event.feedback_id, event.result_id, event.outcome) == (code, "R1", pb.OBJECTION_OUTCOME_CORRECT)
    assert event.corrected_conclusion == "罚款人民币三万元" and event.reason == "经复核，罚款金额录入有误"
    assert b"91310101MA1FPX1234" not in event.SerializeToString()
    assert fake.case(code).replied_on_time is True
    with pytest.raises(FailedPrecondition, match="closed objection cannot be decided"):
        await fake.handlers.decide_objection(agency(SCJG), decision(code))


async def test_a_result_taken_down_meanwhile_can_only_be_kept(fake):
    code = await objection(fake)
    fake.case(code).target_state = pb.TARGET_STATE_WITHDRAWN  # as the copies' consumer marks it
    with pytest.raises(FailedPrecondition, match="only keep is possible"):
        await fake.handlers.decide_objection(agency(SCJG), decision(code))
    kept = await fake.handlers.decide_objection(
        agency(SCJG), decision(code, pb.OBJECTION_OUTCOME_KEEP, corrected_conclusion="")
    )
    assert kept.feedback.objection_outcome == pb.OBJECTION_OUTCOME_KEEP


async def test_a_natural_persons_name_is_masked_in_the_decision(fake):
    code = await objection(fake, PERSON, ("张三丰", "110101199003071234"))
    decided = await fake.handlers.decide_objection(
        agency(SCJG),
        decision(code, pb.OBJECTION_OUTCOME_KEEP, reason="张三丰所述不实", corrected_conclusion=""),
    )
    [(_, _, event)] = fake.units.events("objection_decided")
    assert "张三丰" not in event.reason and "张三丰" not in decided.feedback.replies[0].text
    assert "所述不实" in event.reason

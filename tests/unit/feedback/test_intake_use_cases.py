"""Intake as a use case (services/feedback/intake.py) on the in-memory unit
of work: a submission opens a case with its clocks, or links to one opened
minutes before; targets are checked against the local copies, rates counted
on stored submissions, objections against the party as published."""

from __future__ import annotations

import datetime as dt

import pytest

from gongshi.v1 import feedback_pb2 as pb
from gongshi.v1 import results_pb2
from services.runtime import limits
from services.runtime.errors import FailedPrecondition, ResourceExhausted
from tests.support.feedback_fakes import FakeFeedback, violations
from tests.unit.feedback.conftest import SCJG

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
RESULT, DUTY_ITEM = pb.FEEDBACK_TARGET_TYPE_RESULT, pb.FEEDBACK_TARGET_TYPE_DUTY_ITEM


async def test_a_submission_opens_a_case_with_its_acceptance_clock_one_event_and_a_masked_text(fake):
    contact = pb.ContactDetails(name="王小明", phone="13812345678", address="黄浦区某路1号")
    submitted = await fake.on_agency(
        SCJG,
        text="我是王小明，住黄浦区某路1号。执法人员检查时未出示执法证件。",
        contact=contact,
        attachments=[pb.AttachmentUpload(filename="现场.png", data=PNG)],
    )
    code = submitted.tracking_code
    assert code.startswith("GS-20261102-") and submitted.secret and not submitted.linked
    public = submitted.feedback
    assert public.status == pb.FEEDBACK_STATUS_RECEIVED and public.acceptance_due == "2026-11-09"
    assert public.conclusion_due == "" and public.attachment_count == 1
    assert (
        "王小明" not in public.text and "黄浦区某路1号" not in public.text and "未出示执法证件" in public.text
    )
    assert [c.event for c in public.history] == ["received"]
    [(token, agency_code, event)] = fake.units.events()
    assert (token, agency_code, event.feedback) == ("received", SCJG, public)
    [entry] = fake.units.audit_log
    assert (entry.operation, entry.record_id, entry.before, entry.after) == (
        "SubmitFeedback",
        code,
        None,
        public,
    )
    [submission] = fake.units.tables.submissions
    assert submission.contact_phone == "13812345678" and submission.secret_sha256 != submitted.secret.encode()
    assert fake.units.tables.attachments[0].addition_id is None


async def test_an_objection_to_a_result_is_due_in_five_working_days(fake):
    fake.units.add_record(RESULT, SCJG, "R1", pb.TARGET_STATE_CURRENT, party_type=1, party_name="某某公司")
    submitted = await fake.submit(
        pb.FeedbackTarget(type=RESULT, id="R1"),
        category=pb.FEEDBACK_CATEGORY_INFORMATION_WRONG,
        objection=pb.Objection(party_name="某某公司"),
    )
    assert submitted.feedback.is_objection and submitted.feedback.agency_code == SCJG
    assert submitted.feedback.conclusion_due == "2026-11-09"


async def test_targets_are_checked_against_the_local_copies(fake):
    fake.units.add_record(RESULT, SCJG, "R1", pb.TARGET_STATE_CURRENT)
    for target, field_name in (
        (pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_AGENCY, id="UNKNOWN-1"), "target.id"),
        (pb.FeedbackTarget(type=RESULT, id="nosuchresult"), "target.id"),
        (pb.FeedbackTarget(type=RESULT, id="R1", agency_code="CGJ-1"), "target.agency_code"),
        (pb.FeedbackTarget(type=DUTY_ITEM, id="D1", agency_code="UNKNOWN-1"), "target.agency_code"),
    ):
        with pytest.raises(Exception) as caught:
            await fake.submit(target)
        assert field_name in violations(caught), target
    assert fake.units.tables.cases == {} and fake.units.outbox == []

    duty = pb.FeedbackTarget(type=DUTY_ITEM, id="330217001000", agency_code=SCJG)
    unlisted = await fake.submit(duty)  # the agency's list has not arrived: accepted, state unknown
    assert unlisted.feedback.target_state == pb.TARGET_STATE_UNKNOWN
    fake.units.add_record(DUTY_ITEM, SCJG, "330217001000", pb.TARGET_STATE_RETIRED)
    assert (await fake.submit(duty)).feedback.target_state == pb.TARGET_STATE_RETIRED
    with pytest.raises(Exception) as caught:  # once it has, an unknown id is a mistake
        await fake.submit(pb.FeedbackTarget(type=DUTY_ITEM, id="999", agency_code=SCJG))
    assert "target.id" in violations(caught)


async def test_an_objection_must_name_the_party_as_published_and_the_result_be_current(fake):
    fake.units.add_record(
        RESULT,
        SCJG,
        "R1",
        pb.TARGET_STATE_CURRENT,
        party_type=results_pb2.PARTY_TYPE_LEGAL_PERSON,
        party_name="上海某某餐饮管理有限公司",
        party_uscc="91310101MA1FPX1234",
    )
    target = pb.FeedbackTarget(type=RESULT, id="R1")
    wrong = pb.FEEDBACK_CATEGORY_INFORMATION_WRONG
    with pytest.raises(Exception) as caught:
        await fake.submit(target, category=wrong, objection=pb.Objection(party_name="别的公司"))
    assert "objection.party_name" in violations(caught)
    by_code = await fake.submit(
        target,
        category=wrong,
        objection=pb.Objection(party_name="某某餐饮", party_identifier="91310101ma1fpx1234"),
    )
    assert by_code.feedback.is_objection
    fake.units.tables.records[0].state = pb.TARGET_STATE_WITHDRAWN
    with pytest.raises(FailedPrecondition, match="withdrawn"):
        await fake.submit(
            target, category=wrong, objection=pb.Objection(party_name="上海某某餐饮管理有限公司")
        )
    plain = await fake.submit(target, category=pb.FEEDBACK_CATEGORY_QUESTION)  # others may still ask
    assert plain.feedback.target_state == pb.TARGET_STATE_WITHDRAWN and not plain.feedback.is_objection


async def test_the_same_text_about_the_same_target_within_minutes_is_linked(fake):
    text = "某某超市出售过期食品，请查处。"
    first = await fake.on_agency(SCJG, text=text)
    fake.clock.instant += dt.timedelta(minutes=5)
    second = await fake.on_agency(
        SCJG,
        client="198.51.100.9",
        text=" " + text,
        attachments=[pb.AttachmentUpload(filename="a.png", data=PNG)],
    )
    assert second.linked and second.tracking_code == first.tracking_code and second.secret != first.secret
    assert second.feedback.linked_submissions == 1
    assert len(fake.units.events("received")) == 1
    assert fake.units.audit_log[-1].operation == "LinkSubmission"
    assert [s.linked for s in fake.units.tables.submissions] == [False, True]
    [addition] = fake.units.tables.additions  # the linked submission's files join the case
    assert addition.submission_id == fake.units.tables.submissions[1].id
    assert fake.units.tables.attachments[0].addition_id == addition.id
    assert first.tracking_code in fake.units.locks  # linked under the case's lock

    fake.clock.instant += dt.timedelta(seconds=limits.FEEDBACK_DUPLICATE_WINDOW_SECONDS)
    third = await fake.on_agency(SCJG, text=text)
    assert not third.linked and third.tracking_code != first.tracking_code


async def test_rates_are_counted_per_client_and_per_target_and_a_refusal_stores_nothing(fake: FakeFeedback):
    for _ in range(limits.FEEDBACK_PER_CLIENT):
        await fake.on_agency(SCJG, client="198.51.100.7")
    stored = len(fake.units.tables.cases)
    with pytest.raises(ResourceExhausted, match="from your address: at most 10 per hour"):
        await fake.on_agency(SCJG, client="198.51.100.7")
    assert len(fake.units.tables.cases) == stored and fake.units.rolled_back == ["feedback.submit"]
    await fake.on_agency(SCJG, client="198.51.100.8")
    fake.clock.instant += dt.timedelta(seconds=limits.FEEDBACK_PER_CLIENT_WINDOW_SECONDS + 1)
    await fake.on_agency(SCJG, client="198.51.100.7")

    for i in range(limits.FEEDBACK_PER_TARGET):
        await fake.on_agency("CGJ-1", client=f"192.0.2.{i}")
    with pytest.raises(ResourceExhausted, match="about this record"):
        await fake.on_agency("CGJ-1", client="192.0.2.250")

"""What a tracking key allows, as use cases (services/feedback/citizen.py) on
the in-memory unit of work: track, add information, rate, reopen; what each
refuses and with which field errors, and what it publishes."""

from __future__ import annotations

import pytest

from gongshi.v1 import feedback_pb2 as pb
from services.runtime import limits
from services.runtime.errors import FailedPrecondition, NotFound
from tests.support.feedback_fakes import FakeFeedback, agency, key_of, violations
from tests.unit.feedback.conftest import SCJG

S = pb.FeedbackStatus
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
CONTACT = pb.ContactDetails(name="王小明", phone="13812345678", email="wxm@example.com")


async def answered(fake: FakeFeedback, *, close: bool = True) -> pb.SubmitFeedbackResponse:
    submitted = await fake.on_agency(SCJG, contact=CONTACT)
    code = submitted.tracking_code
    await fake.handlers.accept(agency(SCJG), code, "")
    await fake.handlers.reply(agency(SCJG), code, "经核查，已处理。")
    if close:
        await fake.handlers.close(agency(SCJG), code, "")
    return submitted


async def test_a_case_is_found_with_its_code_and_secret_together_only(fake):
    submitted = await fake.on_agency(SCJG, contact=CONTACT)
    tracked = await fake.handlers.track(key_of(submitted))
    assert tracked.feedback.id == submitted.tracking_code and tracked.contact == CONTACT
    assert not tracked.can_rate and not tracked.can_reopen
    for key in (
        pb.TrackingKey(tracking_code=submitted.tracking_code, secret="guess"),
        pb.TrackingKey(tracking_code="GS-20261102-0000000000", secret=submitted.secret),
        pb.TrackingKey(tracking_code="GS-" + "9" * 40, secret=submitted.secret),
    ):
        with pytest.raises(NotFound, match="no feedback with this tracking code and secret"):
            await fake.handlers.track(key)
    with pytest.raises(Exception) as caught:
        await fake.handlers.rate(pb.TrackingKey(tracking_code=submitted.tracking_code), 5, "")
    assert "key" in violations(caught)


async def test_each_key_sees_its_own_contact_on_a_linked_case(fake):
    text = "某某超市出售过期食品，请查处。"
    first = await fake.on_agency(SCJG, text=text, contact=CONTACT)
    second = await fake.on_agency(SCJG, client="198.51.100.9", text=text)
    assert second.linked and second.tracking_code == first.tracking_code
    assert (await fake.handlers.track(key_of(second))).contact == pb.ContactDetails()
    assert (await fake.handlers.track(key_of(first))).contact == CONTACT


async def test_information_is_added_while_the_case_is_open_and_stays_private(fake):
    submitted = await fake.on_agency(SCJG)
    added = await fake.handlers.add_information(
        key_of(submitted), " 补充：当天下午三点。 ", [pb.AttachmentUpload(filename="../b.png", data=PNG)]
    )
    [addition] = added.additions
    assert addition.text == "补充：当天下午三点。"
    assert addition.attachments[0].filename == "b.png"  # the base name only
    assert addition.attachments[0].content_type == "image/png"
    assert added.attachments == []  # the submission's own files are apart from an addition's
    audit = fake.units.audit_log[-1]
    assert audit.operation == "AddInformation" and audit.principal is None
    assert "补充".encode() not in audit.after.SerializeToString()  # the public view has no additions
    assert fake.units.events() == [("received", SCJG, fake.units.events()[0][2])]  # nothing published

    with pytest.raises(Exception) as caught:
        await fake.handlers.add_information(key_of(submitted), "", [])
    assert "text" in violations(caught)
    await fake.handlers.reject(agency(SCJG), submitted.tracking_code, "重复")
    stored = (len(fake.units.tables.additions), len(fake.units.tables.attachments))
    with pytest.raises(FailedPrecondition, match="takes no more information"):
        await fake.handlers.add_information(
            key_of(submitted), "再补充", [pb.AttachmentUpload(filename="c.png", data=PNG)]
        )
    assert (len(fake.units.tables.additions), len(fake.units.tables.attachments)) == stored
    assert fake.units.rolled_back[-1] == "feedback.AddInformation"


async def test_an_answer_is_rated_once_there_is_one(fake):
    submitted = await fake.on_agency(SCJG)
    with pytest.raises(FailedPrecondition, match="no answer to rate"):
        await fake.handlers.rate(key_of(submitted), 4, "")
    submitted = await answered(fake, close=False)
    for rating in (0, 6):
        with pytest.raises(Exception) as caught:
            await fake.handlers.rate(key_of(submitted), rating, "")
        assert "rating" in violations(caught)
    with pytest.raises(Exception) as caught:
        await fake.handlers.rate(key_of(submitted), 4, "评" * (limits.MEDIUM_TEXT + 1))
    assert "comment" in violations(caught)
    published = len(fake.units.outbox)
    rated = await fake.handlers.rate(key_of(submitted), 4, " 答复及时 ")
    assert (rated.rating, rated.rating_comment) == (4, "答复及时")
    assert fake.case(submitted.tracking_code).rating == 4
    assert len(fake.units.outbox) == published  # a rating is private: nothing is published
    assert fake.units.audit_log[-1].operation == "RateAnswer"


async def test_an_answered_case_is_reopened_once_and_its_answer_is_owed_again(fake):
    submitted = await fake.on_agency(SCJG)
    with pytest.raises(FailedPrecondition, match="received case cannot be reopened"):
        await fake.handlers.reopen(key_of(submitted), "没有答复")
    submitted = await answered(fake)
    with pytest.raises(Exception) as caught:
        await fake.handlers.reopen(key_of(submitted), " ")
    assert "reason" in violations(caught)

    fake.clock.set("2026-11-20")
    reopened = await fake.handlers.reopen(key_of(submitted), "答复没有回应问题")
    assert reopened.feedback.status == S.FEEDBACK_STATUS_REOPENED and not reopened.can_reopen
    assert reopened.feedback.conclusion_due == "2026-12-21"  # 30 days on: 12-20 is a Sunday
    assert reopened.feedback.closed_at == "" and reopened.feedback.reopen_count == 1
    assert reopened.feedback.history[-1].note == "答复没有回应问题"
    [(_, agency_code, event)] = fake.units.events("reopened")
    assert agency_code == SCJG and event.feedback.status == S.FEEDBACK_STATUS_REOPENED

    code = submitted.tracking_code
    await fake.handlers.reply(agency(SCJG), code, "补充答复。")
    await fake.handlers.close(agency(SCJG), code, "")
    with pytest.raises(FailedPrecondition, match="only once"):
        await fake.handlers.reopen(key_of(submitted), "还是不满意")
    assert len(fake.units.events("reopened")) == 1


async def test_reopening_an_objection_gives_five_working_days_and_clears_its_outcome(fake):
    fake.units.add_record(
        pb.FEEDBACK_TARGET_TYPE_RESULT, SCJG, "R1", pb.TARGET_STATE_CURRENT, party_type=1, party_name="某公司"
    )
    submitted = await fake.submit(
        pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_RESULT, id="R1"),
        category=pb.FEEDBACK_CATEGORY_INFORMATION_WRONG,
        objection=pb.Objection(party_name="某公司"),
    )
    await fake.handlers.decide_objection(
        agency(SCJG),
        pb.DecideObjectionRequest(
            feedback_id=submitted.tracking_code, outcome=pb.OBJECTION_OUTCOME_KEEP, reason="经复核无误"
        ),
    )
    fake.clock.set("2026-11-06")  # a Friday
    reopened = await fake.handlers.reopen(key_of(submitted), "复核未说明依据")
    assert reopened.feedback.conclusion_due == "2026-11-13"
    assert reopened.feedback.objection_outcome == 0

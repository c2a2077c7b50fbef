"""Rules of a feedback case, without any server: the clocks (J2, J3, F3), the
workflow, objections, attachments, masking and moderation."""

from __future__ import annotations

import datetime as dt

import pytest
from google.protobuf.message import Message

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain
from services.runtime import limits
from services.runtime.calendar import default_calendar
from services.runtime.clock import CHINA_TZ
from services.runtime.errors import FailedPrecondition, InvalidArgument

CAL = default_calendar()
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32
PDF = b"%PDF-1.7\n" + b"\0" * 32


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=CHINA_TZ).astimezone(dt.UTC)


def case(received: str = "2026-11-02", *, objection: bool = False) -> domain.Case:
    return domain.new_case("GS-1", "SCJG", pb.FEEDBACK_CATEGORY_COMPLAINT, objection, 1, at(received), CAL)


def replied_case() -> domain.Case:
    c = case()
    c.accept(at("2026-11-03"), CAL)
    c.reply(at("2026-11-10"))
    return c


# ---------------------------------------------------------------- clocks


def test_acceptance_is_due_on_the_fifth_working_day_and_overdue_on_the_sixth():
    c = case("2026-11-02")  # a Monday
    assert c.acceptance_due == dt.date(2026, 11, 9)  # Tue..Fri, then Monday
    assert not c.acceptance_overdue(dt.date(2026, 11, 9))
    # The weekend before the deadline does not count.
    assert not c.acceptance_overdue(dt.date(2026, 11, 7))
    assert c.acceptance_overdue(dt.date(2026, 11, 10))  # the 6th working day


def test_acceptance_clock_skips_national_day():
    c = case("2026-09-30")
    # 10-01..10-07 are holidays: five working days run 10-08, 09, 10 (a make-up Saturday), 12, 13.
    assert c.acceptance_due == dt.date(2026, 10, 13)
    assert not c.acceptance_overdue(dt.date(2026, 10, 13))
    assert c.acceptance_overdue(dt.date(2026, 10, 14))


def test_acceptance_overdue_only_once_and_not_after_a_decision():
    c = case()
    c.acceptance_overdue_at = at("2026-11-10")
    assert not c.acceptance_overdue(dt.date(2026, 11, 11))
    late = case()
    late.accept(at("2026-11-12"), CAL)
    assert not late.acceptance_overdue(dt.date(2026, 11, 13))


def test_past_the_holiday_data_the_clock_counts_weekdays():
    c = case("2026-12-28")  # a Monday; 2027 holidays are not in the calendar data yet
    assert c.acceptance_due == dt.date(2027, 1, 4)
    c.accept(at("2026-12-29"), CAL)
    assert c.conclusion_due == dt.date(2027, 1, 28)


def test_conclusion_is_due_thirty_days_after_acceptance():
    c = case()
    assert c.accept(at("2026-11-03"), CAL)
    assert c.conclusion_due == dt.date(2026, 12, 3)
    assert not c.conclusion_overdue(dt.date(2026, 12, 3))
    assert c.conclusion_overdue(dt.date(2026, 12, 4))
    c.reply(at("2026-11-20"))
    assert c.replied_on_time and c.conclusion_overdue(dt.date(2026, 12, 4))  # not closed yet
    c.close(at("2026-11-21"))
    assert not c.conclusion_overdue(dt.date(2026, 12, 4))


def test_a_deadline_on_a_rest_day_moves_to_the_next_working_day():
    c = case()
    c.accept(at("2026-11-04"), CAL)  # +30 days = Friday 12-04
    assert c.conclusion_due == dt.date(2026, 12, 4)
    d = case()
    d.accept(at("2026-11-05"), CAL)  # +30 days = Saturday 12-05 -> Monday 12-07
    assert d.conclusion_due == dt.date(2026, 12, 7)


# ---------------------------------------------------------------- extension


def test_extension_needs_a_recorded_approval():
    c = case()
    c.accept(at("2026-11-03"), CAL)
    with pytest.raises(InvalidArgument) as caught:
        c.extend(10, "需要现场核查", "", "", at("2026-11-20"), CAL)
    assert {v.field for v in caught.value.violations} == {"approval_ref", "approver"}
    assert c.extension_days == 0 and c.conclusion_due == dt.date(2026, 12, 3)


def test_extension_is_at_most_twenty_days_and_only_once():
    c = case()
    c.accept(at("2026-11-03"), CAL)
    with pytest.raises(InvalidArgument) as caught:
        c.extend(21, "需要现场核查", "延字〔2026〕3号", "王局长", at("2026-11-20"), CAL)
    assert caught.value.violations[0].field == "days"
    c.extend(20, "需要现场核查", "延字〔2026〕3号", "王局长", at("2026-11-20"), CAL)
    assert c.conclusion_due == dt.date(2026, 12, 23)
    assert c.changes[-1].event == "extended"
    with pytest.raises(FailedPrecondition, match="already extended once"):
        c.extend(1, "再延", "延字〔2026〕4号", "王局长", at("2026-11-21"), CAL)


def test_extension_is_refused_after_the_deadline_and_before_acceptance():
    c = case()
    with pytest.raises(FailedPrecondition, match="no conclusion deadline"):
        c.extend(5, "r", "ref", "who", at("2026-11-03"), CAL)
    c.accept(at("2026-11-03"), CAL)
    with pytest.raises(FailedPrecondition, match="has passed"):
        c.extend(5, "r", "ref", "who", at("2026-12-04"), CAL)


# ---------------------------------------------------------------- workflow


def test_reject_and_transfer_need_a_reason():
    c = case()
    with pytest.raises(InvalidArgument, match="reason"):
        c.reject("  ", at("2026-11-03"))
    with pytest.raises(InvalidArgument, match="reason"):
        c.transfer("CGJ", "", at("2026-11-03"), CAL)
    assert c.status == pb.FEEDBACK_STATUS_RECEIVED


def test_transfer_restarts_the_acceptance_clock_at_the_new_agency():
    c = case("2026-11-02")
    c.acceptance_overdue_at = at("2026-11-10")
    previous = c.transfer("CGJ", "属城管职责", at("2026-11-10"), CAL)
    assert previous == "SCJG" and c.agency_code == "CGJ"
    assert c.acceptance_due == dt.date(2026, 11, 17) and c.acceptance_overdue_at is None
    assert c.changes[-1].agency_code == "SCJG"  # counted as a transfer out of SCJG
    with pytest.raises(InvalidArgument):
        c.transfer("CGJ", "again", at("2026-11-11"), CAL)


def test_transfers_are_bounded():
    c = case()
    for i in range(limits.FEEDBACK_MAX_TRANSFERS):
        c.transfer(f"A{i}", "not ours", at("2026-11-03"), CAL)
    with pytest.raises(FailedPrecondition, match="transferred"):
        c.transfer("B", "not ours", at("2026-11-03"), CAL)


def test_reply_needs_acceptance_and_close_needs_a_reply():
    c = case()
    with pytest.raises(FailedPrecondition, match="accept"):
        c.reply(at("2026-11-03"))
    c.accept(at("2026-11-03"), CAL)
    with pytest.raises(FailedPrecondition, match="reply"):
        c.close(at("2026-11-04"))
    c.reply(at("2026-11-04"))
    assert c.close(at("2026-11-05"))
    assert not c.close(at("2026-11-06"))  # a retried close changes nothing


def test_accept_is_idempotent_but_a_rejected_case_cannot_be_accepted():
    c = case()
    assert c.accept(at("2026-11-03"), CAL)
    assert not c.accept(at("2026-11-04"), CAL)
    r = case()
    r.reject("与执法工作无关", at("2026-11-03"))
    with pytest.raises(FailedPrecondition):
        r.accept(at("2026-11-04"), CAL)


def test_reopen_only_once_and_the_answer_is_owed_again():
    c = replied_case()
    c.close(at("2026-11-11"))
    c.reopen("答复未回应我的问题", at("2026-11-12"), CAL)
    assert c.status == pb.FEEDBACK_STATUS_REOPENED and c.closed_at is None
    assert c.conclusion_due == dt.date(2026, 12, 14)  # 12-12 is a Saturday
    c.reply(at("2026-11-20"))
    c.close(at("2026-11-21"))
    assert not c.can_reopen()
    with pytest.raises(FailedPrecondition, match="only once"):
        c.reopen("还是不满意", at("2026-11-22"), CAL)


def test_reopen_needs_an_answer_first():
    c = case()
    with pytest.raises(FailedPrecondition):
        c.reopen("why", at("2026-11-03"), CAL)


def test_rating_needs_an_answer_and_a_valid_score():
    c = case()
    with pytest.raises(FailedPrecondition):
        c.rate(5, "")
    c = replied_case()
    with pytest.raises(InvalidArgument):
        c.rate(6, "")
    c.rate(4, "较满意")
    assert c.rating == 4


def test_first_reply_after_the_deadline_is_not_on_time():
    c = case()
    c.accept(at("2026-11-03"), CAL)
    c.reply(at("2026-12-04"))
    assert c.replied_on_time is False


# ---------------------------------------------------------------- objections


def test_objection_is_decided_within_five_working_days_of_receipt():
    c = case("2026-11-02", objection=True)
    assert c.conclusion_due == dt.date(2026, 11, 9)
    assert not c.acceptance_overdue(dt.date(2026, 11, 10))  # its clock is the decision's
    assert c.conclusion_overdue(dt.date(2026, 11, 10))
    with pytest.raises(FailedPrecondition):
        c.extend(5, "r", "ref", "who", at("2026-11-03"), CAL)
    with pytest.raises(FailedPrecondition):
        c.transfer("OTHER", "not ours", at("2026-11-03"), CAL)


def test_objection_decision_rules():
    c = case(objection=True)
    with pytest.raises(InvalidArgument, match="reason"):
        c.decide_objection(pb.OBJECTION_OUTCOME_CORRECT, "", ("改正后的事实", ""), at("2026-11-03"))
    with pytest.raises(InvalidArgument, match="corrected_facts"):
        c.decide_objection(pb.OBJECTION_OUTCOME_CORRECT, "金额有误", ("", ""), at("2026-11-03"))
    with pytest.raises(InvalidArgument, match="outcome"):
        c.decide_objection(0, "金额有误", ("", ""), at("2026-11-03"))
    c.decide_objection(pb.OBJECTION_OUTCOME_CORRECT, "金额有误", ("", "罚款人民币三万元"), at("2026-11-03"))
    assert c.status == pb.FEEDBACK_STATUS_CLOSED and c.replied_on_time
    assert c.objection_outcome == pb.OBJECTION_OUTCOME_CORRECT


def test_a_withdrawn_result_can_only_keep():
    c = case(objection=True)
    c.target_state = pb.TARGET_STATE_WITHDRAWN
    with pytest.raises(FailedPrecondition, match="withdrawn"):
        c.decide_objection(pb.OBJECTION_OUTCOME_CORRECT, "r", ("facts", ""), at("2026-11-03"))
    c.decide_objection(pb.OBJECTION_OUTCOME_KEEP, "已撤下", ("", ""), at("2026-11-03"))


def test_reopened_objection_gets_a_new_five_day_clock():
    c = case(objection=True)
    c.decide_objection(pb.OBJECTION_OUTCOME_KEEP, "事实清楚", ("", ""), at("2026-11-03"))
    c.reopen("有新证据", at("2026-11-04"), CAL)
    assert c.conclusion_due == dt.date(2026, 11, 11) and c.objection_outcome == 0
    c.decide_objection(pb.OBJECTION_OUTCOME_WITHDRAW, "确有错误", ("", ""), at("2026-11-05"))
    assert not c.can_reopen()


def test_a_party_is_recognised_from_the_published_record():
    company = domain.PublishedParty(1, "上海某某餐饮管理有限公司", "91310101MA1FPX1234", "")
    assert domain.party_matches(company, "上海某某餐饮管理有限公司", "")
    assert domain.party_matches(company, "", "91310101ma1fpx1234")
    assert not domain.party_matches(company, "别的公司", "")
    person = domain.PublishedParty(4, "张某某", "", "110101********1234")
    assert domain.party_matches(person, "张三丰", "110101199003071234")
    assert not domain.party_matches(person, "张三丰", "")  # the ID number is published (masked): give it
    assert not domain.party_matches(person, "李四", "110101199003071234")
    assert not domain.party_matches(person, "张三丰", "110101199003075678")


# ---------------------------------------------------------------- submissions


def submission(**overrides) -> pb.SubmitFeedbackRequest:
    request = pb.SubmitFeedbackRequest(
        target=pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_AGENCY, id="SCJG-310101"),
        category=pb.FEEDBACK_CATEGORY_COMPLAINT,
        text="执法人员未出示执法证件。",
    )
    for key, value in overrides.items():
        if key == "attachments":
            request.attachments.extend(value)
        elif isinstance(value, Message):
            getattr(request, key).CopyFrom(value)
        else:
            setattr(request, key, value)
    return request


def fields_of(exc: InvalidArgument) -> set[str]:
    return {v.field for v in exc.violations}


def test_a_valid_submission_passes():
    domain.validate_submission(submission(attachments=[pb.AttachmentUpload(filename="a.png", data=PNG)]))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "字" * (limits.FEEDBACK_TEXT + 1)}, "text"),
        ({"category": 0}, "category"),
        ({"category": 42}, "category"),
        ({"target": pb.FeedbackTarget(type=0, id="X")}, "target.type"),
        ({"target": pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_AGENCY)}, "target.id"),
        (
            {"target": pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_DUTY_ITEM, id="D1")},
            "target.agency_code",
        ),
        ({"contact": pb.ContactDetails(email="not-an-address")}, "contact.email"),
        ({"show_display_name": True}, "display_name"),
        ({"objection": pb.Objection(party_name="张三")}, "category"),
    ],
)
def test_bad_submissions_name_the_field(overrides, field):
    with pytest.raises(InvalidArgument) as caught:
        domain.validate_submission(submission(**overrides))
    assert field in fields_of(caught.value)


def test_attachments_are_checked_by_content_count_and_size():
    big = PNG + b"\0" * limits.FEEDBACK_MAX_ATTACHMENT_BYTES
    cases = [
        ([pb.AttachmentUpload(filename="x.png", data=b"MZ\x90\x00 not an image")], "attachments[0]"),
        ([pb.AttachmentUpload(filename="x.png", data=b"")], "attachments[0]"),
        ([pb.AttachmentUpload(filename="x.png", data=big)], "attachments[0]"),
        (
            [pb.AttachmentUpload(filename="a.pdf", data=PDF)] * (limits.FEEDBACK_MAX_ATTACHMENTS + 1),
            "attachments",
        ),
    ]
    for uploads, field in cases:
        with pytest.raises(InvalidArgument) as caught:
            domain.validate_submission(submission(attachments=uploads))
        assert field in fields_of(caught.value)
    near = limits.FEEDBACK_MAX_ATTACHMENT_BYTES - len(JPEG)
    heavy = [pb.AttachmentUpload(filename=f"{i}.jpg", data=JPEG + b"\0" * near) for i in range(2)]
    with pytest.raises(InvalidArgument, match="total"):
        domain.validate_submission(submission(attachments=heavy))


def test_sniffing_and_file_names():
    assert domain.sniff_content_type(PNG) == "image/png"
    assert domain.sniff_content_type(JPEG) == "image/jpeg"
    assert domain.sniff_content_type(PDF) == "application/pdf"
    assert domain.sniff_content_type(b"<svg onload=alert(1)>") is None
    assert domain.clean_filename("../../etc/passwd") == "passwd"
    assert domain.clean_filename("C:\\Users\\x\\证据\x00.pdf") == "证据.pdf"


def test_duplicate_text_ignores_width_case_and_spaces():
    assert domain.text_digest("Ａ店 无证经营") == domain.text_digest("a店无证经营 ")
    assert domain.text_digest("A店无证经营") != domain.text_digest("B店无证经营")


def test_tracking_codes_are_readable_and_dated():
    code = domain.new_tracking_code(bytes(range(8)), dt.date(2026, 11, 2))
    assert code.startswith("GS-20261102-") and len(code) == 22
    assert not set(code[12:]) & set("ILOU")


def test_public_text_is_masked():
    text = "我叫王小明，电话13812345678，邮箱wxm@example.com，身份证110101199003071234。"
    masked = domain.mask_public_text(text, ["王小明"])
    for secret in ("王小明", "13812345678", "wxm@", "110101199003071234"):
        assert secret not in masked
    assert "王某某" in masked and "***@example.com" in masked


# ---------------------------------------------------------------- moderation and figures


def test_content_is_hidden_after_n_flags_until_reviewed():
    visible = pb.MODERATION_STATE_VISIBLE
    assert domain.moderation_after_flag(visible, 2, 3) == visible
    hidden = domain.moderation_after_flag(visible, 3, 3)
    assert hidden == pb.MODERATION_STATE_HIDDEN_PENDING_REVIEW
    assert domain.moderation_after_review(hidden, restore=True) == visible
    assert domain.moderation_after_review(hidden, restore=False) == pb.MODERATION_STATE_REMOVED
    with pytest.raises(FailedPrecondition):
        domain.moderation_after_review(visible, restore=True)


def test_median_and_ratio():
    hours = [dt.timedelta(hours=h) for h in (1, 3, 10)]
    assert domain.median_hours(hours) == 3.0
    assert domain.median_hours([]) == 0.0
    assert domain.ratio(2, 3) == 0.6667 and domain.ratio(0, 0) == 0.0


def test_a_general_complaint_names_no_record_and_a_location_is_checked():
    platform = pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_PLATFORM)
    domain.validate_submission(submission(target=platform))
    place = pb.Location(latitude=31.2304, longitude=121.4737, address="上海市黄浦区人民大道200号")
    domain.validate_submission(submission(target=platform, location=place))
    with pytest.raises(InvalidArgument) as named:
        domain.validate_submission(
            submission(
                target=pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_PLATFORM, agency_code="SCJG-310101")
            )
        )
    assert fields_of(named.value) == {"target.agency_code"}
    for location, field in [
        (pb.Location(latitude=91, longitude=0), "location.latitude"),
        (pb.Location(latitude=0, longitude=-181), "location.longitude"),
        (pb.Location(latitude=float("nan"), longitude=0), "location.latitude"),
        (pb.Location(latitude=1), "location.longitude"),
        (pb.Location(address="址" * (limits.MEDIUM_TEXT + 1)), "location.address"),
    ]:
        with pytest.raises(InvalidArgument) as refused:
            domain.validate_submission(submission(location=location))
        assert fields_of(refused.value) == {field}

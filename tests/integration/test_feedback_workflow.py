"""The feedback service's workflow, clocks (a test clock, never sleep),
objections, abuse limits and moderation, over real gRPC against a real NATS
server and a real database (tests/support/feedback_harness.py).
The real services together are exercised in test_feedback_e2e.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import grpc
import pytest

from gongshi.v1 import duties_pb2, results_pb2
from gongshi.v1 import feedback_pb2 as pb
from services.runtime import limits
from tests.support.feedback_harness import (
    PNG,
    Harness,
    key_of,
    overdue_events,
    running_feedback,
    violations,
    wait_for,
)


@pytest.fixture
async def feedback(db_url, nats_server, tmp_path) -> AsyncIterator[Harness]:
    async with running_feedback(db_url, nats_server.url, tmp_path) as harness:
        yield harness


# ---------------------------------------------------------------- the whole workflow


async def test_submit_accept_reply_close_with_events_and_private_contact(feedback: Harness):
    h = feedback
    agency = await h.agency()
    contact = pb.ContactDetails(
        name="王小明", phone="13812345678", email="wxm@example.com", address="黄浦区某路1号"
    )
    submitted = await h.on_agency(
        agency,
        text="我是王小明，电话13812345678。执法人员检查时未出示执法证件。",
        contact=contact,
        display_name="王先生",
        attachments=[pb.AttachmentUpload(filename="现场.png", content_type="image/png", data=PNG)],
    )
    code = submitted.tracking_code
    assert code.startswith("GS-20261102-") and submitted.secret and not submitted.linked
    public = submitted.feedback
    assert public.status == pb.FEEDBACK_STATUS_RECEIVED and public.acceptance_due == "2026-11-09"
    assert public.display_name == ""  # off unless the citizen turns it on
    assert "王小明" not in public.text and "13812345678" not in public.text and "王某某" in public.text
    assert public.attachment_count == 1

    agency_view = await h.stub.AcceptFeedback(
        pb.AcceptFeedbackRequest(feedback_id=code), metadata=agency.auth
    )
    assert agency_view.contacts[0].phone == "13812345678"  # the handling agency may call back
    assert agency_view.feedback.conclusion_due == "2026-12-02"
    h.clock.set("2026-11-05")
    replied = await h.stub.ReplyFeedback(
        pb.ReplyFeedbackRequest(
            feedback_id=code, text="王小明同志：经核查，当日执法人员已出示证件，电话13812345678已回访。"
        ),
        metadata=agency.auth,
    )
    public_reply = replied.feedback.replies[0]
    assert "王小明" not in public_reply.text and "13812345678" not in public_reply.text
    closed = await h.stub.CloseFeedback(pb.CloseFeedbackRequest(feedback_id=code), metadata=agency.auth)
    assert closed.feedback.status == pb.FEEDBACK_STATUS_CLOSED
    assert [c.event for c in closed.feedback.history] == ["received", "accepted", "replied", "closed"]

    tracked = await h.stub.TrackFeedback(pb.TrackFeedbackRequest(key=key_of(submitted)))
    assert tracked.contact == contact and tracked.text.startswith("我是王小明")
    assert tracked.can_rate and tracked.can_reopen and tracked.attachments[0].filename == "现场.png"
    attachment = await h.stub.GetAttachment(
        pb.GetAttachmentRequest(key=key_of(submitted), attachment_id=tracked.attachments[0].id)
    )
    assert attachment.data == PNG and attachment.info.content_type == "image/png"
    rated = await h.stub.RateAnswer(pb.RateAnswerRequest(key=key_of(submitted), rating=4))
    assert rated.rating == 4

    everything = await h.stub.GetFeedback(pb.GetFeedbackRequest(id=code))
    raw = everything.SerializeToString()
    for secret in ("王小明", "13812345678", "wxm@example.com", "黄浦区某路1号"):
        assert secret.encode() not in raw

    messages = await h.events(f"gongshi.feedback.*.{agency.code}", at_least=4)
    assert [s.split(".")[2] for s, _ in messages] == ["received", "accepted", "replied", "closed"]
    payloads = b"".join(data for _, data in messages)
    for secret in ("王小明", "13812345678", "wxm@example.com", "黄浦区某路1号"):
        assert secret.encode() not in payloads
    assert pb.FeedbackReceived.FromString(messages[0][1]).feedback.id == code


async def test_wrong_secret_or_code_finds_nothing(feedback: Harness):
    h = feedback
    agency = await h.agency()
    submitted = await h.on_agency(agency)
    for key in (
        pb.TrackingKey(tracking_code=submitted.tracking_code, secret="guess"),
        pb.TrackingKey(tracking_code="GS-20261102-0000000000", secret=submitted.secret),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await h.stub.TrackFeedback(pb.TrackFeedbackRequest(key=key))
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND


# ---------------------------------------------------------------- clocks


async def test_acceptance_is_overdue_on_the_sixth_working_day_once(feedback: Harness):
    h = feedback
    agency = await h.agency()
    submitted = await h.on_agency(agency)  # Monday 2026-11-02
    code = submitted.tracking_code
    h.clock.set("2026-11-09", 23, 59)  # still the 5th working day
    assert await h.scanner.scan() == 0
    assert await overdue_events(h, agency, wait=0.5) == []

    h.clock.set("2026-11-10", 0, 1)  # the 6th working day: the background job notices by itself
    [event] = await overdue_events(h, agency, at_least=1)
    assert event.kind == pb.OVERDUE_KIND_ACCEPTANCE and event.due == "2026-11-09"
    assert event.feedback.id == code and event.feedback.acceptance_overdue

    h.clock.set("2026-11-12")
    await h.scanner.scan()
    assert len(await overdue_events(h, agency, wait=0.5)) == 1  # once per deadline
    public = await h.stub.GetFeedback(pb.GetFeedbackRequest(id=code))
    assert public.acceptance_overdue and "acceptance_overdue" in [c.event for c in public.history]


async def test_extension_only_once_and_only_with_approval(feedback: Harness):
    h = feedback
    agency = await h.agency()
    code = (await h.on_agency(agency)).tracking_code
    await h.stub.AcceptFeedback(pb.AcceptFeedbackRequest(feedback_id=code), metadata=agency.auth)

    h.clock.set("2026-11-30")
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.ExtendDeadline(
            pb.ExtendDeadlineRequest(feedback_id=code, days=20, reason="需现场核查"), metadata=agency.auth
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert {"approval_ref", "approver"} <= set(violations(caught.value))
    extended = await h.stub.ExtendDeadline(
        pb.ExtendDeadlineRequest(
            feedback_id=code,
            days=20,
            reason="需现场核查",
            approval_ref="沪黄市监延〔2026〕7号",
            approver="李副局长",
        ),
        metadata=agency.auth,
    )
    assert extended.feedback.conclusion_due == "2026-12-22"  # 12-02 + 20 days
    assert (
        extended.extension_approval_ref == "沪黄市监延〔2026〕7号"
        and extended.extension_approver == "李副局长"
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.ExtendDeadline(
            pb.ExtendDeadlineRequest(
                feedback_id=code, days=1, reason="再延", approval_ref="7-2", approver="李副局长"
            ),
            metadata=agency.auth,
        )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "once" in caught.value.details()

    h.clock.set("2026-12-22", 18)
    assert await h.scanner.scan() == 0  # the extended deadline holds
    h.clock.set("2026-12-23", 9)
    [event] = await overdue_events(h, agency, at_least=1)
    assert event.kind == pb.OVERDUE_KIND_CONCLUSION and event.due == "2026-12-22"
    extensions = await h.events(f"gongshi.feedback.extended.{agency.code}", at_least=1)
    assert pb.FeedbackExtended.FromString(extensions[0][1]).approval_ref == "沪黄市监延〔2026〕7号"


async def test_reopen_only_once(feedback: Harness):
    h = feedback
    agency = await h.agency()
    submitted = await h.on_agency(agency)
    code, key = submitted.tracking_code, key_of(submitted)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.ReopenFeedback(pb.ReopenFeedbackRequest(key=key, reason="没有答复"))
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    for _ in range(2):
        await h.stub.AcceptFeedback(pb.AcceptFeedbackRequest(feedback_id=code), metadata=agency.auth)
        await h.stub.ReplyFeedback(
            pb.ReplyFeedbackRequest(feedback_id=code, text="已处理。"), metadata=agency.auth
        )
        await h.stub.CloseFeedback(pb.CloseFeedbackRequest(feedback_id=code), metadata=agency.auth)
        if (await h.stub.TrackFeedback(pb.TrackFeedbackRequest(key=key))).can_reopen:
            reopened = await h.stub.ReopenFeedback(
                pb.ReopenFeedbackRequest(key=key, reason="答复没有回应问题")
            )
            assert reopened.feedback.status == pb.FEEDBACK_STATUS_REOPENED and not reopened.can_reopen
            await h.stub.ReplyFeedback(
                pb.ReplyFeedbackRequest(feedback_id=code, text="补充答复。"), metadata=agency.auth
            )
            await h.stub.CloseFeedback(pb.CloseFeedbackRequest(feedback_id=code), metadata=agency.auth)
            break
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.ReopenFeedback(pb.ReopenFeedbackRequest(key=key, reason="还是不满意"))
    assert (
        caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "only once" in caught.value.details()
    )
    events = await h.events(f"gongshi.feedback.reopened.{agency.code}", at_least=1)
    assert len(events) == 1


# ---------------------------------------------------------------- agencies


async def test_reject_and_transfer_need_reasons_and_only_the_handler_acts(feedback: Harness):
    h = feedback
    scjg, cgj = await h.agency("SCJG"), await h.agency("CGJ", "测试城市管理综合执法局")
    code = (await h.on_agency(scjg, text="占道经营无人管理。")).tracking_code
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.AcceptFeedback(pb.AcceptFeedbackRequest(feedback_id=code), metadata=cgj.auth)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.AcceptFeedback(pb.AcceptFeedbackRequest(feedback_id=code))
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.TransferFeedback(
            pb.TransferFeedbackRequest(feedback_id=code, to_agency_code=cgj.code), metadata=scjg.auth
        )
    assert "reason" in violations(caught.value)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.TransferFeedback(
            pb.TransferFeedbackRequest(feedback_id=code, to_agency_code="NOPE-1", reason="x"),
            metadata=scjg.auth,
        )
    assert "to_agency_code" in violations(caught.value)

    h.clock.set("2026-11-04")
    moved = await h.stub.TransferFeedback(
        pb.TransferFeedbackRequest(feedback_id=code, to_agency_code=cgj.code, reason="占道经营属城管职责"),
        metadata=scjg.auth,
    )
    assert moved.feedback.agency_code == cgj.code and moved.feedback.acceptance_due == "2026-11-11"
    assert moved.feedback.original_agency_code == scjg.code
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.AcceptFeedback(pb.AcceptFeedbackRequest(feedback_id=code), metadata=scjg.auth)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    inbox = await h.stub.ListAgencyFeedback(pb.ListAgencyFeedbackRequest(), metadata=cgj.auth)
    assert [f.feedback.id for f in inbox.feedback] == [code]

    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.RejectFeedback(pb.RejectFeedbackRequest(feedback_id=code), metadata=cgj.auth)
    assert "reason" in violations(caught.value)
    rejected = await h.stub.RejectFeedback(
        pb.RejectFeedbackRequest(feedback_id=code, reason="已由12345热线办理"), metadata=cgj.auth
    )
    assert rejected.feedback.status == pb.FEEDBACK_STATUS_REJECTED
    assert rejected.feedback.rejection_reason == "已由12345热线办理"
    transfers = await h.events(f"gongshi.feedback.transferred.{scjg.code}", at_least=1)
    event = pb.FeedbackTransferred.FromString(transfers[0][1])
    assert (event.from_agency_code, event.to_agency_code) == (scjg.code, cgj.code)
    assert await h.events(f"gongshi.feedback.rejected.{cgj.code}", at_least=1)

    stats = await h.stub.GetStatistics(pb.FeedbackStatisticsRequest(agency_code=scjg.code))
    assert stats.agencies[0].transferred_out == 1 and stats.agencies[0].received == 0
    stats = await h.stub.GetStatistics(pb.FeedbackStatisticsRequest(agency_code=cgj.code))
    assert (stats.agencies[0].received, stats.agencies[0].rejected) == (1, 1)


async def test_statistics_per_agency(feedback: Harness):
    h = feedback
    agency = await h.agency()
    codes = [(await h.on_agency(agency)).tracking_code for _ in range(4)]
    for code in codes[:3]:
        await h.stub.AcceptFeedback(pb.AcceptFeedbackRequest(feedback_id=code), metadata=agency.auth)
    h.clock.set("2026-11-02", 16)  # 6 hours after receipt
    await h.stub.ReplyFeedback(
        pb.ReplyFeedbackRequest(feedback_id=codes[0], text="已答复"), metadata=agency.auth
    )
    h.clock.set("2026-11-04", 10)  # 48 hours
    await h.stub.ReplyFeedback(
        pb.ReplyFeedbackRequest(feedback_id=codes[1], text="已答复"), metadata=agency.auth
    )
    await h.stub.RejectFeedback(
        pb.RejectFeedbackRequest(feedback_id=codes[3], reason="重复"), metadata=agency.auth
    )
    h.clock.set("2026-12-05", 10)  # codes[2] was due 12-02 and never answered
    await h.stub.ReplyFeedback(
        pb.ReplyFeedbackRequest(feedback_id=codes[1], text="补充"), metadata=agency.auth
    )
    [stats] = (await h.stub.GetStatistics(pb.FeedbackStatisticsRequest(agency_code=agency.code))).agencies
    assert (stats.received, stats.accepted, stats.rejected, stats.replied) == (4, 3, 1, 2)
    assert stats.replies_due == 3 and stats.on_time_reply_rate == pytest.approx(2 / 3, abs=1e-3)
    assert stats.median_hours_to_reply == 27.0
    assert stats.agency_name == "测试市场监督管理局"


# ---------------------------------------------------------------- objections and targets


async def test_objection_by_the_party_is_decided_and_announced(feedback: Harness):
    h = feedback
    agency = await h.agency()
    result = await h.result(agency)
    target = pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_RESULT, id=result.id)
    claim = "罚款金额应为三万元，决定书载明有误。"
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.submit(
            target, text=claim, category=pb.FEEDBACK_CATEGORY_INFORMATION_WRONG,
            objection=pb.Objection(party_name="别的公司"),
        )  # fmt: skip
    assert "objection.party_name" in violations(caught.value)
    submitted = await h.submit(
        target,
        text=claim,
        category=pb.FEEDBACK_CATEGORY_INFORMATION_WRONG,
        objection=pb.Objection(party_name="上海某某餐饮管理有限公司", party_identifier="91310101MA1FPX1234"),
    )
    public = submitted.feedback
    assert public.is_objection and public.agency_code == agency.code and public.conclusion_due == "2026-11-09"
    code = submitted.tracking_code
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.ReplyFeedback(pb.ReplyFeedbackRequest(feedback_id=code, text="x"), metadata=agency.auth)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    view = await h.stub.GetAgencyFeedback(pb.GetAgencyFeedbackRequest(feedback_id=code), metadata=agency.auth)
    assert view.objection.party_identifier == "91310101MA1FPX1234"

    h.clock.set("2026-11-05")
    decided = await h.stub.DecideObjection(
        pb.DecideObjectionRequest(
            feedback_id=code,
            outcome=pb.OBJECTION_OUTCOME_CORRECT,
            reason="经复核，罚款金额录入有误",
            corrected_conclusion="罚款人民币三万元",
        ),
        metadata=agency.auth,
    )
    assert decided.feedback.status == pb.FEEDBACK_STATUS_CLOSED
    assert decided.feedback.objection_outcome == pb.OBJECTION_OUTCOME_CORRECT
    [(_, data)] = await h.events(f"gongshi.feedback.objection_decided.{agency.code}", at_least=1)
    event = pb.ObjectionDecided.FromString(data)
    assert (event.result_id, event.feedback_id, event.outcome) == (
        result.id,
        code,
        pb.OBJECTION_OUTCOME_CORRECT,
    )
    assert event.corrected_conclusion == "罚款人民币三万元" and event.reason == "经复核，罚款金额录入有误"
    assert b"91310101MA1FPX1234" not in data  # the objector's identity stays private

    # Results answers with a new version: the copy follows, and the feedback is marked.
    corrected = results_pb2.Result()
    corrected.CopyFrom(result)
    corrected.version, corrected.status = 2, results_pb2.RESULT_STATUS_CORRECTED
    await h.publish(
        f"gongshi.results.corrected.{agency.code}",
        results_pb2.ResultCorrected(result=corrected, previous_version=1),
    )
    await wait_for(lambda: _state_is(h, code, pb.TARGET_STATE_CORRECTED))


async def _state_is(h: Harness, code: str, state: int) -> bool:
    return (await h.stub.GetFeedback(pb.GetFeedbackRequest(id=code))).target_state == state


async def test_objection_to_a_natural_person_needs_the_masked_identity(feedback: Harness):
    h = feedback
    agency = await h.agency()
    result = await h.result(
        agency,
        type=results_pb2.PARTY_TYPE_NATURAL_PERSON,
        name="张某某",
        uscc="",
        id_number="110101********1234",
    )
    target = pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_RESULT, id=result.id)
    submitted = await h.submit(
        target,
        text="我是张三丰，身份证110101199003071234，处罚决定中的违法事实与实际不符。",
        category=pb.FEEDBACK_CATEGORY_INFORMATION_WRONG,
        objection=pb.Objection(party_name="张三丰", party_identifier="110101199003071234"),
    )
    assert "张三丰" not in submitted.feedback.text and "110101199003071234" not in submitted.feedback.text
    received = await h.events(f"gongshi.feedback.received.{agency.code}", at_least=1)
    assert "张三丰".encode() not in received[0][1] and b"110101199003071234" not in received[0][1]


async def test_feedback_on_a_withdrawn_result_is_marked_and_new_objections_are_refused(feedback: Harness):
    h = feedback
    agency = await h.agency()
    result = await h.result(agency)
    target = pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_RESULT, id=result.id)
    code = (await h.submit(target, category=pb.FEEDBACK_CATEGORY_QUESTION)).tracking_code
    await h.publish(
        f"gongshi.results.withdrawn.{agency.code}",
        results_pb2.ResultWithdrawn(result_id=result.id, agency_code=agency.code, reason="撤销"),
    )
    await wait_for(lambda: _state_is(h, code, pb.TARGET_STATE_WITHDRAWN))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.submit(
            target,
            category=pb.FEEDBACK_CATEGORY_INFORMATION_WRONG,
            objection=pb.Objection(party_name="上海某某餐饮管理有限公司"),
        )
    assert (
        caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "withdrawn" in caught.value.details()
    )


async def test_targets_are_validated_against_local_copies(feedback: Harness):
    h = feedback
    agency = await h.agency()
    for target, field_name in (
        (pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_AGENCY, id="UNKNOWN-1"), "target.id"),
        (pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_RESULT, id="nosuchresult"), "target.id"),
        (
            pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_DUTY_ITEM, id="D1", agency_code="UNKNOWN-1"),
            "target.agency_code",
        ),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await h.submit(target)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT and field_name in violations(
            caught.value
        )
    # A duty item not (yet) announced is accepted while the agency's list is unknown, marked unknown.
    duty = pb.FeedbackTarget(
        type=pb.FEEDBACK_TARGET_TYPE_DUTY_ITEM, id="330217001000", agency_code=agency.code
    )
    assert (await h.submit(duty)).feedback.target_state == pb.TARGET_STATE_UNKNOWN
    retired = getattr(duties_pb2, "DutyItemRetired", None)
    if retired is None:
        return
    item = duties_pb2.DutyItem(agency_code=agency.code, code="330217001000")
    await h.publish(f"gongshi.duties.duty_item_retired.{agency.code}", retired(duty_item=item))
    await wait_for(lambda: h.record_state("330217001000", pb.FEEDBACK_TARGET_TYPE_DUTY_ITEM))
    assert (await h.submit(duty)).feedback.target_state == pb.TARGET_STATE_RETIRED
    unknown = pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_DUTY_ITEM, id="999", agency_code=agency.code)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.submit(unknown)
    assert "target.id" in violations(caught.value)


# ---------------------------------------------------------------- abuse


async def _stored(h: Harness) -> int:
    return (await h.stub.Info(pb.FeedbackInfoRequest())).feedback


async def test_rate_limit_per_client_address_is_clear_and_stores_nothing(feedback: Harness):
    h = feedback
    agency = await h.agency()
    for _ in range(limits.FEEDBACK_PER_CLIENT):
        await h.on_agency(agency, client="198.51.100.7")
    before = await _stored(h)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.on_agency(agency, client="198.51.100.7")
    assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert (
        "from your address" in caught.value.details()
        and str(limits.FEEDBACK_PER_CLIENT) in caught.value.details()
    )
    assert await _stored(h) == before
    await h.on_agency(agency, client="198.51.100.8")  # others are not affected
    h.clock.instant += dt.timedelta(seconds=limits.FEEDBACK_PER_CLIENT_WINDOW_SECONDS + 1)
    await h.on_agency(agency, client="198.51.100.7")  # and the window passes


async def test_rate_limit_per_target(feedback: Harness):
    h = feedback
    agency = await h.agency()
    for i in range(limits.FEEDBACK_PER_TARGET):
        await h.on_agency(agency, client=f"192.0.2.{i}")
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.on_agency(agency, client="192.0.2.250")
    assert (
        caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        and "about this record" in caught.value.details()
    )


async def test_size_limits_name_the_field_and_store_nothing(feedback: Harness):
    h = feedback
    agency = await h.agency()
    before = await _stored(h)
    too_big = b"%PDF-" + b"\0" * limits.FEEDBACK_MAX_ATTACHMENT_BYTES
    for fields, field_name in (
        ({"text": "长" * (limits.FEEDBACK_TEXT + 1)}, "text"),
        ({"attachments": [pb.AttachmentUpload(filename="a.exe", data=b"MZ\x90\0")]}, "attachments[0]"),
        ({"attachments": [pb.AttachmentUpload(filename="a.pdf", data=too_big)]}, "attachments[0]"),
        ({"attachments": [pb.AttachmentUpload(filename="a.png", data=PNG)] * 4}, "attachments"),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await h.on_agency(agency, **fields)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert field_name in violations(caught.value), violations(caught.value)
    assert await _stored(h) == before
    assert await h.events(f"gongshi.feedback.received.{agency.code}", wait=0.5) == []


async def test_duplicates_are_linked_not_counted_twice(feedback: Harness):
    h = feedback
    agency = await h.agency()
    text = "某某超市出售过期食品，请查处。"
    first = await h.on_agency(agency, text=text, contact=pb.ContactDetails(phone="13900000001"))
    second = await h.on_agency(agency, text=" 某某超市出售过期食品，请查处。", client="198.51.100.99")
    assert second.linked and second.tracking_code == first.tracking_code and second.secret != first.secret
    assert second.feedback.linked_submissions == 1
    tracked = await h.stub.TrackFeedback(pb.TrackFeedbackRequest(key=key_of(second)))
    assert tracked.linked and tracked.contact.phone == ""  # each key sees only its own contact
    h.clock.instant += dt.timedelta(seconds=limits.FEEDBACK_DUPLICATE_WINDOW_SECONDS + 1)
    third = await h.on_agency(agency, text=text)
    assert not third.linked and third.tracking_code != first.tracking_code
    [stats] = (await h.stub.GetStatistics(pb.FeedbackStatisticsRequest(agency_code=agency.code))).agencies
    assert stats.received == 2 and stats.linked_submissions == 1
    assert len(await h.events(f"gongshi.feedback.received.{agency.code}", at_least=2)) == 2


async def test_flags_hide_content_until_the_agency_reviews(feedback: Harness):
    h = feedback
    agency = await h.agency()
    code = (await h.on_agency(agency, text="一段被人举报的文字。")).tracking_code
    for client in ("10.0.0.1", "10.0.0.2", "10.0.0.2"):
        await h.stub.FlagContent(
            pb.FlagContentRequest(feedback_id=code), metadata=[("x-client-address", client)]
        )
    assert (await h.stub.GetFeedback(pb.GetFeedbackRequest(id=code))).text  # two distinct flags: still shown
    flagged = await h.stub.FlagContent(
        pb.FlagContentRequest(feedback_id=code), metadata=[("x-client-address", "10.0.0.3")]
    )
    assert flagged.moderation == pb.MODERATION_STATE_HIDDEN_PENDING_REVIEW
    public = await h.stub.GetFeedback(pb.GetFeedbackRequest(id=code))
    assert public.text == "" and public.text_moderation == pb.MODERATION_STATE_HIDDEN_PENDING_REVIEW
    pending = await h.stub.ListAgencyFeedback(
        pb.ListAgencyFeedbackRequest(pending_review_only=True), metadata=agency.auth
    )
    assert [f.feedback.id for f in pending.feedback] == [code] and pending.feedback[0].text_flags == 3
    await h.stub.ReviewFlagged(pb.ReviewFlaggedRequest(feedback_id=code, restore=True), metadata=agency.auth)
    assert (await h.stub.GetFeedback(pb.GetFeedbackRequest(id=code))).text == "一段被人举报的文字。"

    await h.stub.AcceptFeedback(pb.AcceptFeedbackRequest(feedback_id=code), metadata=agency.auth)
    view = await h.stub.ReplyFeedback(
        pb.ReplyFeedbackRequest(feedback_id=code, text="答复内容"), metadata=agency.auth
    )
    reply_id = view.replies[0].id
    for client in ("10.0.1.1", "10.0.1.2", "10.0.1.3"):
        await h.stub.FlagContent(
            pb.FlagContentRequest(feedback_id=code, reply_id=reply_id),
            metadata=[("x-client-address", client)],
        )
    public = await h.stub.GetFeedback(pb.GetFeedbackRequest(id=code))
    assert (
        public.replies[0].text == ""
        and public.replies[0].moderation == pb.MODERATION_STATE_HIDDEN_PENDING_REVIEW
    )
    await h.stub.ReviewFlagged(
        pb.ReviewFlaggedRequest(feedback_id=code, reply_id=reply_id, restore=False), metadata=agency.auth
    )
    public = await h.stub.GetFeedback(pb.GetFeedbackRequest(id=code))
    assert public.replies[0].moderation == pb.MODERATION_STATE_REMOVED and public.replies[0].text == ""


async def test_add_information_is_private_to_citizen_and_agency(feedback: Harness):
    h = feedback
    agency = await h.agency()
    submitted = await h.on_agency(agency)
    added = await h.stub.AddInformation(
        pb.AddInformationRequest(
            key=key_of(submitted),
            text="补充：当天下午三点。",
            attachments=[pb.AttachmentUpload(filename="b.png", data=PNG)],
        )
    )
    assert (
        added.additions[0].text == "补充：当天下午三点。"
        and added.additions[0].attachments[0].filename == "b.png"
    )
    view = await h.stub.GetAgencyFeedback(
        pb.GetAgencyFeedbackRequest(feedback_id=submitted.tracking_code), metadata=agency.auth
    )
    assert view.additions[0].text == "补充：当天下午三点。"
    public = await h.stub.GetFeedback(pb.GetFeedbackRequest(id=submitted.tracking_code))
    assert "补充".encode() not in public.SerializeToString()


async def test_display_name_is_public_only_when_turned_on_and_the_flag_threshold_is_a_setting(
    db_url, nats_server, tmp_path
):
    async with running_feedback(db_url, nats_server.url, tmp_path, flags_to_hide=2) as h:
        agency = await h.agency()
        shown = await h.on_agency(agency, display_name="热心市民王先生", show_display_name=True)
        assert shown.feedback.display_name == "热心市民王先生"
        hidden = await h.on_agency(agency, display_name="热心市民王先生")
        assert hidden.feedback.display_name == ""
        code = hidden.tracking_code
        for client in ("10.9.0.1", "10.9.0.2"):
            reply = await h.stub.FlagContent(
                pb.FlagContentRequest(feedback_id=code), metadata=[("x-client-address", client)]
            )
        assert reply.moderation == pb.MODERATION_STATE_HIDDEN_PENDING_REVIEW

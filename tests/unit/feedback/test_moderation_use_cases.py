"""Moderation as use cases (services/feedback/moderation.py) on the in-memory
unit of work: flags hide a text or a reply at the threshold, one flag per
client and item, a rate per client; the handling agency restores or removes."""

from __future__ import annotations

import datetime as dt

import pytest

from gongshi.v1 import feedback_pb2 as pb
from services.runtime import limits
from services.runtime.errors import FailedPrecondition, NotFound, PermissionDenied, ResourceExhausted
from tests.support.feedback_fakes import FakeFeedback, agency, violations
from tests.unit.feedback.conftest import CGJ, SCJG

M = pb.ModerationState


async def flag(fake: FakeFeedback, code: str, client: str, reply_id: str = "") -> pb.FlagContentResponse:
    return await fake.handlers.flag(code, reply_id, "不实信息", client)


async def test_a_text_is_hidden_at_the_threshold_of_distinct_clients(fake):
    code = (await fake.on_agency(SCJG, text="一段被人举报的文字。")).tracking_code
    first = await flag(fake, code, "10.0.0.1")
    assert first.counted and first.moderation == M.MODERATION_STATE_VISIBLE
    again = await flag(fake, code, "10.0.0.1")  # the same client counts once
    assert not again.counted and fake.case(code).text_flags == 1
    await flag(fake, code, "10.0.0.2")
    assert fake.case(code).text_moderation == M.MODERATION_STATE_VISIBLE
    third = await flag(fake, code, "10.0.0.3")
    assert third.moderation == M.MODERATION_STATE_HIDDEN_PENDING_REVIEW
    public = fake.units.audit_log[-1].after
    assert public.text == "" and public.text_moderation == M.MODERATION_STATE_HIDDEN_PENDING_REVIEW
    assert fake.case(code).version == 4  # each counted flag is a new version of the case
    assert [e.operation for e in fake.units.audit_log].count("FlagContent") == 3
    assert len(fake.units.tables.flags) == 3
    assert all("10.0.0" not in f.client_hash for f in fake.units.tables.flags)  # no address is stored
    assert fake.units.events("flagged") == [] and code in fake.units.locks


async def test_the_threshold_is_a_setting():
    fake = FakeFeedback.start(client_key="k", flags_to_hide=1)
    fake.units.add_agency(SCJG)
    code = (await fake.on_agency(SCJG)).tracking_code
    assert (await flag(fake, code, "10.0.0.1")).moderation == M.MODERATION_STATE_HIDDEN_PENDING_REVIEW


async def test_flags_from_one_client_are_limited_per_window(fake):
    targets = [SCJG, CGJ] * 16  # (a target takes 30 submissions an hour)
    codes = [(await fake.on_agency(targets[i], client=f"192.0.2.{i}")).tracking_code for i in range(31)]
    for code in codes[:-1]:
        assert (await flag(fake, code, "10.9.9.9")).counted
    assert len(codes) - 1 == limits.FEEDBACK_FLAGS_PER_CLIENT
    with pytest.raises(ResourceExhausted, match="at most 30 per hour"):
        await flag(fake, codes[-1], "10.9.9.9")
    assert fake.case(codes[-1]).text_flags == 0
    assert (await flag(fake, codes[-1], "10.9.9.8")).counted  # other clients are not affected
    fake.clock.instant += dt.timedelta(seconds=limits.FEEDBACK_FLAGS_PER_CLIENT_WINDOW_SECONDS + 1)
    assert (await flag(fake, codes[-1], "10.9.9.9")).counted  # and the window passes


async def test_a_reply_is_hidden_then_removed_by_its_agency(fake):
    code = (await fake.on_agency(SCJG)).tracking_code
    await fake.handlers.accept(agency(SCJG), code, "")
    reply_id = (await fake.handlers.reply(agency(SCJG), code, "答复内容")).replies[0].id
    with pytest.raises(NotFound, match="has no reply"):
        await flag(fake, code, "10.0.1.1", reply_id="nosuchreply")
    other = (await fake.on_agency(SCJG)).tracking_code
    with pytest.raises(NotFound):  # a reply of another case
        await flag(fake, other, "10.0.1.1", reply_id=reply_id)
    for client in ("10.0.1.1", "10.0.1.2", "10.0.1.3"):
        result = await flag(fake, code, client, reply_id=reply_id)
    assert result.moderation == M.MODERATION_STATE_HIDDEN_PENDING_REVIEW
    assert fake.case(code).text_moderation == M.MODERATION_STATE_VISIBLE  # the text is another item

    view = await fake.handlers.review_flagged(agency(SCJG), code, reply_id, False)
    assert view.replies[0].moderation == M.MODERATION_STATE_REMOVED and view.replies[0].flags == 3
    assert view.feedback.replies[0].text == "" and view.replies[0].text == "答复内容"
    assert fake.units.audit_log[-1].operation == "ReviewFlagged"


async def test_only_the_handling_agency_reviews_and_only_what_was_flagged(fake):
    code = (await fake.on_agency(SCJG, text="一段文字。")).tracking_code
    with pytest.raises(FailedPrecondition, match="nothing to review"):
        await fake.handlers.review_flagged(agency(SCJG), code, "", True)
    for client in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        await flag(fake, code, client)
    with pytest.raises(PermissionDenied):
        await fake.handlers.review_flagged(agency(CGJ), code, "", True)
    restored = await fake.handlers.review_flagged(agency(SCJG), code, "", True)
    assert restored.feedback.text == "一段文字。" and restored.text_flags == 0
    assert restored.feedback.text_moderation == M.MODERATION_STATE_VISIBLE


async def test_a_reason_over_the_limit_names_its_field(fake):
    code = (await fake.on_agency(SCJG)).tracking_code
    with pytest.raises(Exception) as caught:
        await fake.handlers.flag(code, "", "理" * (limits.MEDIUM_TEXT + 1), "10.0.0.1")
    assert "reason" in violations(caught)
    with pytest.raises(NotFound):
        await fake.handlers.flag("GS-20261102-NOSUCHCASE", "", "", "10.0.0.1")
    assert fake.units.tables.flags == []

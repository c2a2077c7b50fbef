"""The gateway's Open311 shape of a feedback case, and the CSRF tokens of the
portal forms, without any server."""

from __future__ import annotations

import time

from starlette.requests import Request

from gateway.feedback_submission import open311, tracked
from gateway.security import CSRF_COOKIE, CSRF_MAX_AGE_SECONDS, csrf_token, csrf_valid
from gongshi.v1 import feedback_pb2 as pb


def case(**fields) -> pb.PublicFeedback:
    defaults = dict(
        id="GS-20261102-ABCDEFGHJK",
        agency_code="SCJG",
        agency_name="测试市场监督管理局",
        category=pb.FEEDBACK_CATEGORY_COMPLAINT,
        status=pb.FEEDBACK_STATUS_RECEIVED,
        text="执法人员未出示证件。",
        received_at="2026-11-02T02:00:00.000Z",
        updated_at="2026-11-02T02:00:00.000Z",
        acceptance_due="2026-11-09",
    )
    return pb.PublicFeedback(**{**defaults, **fields})


def test_open311_fields_with_timezones():
    body = open311(case())
    assert body["service_request_id"] == "GS-20261102-ABCDEFGHJK"
    assert body["status"] == "open" and body["service_code"] == "complaint"
    assert body["requested_datetime"] == "2026-11-02T10:00:00+08:00"
    assert body["expected_datetime"] == "2026-11-09T23:59:59+08:00"
    assert body["agency_responsible"] == "测试市场监督管理局"
    assert body["extended_attributes"]["status_detail"] == "received"
    assert "id" not in body["extended_attributes"] and "text" not in body["extended_attributes"]


def test_status_notes_follow_the_case():
    rejected = open311(case(status=pb.FEEDBACK_STATUS_REJECTED, rejection_reason="不属于本机关职责"))
    assert rejected["status"] == "closed" and rejected["status_notes"] == "不属于本机关职责"
    assert rejected["expected_datetime"] is None
    replied = open311(
        case(
            status=pb.FEEDBACK_STATUS_REPLIED,
            conclusion_due="2026-12-03",
            replies=[pb.PublicReply(text="已核查。"), pb.PublicReply(text="")],
        )
    )
    assert replied["status_notes"] == "已核查。" and replied["expected_datetime"].startswith("2026-12-03")


def test_hidden_text_is_no_description_and_contact_only_in_the_private_part():
    assert open311(case(text=""))["description"] is None
    view = tracked(pb.TrackedFeedback(feedback=case(), contact=pb.ContactDetails(phone="13800000000")))
    assert view["private"]["contact"]["phone"] == "13800000000"
    assert "13800000000" not in str(open311(case()))


def request_with_cookie(nonce: str | None) -> Request:
    headers = [(b"cookie", f"{CSRF_COOKIE}={nonce}".encode())] if nonce else []
    return Request({"type": "http", "headers": headers, "method": "POST", "path": "/"})


def test_csrf_token_is_bound_to_the_cookie_and_expires():
    nonce = "n" * 24
    token = csrf_token(nonce)
    assert csrf_valid(request_with_cookie(nonce), token)
    assert not csrf_valid(request_with_cookie("m" * 24), token)
    assert not csrf_valid(request_with_cookie(None), token)
    assert not csrf_valid(request_with_cookie(nonce), token[:-1] + ("0" if token[-1] != "0" else "1"))
    assert not csrf_valid(request_with_cookie(nonce), "garbage")
    old = csrf_token(nonce, now=time.time() - CSRF_MAX_AGE_SECONDS - 5)
    assert not csrf_valid(request_with_cookie(nonce), old)

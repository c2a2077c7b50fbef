"""Feedback with the whole platform as real processes (NATS, the four services,
the gateway): an objection decided in feedback becomes a corrected version or a
withdrawal in results through events, and an acknowledged submission survives
a crash of the feedback service."""

from __future__ import annotations

import asyncio
import time
import uuid

import grpc
import httpx
import pytest

from gongshi.v1 import feedback_pb2 as pb
from gongshi.v1 import feedback_pb2_grpc, results_pb2, results_pb2_grpc
from tests.support.decisions import penalty
from tests.support.platform import auth, register_agency
from tests.support.results import events_for


@pytest.fixture(scope="module")
def stubs(platform):
    _, settings = platform
    feedback = grpc.insecure_channel(settings.grpc_addr("feedback"))
    results = grpc.insecure_channel(settings.grpc_addr("results"))
    yield feedback_pb2_grpc.FeedbackServiceStub(feedback), results_pb2_grpc.ResultsServiceStub(results)
    feedback.close()
    results.close()


@pytest.fixture(scope="module")
def http(platform):
    running, _ = platform
    with httpx.Client(base_url=running.gateway.address, timeout=10) as client:
        yield client


def eventually(call, *, until=lambda value: True, retry_on=(), timeout: float = 30.0):
    """Call until it answers (events take a moment to reach another service's copy)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = call()
            if until(value):
                return value
        except grpc.RpcError as exc:
            if exc.code() not in retry_on or time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not reached within {timeout}s")
        time.sleep(0.1)


def published_result(platform, stubs) -> tuple[str, str, results_pb2.Result]:
    _, settings = platform
    code = f"SCJG-{uuid.uuid4().hex[:8]}"
    token = register_agency(settings, code)
    reply = stubs[1].PublishDecision(
        results_pb2.PublishDecisionRequest(decision=penalty()), metadata=auth(token), timeout=10
    )
    return code, token, reply.result


def objection(stubs, result: results_pb2.Result, client: str) -> pb.SubmitFeedbackResponse:
    request = pb.SubmitFeedbackRequest(
        target=pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_RESULT, id=result.id),
        category=pb.FEEDBACK_CATEGORY_INFORMATION_WRONG,
        text="处罚决定载明的罚款金额有误，应为三万元。",
        contact=pb.ContactDetails(name="钱七", phone="13700001111"),
        objection=pb.Objection(party_name=result.party.name, party_identifier=result.party.uscc),
    )
    # INVALID_ARGUMENT until ResultPublished has reached feedback's copy of results.
    return eventually(
        lambda: stubs[0].SubmitFeedback(request, metadata=[("x-client-address", client)], timeout=10),
        retry_on=(grpc.StatusCode.INVALID_ARGUMENT,),
    )


def decide(stubs, token: str, feedback_id: str, **fields) -> pb.AgencyFeedback:
    request = pb.DecideObjectionRequest(feedback_id=feedback_id, **fields)
    # UNAUTHENTICATED until the agency's credential has reached feedback.
    return eventually(
        lambda: stubs[0].DecideObjection(request, metadata=auth(token), timeout=10),
        retry_on=(grpc.StatusCode.UNAUTHENTICATED,),
    )


def test_objection_correction_becomes_a_new_version_in_results(platform, stubs, http):
    running, _ = platform
    code, token, result = published_result(platform, stubs)
    submitted = objection(stubs, result, "198.51.100.61")
    assert submitted.feedback.is_objection and submitted.feedback.agency_code == code

    decided = decide(
        stubs,
        token,
        submitted.tracking_code,
        outcome=pb.OBJECTION_OUTCOME_CORRECT,
        reason="经复核，罚款金额录入有误，予以更正",
        corrected_conclusion="没收超过保质期的食品，并处罚款人民币三万元。",
    )
    assert decided.feedback.status == pb.FEEDBACK_STATUS_CLOSED

    corrected = eventually(
        lambda: stubs[1].GetResult(results_pb2.GetResultRequest(id=result.id), timeout=10),
        until=lambda r: r.version == 2,
    )
    assert corrected.conclusion == "没收超过保质期的食品，并处罚款人民币三万元。"
    assert corrected.status == results_pb2.RESULT_STATUS_CORRECTED
    # ResultCorrected comes back to feedback: the case shows what became of its target.
    eventually(
        lambda: stubs[0].GetFeedback(pb.GetFeedbackRequest(id=submitted.tracking_code), timeout=10),
        until=lambda f: f.target_state == pb.TARGET_STATE_CORRECTED,
    )

    [public] = http.get(f"/api/v1/requests/{submitted.tracking_code}.json").json()
    assert public["extended_attributes"]["objection_outcome"] == "correct"
    assert "钱七" not in str(public) and "13700001111" not in str(public)
    messages = asyncio.run(events_for(running.nats.address, f"gongshi.feedback.*.{code}", count_at_least=4))
    payloads = b"".join(m.data for m in messages)
    assert "钱七".encode() not in payloads and b"13700001111" not in payloads
    assert {m.subject.split(".")[2] for m in messages} >= {
        "received",
        "objection_decided",
        "replied",
        "closed",
    }


def test_objection_withdrawal_takes_the_result_down(platform, stubs, http):
    _, token, result = published_result(platform, stubs)
    submitted = objection(stubs, result, "198.51.100.62")
    decide(
        stubs,
        token,
        submitted.tracking_code,
        outcome=pb.OBJECTION_OUTCOME_WITHDRAW,
        reason="该决定已被依法撤销",
    )
    eventually(
        lambda: http.get(f"/api/v1/results/{result.id}").json(),
        until=lambda body: body.get("status") == "withdrawn" or body.get("withdrawn_at"),
    )
    eventually(
        lambda: stubs[0].GetFeedback(pb.GetFeedbackRequest(id=submitted.tracking_code), timeout=10),
        until=lambda f: f.target_state == pb.TARGET_STATE_WITHDRAWN,
    )


def test_acknowledged_submission_survives_a_crash(platform, stubs):
    """Runs last: it kills NATS and the feedback service."""
    running, settings = platform
    code = f"CRASH-{uuid.uuid4().hex[:8]}"
    register_agency(settings, code)
    request = pb.SubmitFeedbackRequest(
        target=pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_AGENCY, id=code),
        category=pb.FEEDBACK_CATEGORY_COMPLAINT,
        text="崩溃测试：提交确认后不得丢失。",
    )
    eventually(  # feedback's copy of the agency arrives through events
        lambda: stubs[0].SubmitFeedback(
            request, metadata=[("x-client-address", "198.51.100.63")], timeout=10
        ),
        retry_on=(grpc.StatusCode.INVALID_ARGUMENT,),
    )
    running.nats.kill()  # nothing can be published: the event waits in the outbox
    request.text = "崩溃测试：第二条。"
    acknowledged = stubs[0].SubmitFeedback(
        request, metadata=[("x-client-address", "198.51.100.63")], timeout=10
    )
    running.services["feedback"].kill()  # SIGKILL, no flush

    running.nats.start()
    running.nats.wait_healthy()
    running.services["feedback"].start()
    running.services["feedback"].wait_healthy(60)

    key = pb.TrackingKey(tracking_code=acknowledged.tracking_code, secret=acknowledged.secret)
    with grpc.insecure_channel(settings.grpc_addr("feedback")) as channel:
        tracked = feedback_pb2_grpc.FeedbackServiceStub(channel).TrackFeedback(
            pb.TrackFeedbackRequest(key=key), timeout=10
        )
    assert tracked.text == "崩溃测试：第二条。"
    subject = f"gongshi.feedback.received.{code}"
    messages = asyncio.run(events_for(running.nats.address, subject, count_at_least=2))
    time.sleep(1.5)  # room for a wrong second publish to show up
    messages = asyncio.run(events_for(running.nats.address, subject, count_at_least=2))
    ids = [pb.FeedbackReceived.FromString(m.data).feedback.id for m in messages]
    assert ids.count(acknowledged.tracking_code) == 1 and len(ids) == 2

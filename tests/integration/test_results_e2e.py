"""The first slice end to end: an agency pushes over gRPC, the public reads
through the gateway, and oversight receives the event from JetStream."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import grpc
import pytest

from gongshi.v1 import results_pb2 as pb
from services.runtime import limits
from services.runtime.clock import CHINA_TZ
from tests.support.decisions import penalty
from tests.support.platform import register_agency
from tests.support.results import events_for, field_violations, publish


@pytest.fixture(scope="module")
def agency(platform) -> tuple[str, str]:
    """One agency for the whole module (the shared `results` and `http` come from conftest.py)."""
    _, settings = platform
    code = f"SCJG-{uuid.uuid4().hex[:8]}"
    return code, register_agency(settings, code)


def test_push_read_and_event(platform, agency, results, http):
    running, _ = platform
    code, token = agency
    reply = publish(results, token, penalty())
    assert reply.created and reply.result.agency_code == code

    body = http.get(f"/api/v1/results/{reply.result.id}").json()
    assert body["document_number"] == reply.result.document_number
    assert body["category"] == "penalty" and body["penalty_kinds"] == ["fine", "confiscation"]
    assert body["publish_deadline"] == "2026-11-11"  # 7 working days after 2026-11-02

    messages = asyncio.run(events_for(running.nats.address, f"gongshi.results.published.{code}"))
    assert len(messages) == 1
    headers = messages[0].headers
    assert headers["Nats-Msg-Id"]
    assert headers["traceparent"].startswith("00-")
    assert headers["Gongshi-Event-Type"] == "gongshi.v1.ResultPublished"
    event = pb.ResultPublished.FromString(messages[0].data)
    assert event.result.id == reply.result.id


def test_retried_push_is_one_record_and_one_event(platform, agency, results, http):
    running, _ = platform
    code, token = agency
    decision = penalty()
    replies = [publish(results, token, decision) for _ in range(4)]
    assert [r.created for r in replies] == [True, False, False, False]
    assert len({r.result.id for r in replies}) == 1
    listed = http.get("/api/v1/results", params={"agency": code, "limit": 200}).json()["data"]
    assert sum(r["document_number"] == decision.document_number for r in listed) == 1
    messages = asyncio.run(events_for(running.nats.address, f"gongshi.results.published.{code}"))
    ids = [pb.ResultPublished.FromString(m.data).result.id for m in messages]
    assert ids.count(replies[0].result.id) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"document_number": ""}, "decision.document_number"),
        ({"conclusion": ""}, "decision.conclusion"),
        ({"decision_date": ""}, "decision.decision_date"),
        ({"decision_date": "2026-13-40"}, "decision.decision_date"),
        ({"legal_basis": []}, "decision.legal_basis"),
        ({"category": 0}, "decision.category"),
        ({"category": 99}, "decision.category"),
        ({"penalty_kinds": [77]}, "decision.penalty_kinds[0]"),
        ({"facts": "事" * (limits.LONG_TEXT + 1)}, "decision.facts"),
        ({"document_number": "号" * (limits.SHORT_TEXT + 1)}, "decision.document_number"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(platform, agency, results, http, change, field):
    code, token = agency
    before = http.get("/api/v1/results", params={"agency": code}).json()["total"]
    with pytest.raises(grpc.RpcError) as caught:
        publish(results, token, penalty(**change))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in field_violations(caught.value)
    assert field in caught.value.details()
    assert http.get("/api/v1/results", params={"agency": code}).json()["total"] == before


def test_missing_party_is_named(agency, results):
    _, token = agency
    decision = penalty()
    decision.ClearField("party")
    with pytest.raises(grpc.RpcError) as caught:
        publish(results, token, decision)
    assert "decision.party" in field_violations(caught.value)


def test_writes_need_the_agencys_own_credential(platform, agency, results):
    _, settings = platform
    code, token = agency
    other_code = f"CGJ-{uuid.uuid4().hex[:8]}"
    other_token = register_agency(settings, other_code, region="440305")
    with pytest.raises(grpc.RpcError) as caught:
        publish(results, other_token, penalty(), agency_code=code)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert publish(results, token, penalty(), agency_code=code).created
    with pytest.raises(grpc.RpcError) as caught:
        results.PublishDecision(pb.PublishDecisionRequest(decision=penalty()), timeout=10)
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.RpcError) as caught:
        publish(results, "gs_0000000000000000_not-a-real-secret", penalty())
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_list_filters_and_cursor_pagination(platform, results, http):
    _, settings = platform
    code = f"ZJJ-{uuid.uuid4().hex[:8]}"
    token = register_agency(settings, code, region="110105")
    dates = ["2026-10-01", "2026-10-02", "2026-10-02", "2026-10-03", "2026-10-05"]
    for i, date in enumerate(dates):
        publish(results, token, penalty(decision_date=date, document_number=f"京朝住建罚〔2026〕{i}号"))
    publish(
        results,
        token,
        penalty(
            decision_date="2026-10-04",
            document_number="京朝住建许〔2026〕1号",
            category=pb.DECISION_CATEGORY_LICENSING,
            licence_item="建筑工程施工许可",
            approval_category="普通",
            penalty_kinds=[],
        ),
    )

    seen, cursor = [], None
    while True:
        page = http.get("/api/v1/results", params={"agency": code, "limit": 2, "cursor": cursor}).json()
        assert page["total"] == 6
        seen += [(r["decision_date"], r["id"]) for r in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 6 and len(set(seen)) == 6
    assert seen == sorted(seen, reverse=True)

    licences = http.get("/api/v1/results", params={"agency": code, "category": "licensing"}).json()
    assert [r["document_number"] for r in licences["data"]] == ["京朝住建许〔2026〕1号"]
    window = http.get(
        "/api/v1/results", params={"agency": code, "decided_from": "2026-10-02", "decided_to": "2026-10-03"}
    ).json()
    assert window["total"] == 3
    region = http.get("/api/v1/results", params={"region": "110105"}).json()
    assert region["total"] == 6


def test_http_errors_are_problem_details(http):
    too_big = http.get("/api/v1/results", params={"limit": limits.MAX_PAGE_SIZE + 1})
    assert too_big.status_code == 400
    assert too_big.headers["content-type"].startswith("application/problem+json")
    assert too_big.json()["errors"][0]["field"] == "limit"
    missing = http.get("/api/v1/results/doesnotexist")
    assert missing.status_code == 404 and missing.json()["status"] == 404
    bad_cursor = http.get("/api/v1/results", params={"cursor": "!!"})
    assert bad_cursor.status_code == 400


def test_natural_person_is_masked_everywhere_public(platform, agency, results, http):
    running, _ = platform
    code, token = agency
    decision = penalty(
        party=pb.Party(
            type=pb.PARTY_TYPE_NATURAL_PERSON,
            name="张三丰",
            id_number="110101199003071234",
            phone="13812345678",
            address="北京市海淀区中关村大街1号",
        ),
        facts="张三丰（电话13812345678）在其住所经营无证餐饮，证人李四在场。",
        third_party_names=["李四"],
    )
    reply = publish(results, token, decision)
    raw = http.get(f"/api/v1/results/{reply.result.id}").text
    for secret in ("张三丰", "110101199003071234", "13812345678", "中关村大街1号", "李四"):
        assert secret not in raw
    assert "张某某" in raw
    messages = asyncio.run(events_for(running.nats.address, f"gongshi.results.published.{code}"))
    payloads = b"".join(m.data for m in messages)
    assert b"110101199003071234" not in payloads and "张三丰".encode() not in payloads


def test_minor_is_never_public(platform, agency, results, http):
    code, token = agency
    decision = penalty(party=pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="赵小明", is_minor=True))
    reply = publish(results, token, decision)
    assert reply.result.status == pb.RESULT_STATUS_NOT_PUBLISHED
    assert http.get(f"/api/v1/results/{reply.result.id}").status_code == 404
    listed = http.get("/api/v1/results", params={"agency": code, "limit": 200}).json()["data"]
    assert reply.result.id not in {r["id"] for r in listed}


def test_portal_lists_published_results(platform, agency, results, http):
    _, token = agency
    decision = penalty(document_number="沪黄市监罚〔2026〕门户1号")
    reply = publish(results, token, decision)
    home = http.get("/")
    assert home.status_code == 200 and "沪黄市监罚〔2026〕门户1号" in home.text
    # Decided 2026-11-02, due 2026-11-11, published later than that.
    page = http.get(f"/results/{reply.result.id}", params={"lang": "en"})
    assert page.status_code == 200 and "Published late" in page.text
    today = dt.datetime.now(CHINA_TZ).date().isoformat()
    fresh = publish(results, token, penalty(decision_date=today))
    assert fresh.result.published_on_time
    # The portal remembers the language chosen above in a cookie: ask for Chinese again.
    assert "按时公示" in http.get(f"/results/{fresh.result.id}", params={"lang": "zh"}).text

"""The public life of a decision after publication, end to end on the real
platform: corrections with history, withdrawals with tombstones and the
takedown log, pending registration, the under-appeal flag, the right of
reply, the agency API through the gateway, objections from feedback over
real NATS, and tamper evidence."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import grpc
import nats
import pytest

from gongshi.v1 import feedback_pb2
from gongshi.v1 import results_pb2 as pb
from services.runtime import events as ev
from services.runtime import limits
from services.runtime.clock import CHINA_TZ
from tests.support.decisions import penalty
from tests.support.platform import auth, register_agency
from tests.support.results import events, field_violations, publish, sql


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_correction_is_a_new_version_and_the_old_one_stays_in_the_history(platform, agency, results, http):
    running, _ = platform
    code, token = agency
    original = publish(results, token, penalty(conclusion="罚款人民币五万元。")).result
    corrected_decision = penalty(document_number=original.document_number, conclusion="罚款人民币三万元。")
    corrected = results.CorrectResult(
        pb.CorrectResultRequest(
            id=original.id, decision=corrected_decision, reason="罚款金额笔误，更正为三万元"
        ),
        metadata=auth(token),
        timeout=10,
    )
    assert (corrected.version, corrected.status) == (2, pb.RESULT_STATUS_CORRECTED)
    assert corrected.published_at == original.published_at  # the record's public life goes on

    body = http.get(f"/api/v1/results/{original.id}").json()
    assert body["version"] == 2 and body["status"] == "corrected"
    assert (
        body["conclusion"] == "罚款人民币三万元。" and body["change_reason"] == "罚款金额笔误，更正为三万元"
    )
    history = http.get(f"/api/v1/results/{original.id}/history").json()
    assert [v["conclusion"] for v in history["versions"]] == ["罚款人民币五万元。", "罚款人民币三万元。"]
    assert [c["kind"] for c in history["changes"]] == ["published", "corrected"]
    assert history["changes"][1]["reason"] == "罚款金额笔误，更正为三万元"
    page = http.get(f"/results/{original.id}/history")
    assert page.status_code == 200 and "罚款人民币五万元。" in page.text and "罚款金额笔误" in page.text

    (event,) = events(running.nats.address, f"gongshi.results.corrected.{code}", pb.ResultCorrected)
    assert (event.result.version, event.previous_version) == (2, 1)
    assert event.reason == "罚款金额笔误，更正为三万元"


def test_a_correction_keeps_its_document_number_and_needs_a_reason(agency, results):
    _, token = agency
    original = publish(results, token, penalty()).result
    with pytest.raises(grpc.RpcError) as caught:
        results.CorrectResult(
            pb.CorrectResultRequest(id=original.id, decision=penalty(), reason="x"),
            metadata=auth(token),
            timeout=10,
        )
    assert "decision.document_number" in field_violations(caught.value)
    with pytest.raises(grpc.RpcError) as caught:
        results.CorrectResult(
            pb.CorrectResultRequest(
                id=original.id, decision=penalty(document_number=original.document_number), reason=" "
            ),
            metadata=auth(token),
            timeout=10,
        )
    assert "reason" in field_violations(caught.value)


def test_withdrawal_leaves_every_public_channel_and_leaves_a_tombstone(platform, agency, results, http):
    running, _ = platform
    code, token = agency
    marker = f"撤下测试{uuid.uuid4().hex[:6]}"
    kept = publish(results, token, penalty(facts=f"经查，{marker}保留的记录。")).result
    gone = publish(results, token, penalty(facts=f"经查，{marker}将被撤下的记录。")).result

    def public_ids() -> dict[str, set[str]]:
        listed = http.get("/api/v1/results", params={"agency": code, "limit": 200}).json()["data"]
        found = http.get("/api/v1/search", params={"q": marker, "agency": code}).json()
        export = http.get("/api/v1/exports/results.ndjson", params={"agency": code}).text
        feed = http.get("/feeds/results.atom").text
        return {
            "list": {r["id"] for r in listed},
            "search": {h["result"]["id"] if "result" in h else h["id"] for h in found["data"]},
            "export": {i for i in (kept.id, gone.id) if i in export},
            "feed": {i for i in (kept.id, gone.id) if i in feed},
        }

    before = public_ids()
    assert all(gone.id in ids and kept.id in ids for ids in before.values()), before

    tombstone = results.WithdrawResult(
        pb.WithdrawResultRequest(
            id=gone.id,
            reason=pb.WITHDRAWAL_REASON_CONFIRMED_ILLEGAL,
            statement="经行政复议确认该处罚决定违法",
            grounds_date=gone.decision_date,
        ),
        metadata=auth(token),
        timeout=10,
    )
    assert tombstone.status == pb.RESULT_STATUS_WITHDRAWN
    assert tombstone.withdrawal_reason == "confirmed_illegal"
    assert not tombstone.party.name and not tombstone.facts and not tombstone.conclusion

    # The withdrawal went to the service, not through this gateway: its cached pages follow
    # the ResultWithdrawn event (within a second; tests/integration/test_read_cache.py).
    deadline = time.monotonic() + 10
    after = public_ids()
    while any(gone.id in ids for ids in after.values()) and time.monotonic() < deadline:
        time.sleep(0.1)
        after = public_ids()
    for channel, ids in after.items():
        assert gone.id not in ids, channel
        assert kept.id in ids, channel

    api = http.get(f"/api/v1/results/{gone.id}")
    assert api.status_code == 410
    assert api.json()["withdrawal_statement"] == "经行政复议确认该处罚决定违法"
    assert api.json()["withdrawn_at"] and marker not in api.text
    page = http.get(f"/results/{gone.id}")
    assert page.status_code == 410
    assert "经行政复议确认该处罚决定违法" in page.text and "确认违法" in page.text and marker not in page.text

    log = http.get("/api/v1/takedowns", params={"agency": code}).json()
    assert [(t["result_id"], t["reason"]) for t in log["data"]] == [(gone.id, "confirmed_illegal")]
    assert log["data"][0]["statement"] == "经行政复议确认该处罚决定违法"
    assert gone.document_number in http.get("/takedowns").text

    (event,) = events(running.nats.address, f"gongshi.results.withdrawn.{code}", pb.ResultWithdrawn)
    assert (event.result_id, event.reason) == (gone.id, "confirmed_illegal")
    assert event.tombstone.status == pb.RESULT_STATUS_WITHDRAWN and not event.tombstone.facts

    # A retried withdrawal changes nothing and sends nothing more.
    again = results.WithdrawResult(
        pb.WithdrawResultRequest(id=gone.id, reason=pb.WITHDRAWAL_REASON_ERROR, statement="重复"),
        metadata=auth(token),
        timeout=10,
    )
    assert again.withdrawal_reason == "confirmed_illegal"
    assert len(events(running.nats.address, f"gongshi.results.withdrawn.{code}", pb.ResultWithdrawn)) == 1


def test_withdrawal_needs_a_reason_a_statement_and_the_owner(platform, agency, results):
    _, settings = platform
    _, token = agency
    record = publish(results, token, penalty()).result
    with pytest.raises(grpc.RpcError) as caught:
        results.WithdrawResult(pb.WithdrawResultRequest(id=record.id), metadata=auth(token), timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert {"reason", "statement"} <= set(field_violations(caught.value))
    other = register_agency(settings, f"CGJ-{uuid.uuid4().hex[:8]}")
    with pytest.raises(grpc.RpcError) as caught:
        results.WithdrawResult(
            pb.WithdrawResultRequest(id=record.id, reason=pb.WITHDRAWAL_REASON_REVOKED, statement="撤销"),
            metadata=auth(other),
            timeout=10,
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ({"penalty_kinds": [pb.PENALTY_KIND_WARNING], "fine_amount_fen": 0}, "warning"),
        ({"procedure_type": pb.PROCEDURE_TYPE_SIMPLIFIED}, "simplified"),
        ({"involves_secrets": True, "non_publication_reason": "涉及商业秘密"}, "secrets"),
    ],
)
def test_decisions_the_policy_withholds_are_stored_but_never_public(
    platform, agency, results, http, change, kind
):
    running, _ = platform
    code, token = agency
    reply = publish(results, token, penalty(**change))
    assert reply.created and reply.result.status == pb.RESULT_STATUS_NOT_PUBLISHED
    assert http.get(f"/api/v1/results/{reply.result.id}").status_code == 404
    assert http.get(f"/results/{reply.result.id}").status_code == 404
    assert http.get("/api/v1/results", params={"agency": code}).json()["total"] == 0
    assert http.get(f"/api/v1/results/{reply.result.id}/history").status_code == 404
    assert events(running.nats.address, f"gongshi.results.*.{code}", pb.ResultPublished, 0, wait=1.5) == []


def test_register_ahead_then_publish(agency, results, http):
    _, token = agency
    decision = penalty()
    registered = results.RegisterDecision(
        pb.RegisterDecisionRequest(decision=decision), metadata=auth(token), timeout=10
    )
    assert registered.created and registered.result.status == pb.RESULT_STATUS_PENDING
    assert registered.result.publish_deadline == "2026-11-11" and not registered.result.published_at
    assert http.get(f"/api/v1/results/{registered.result.id}").status_code == 404

    published = publish(results, token, decision)
    assert published.created and published.result.id == registered.result.id
    assert published.result.status == pb.RESULT_STATUS_PUBLISHED
    assert published.result.registered_at == registered.result.registered_at
    assert not published.result.published_on_time  # decided 2026-11-02, due 2026-11-11
    assert http.get(f"/api/v1/results/{registered.result.id}").json()["status"] == "published"
    again = publish(results, token, decision)
    assert not again.created and again.result.id == registered.result.id


@pytest.mark.parametrize(
    ("category", "decided", "deadline"),
    [
        # National Day 2025 (10-01..10-08 off, Saturday 10-11 a make-up working day).
        (pb.DECISION_CATEGORY_PENALTY, "2025-09-30", "2025-10-16"),
        (pb.DECISION_CATEGORY_PENALTY, "2025-09-25", "2025-10-11"),  # the 7th working day is 调休 Sat
        # Spring Festival 2026 (2-15..2-23 off; Saturdays 2-14 and 2-28 are working days).
        (pb.DECISION_CATEGORY_PENALTY, "2026-02-12", "2026-02-28"),
        (pb.DECISION_CATEGORY_INSPECTION, "2026-02-02", "2026-03-06"),
    ],
)
def test_golden_deadlines_on_published_records(agency, results, http, category, decided, deadline):
    _, token = agency
    # Serious: a three-year period, so the 2025 decisions are still public today.
    extra = {"category": category, "severity": pb.SEVERITY_TIER_SERIOUS}
    if category != pb.DECISION_CATEGORY_PENALTY:
        extra.update(penalty_kinds=[], violation_type="")
    record = publish(results, token, penalty(decision_date=decided, **extra)).result
    body = http.get(f"/api/v1/results/{record.id}").json()
    assert body["publish_deadline"] == deadline and body["published_on_time"] is False
    assert body["deadline_note"] == ""


def test_under_appeal_flag_and_moderated_reply(platform, agency, results, http):
    running, _ = platform
    code, token = agency
    record = publish(results, token, penalty()).result
    flagged = http.put(
        f"/api/v1/agency/results/{record.id}/appeal",
        json={"under_appeal": True, "note": "行政复议受理中"},
        headers=bearer(token),
    )
    assert flagged.status_code == 200 and flagged.json()["under_appeal"] is True
    assert http.get(f"/api/v1/results/{record.id}").json()["appeal_note"] == "行政复议受理中"
    assert "复议或诉讼中" in http.get(f"/results/{record.id}").text

    submitted = http.post(
        f"/api/v1/results/{record.id}/replies",
        json={"text": "我司已整改完毕，联系电话13912345678。", "contact": "13912345678"},
    )
    assert submitted.status_code == 202 and submitted.json()["status"] == "submitted"
    assert "13912345678" not in submitted.text
    assert not http.get(f"/api/v1/results/{record.id}").json()["reply_text"]  # not before approval

    queue = http.get("/api/v1/agency/replies", params={"status": "submitted"}, headers=bearer(token)).json()
    assert [r["id"] for r in queue["data"]] == [submitted.json()["id"]]
    assert http.get("/api/v1/agency/replies").status_code == 401
    decided = http.post(
        f"/api/v1/agency/replies/{submitted.json()['id']}/decision",
        json={"approve": True},
        headers=bearer(token),
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    shown = http.get(f"/api/v1/results/{record.id}").json()
    assert shown["reply_text"].startswith("我司已整改完毕") and "13912345678" not in shown["reply_text"]
    assert "我司已整改完毕" in http.get(f"/results/{record.id}").text
    changes = [c["kind"] for c in http.get(f"/api/v1/results/{record.id}/history").json()["changes"]]
    assert changes == ["published", "appeal_flagged", "reply_approved"]
    annotated = events(running.nats.address, f"gongshi.results.annotated.{code}", pb.ResultAnnotated, 2)
    assert [e.change for e in annotated] == ["appeal_flagged", "reply_approved"]


def test_rejected_reply_is_never_shown(agency, results, http):
    _, token = agency
    record = publish(results, token, penalty()).result
    reply = http.post(f"/api/v1/results/{record.id}/replies", json={"text": "不服！"}).json()
    refused = http.post(
        f"/api/v1/agency/replies/{reply['id']}/decision", json={"approve": False}, headers=bearer(token)
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "reason"
    http.post(
        f"/api/v1/agency/replies/{reply['id']}/decision",
        json={"approve": False, "reason": "含有与本案无关的内容"},
        headers=bearer(token),
    ).raise_for_status()
    assert not http.get(f"/api/v1/results/{record.id}").json()["reply_text"]


def test_agency_api_through_the_gateway_uses_the_same_credentials_and_validation(platform, agency, http):
    _, settings = platform
    _, token = agency
    decision = {
        "documentNumber": f"沪黄市监罚〔2026〕网关{uuid.uuid4().hex[:6]}号",
        "category": "DECISION_CATEGORY_PENALTY",
        "party": {
            "type": "PARTY_TYPE_LEGAL_PERSON",
            "name": "上海某某商贸有限公司",
            "uscc": "91310101MA1FPX9999",
        },
        "facts": "经查，当事人销售不合格产品。",
        "violationType": "销售不合格产品",
        "legalBasis": ["《中华人民共和国产品质量法》第四十九条"],
        "conclusion": "罚款人民币一万元。",
        "penaltyKinds": ["PENALTY_KIND_FINE"],
        "decisionDate": "2026-11-20",
    }
    assert http.post("/api/v1/agency/results", json=decision).status_code == 401
    created = http.post("/api/v1/agency/results", json=decision, headers=bearer(token))
    assert created.status_code == 201 and created.json()["created"] is True
    record = created.json()["result"]
    retry = http.post("/api/v1/agency/results", json=decision, headers=bearer(token))
    assert retry.status_code == 200 and retry.json()["result"]["id"] == record["id"]

    bad = http.post("/api/v1/agency/results", json={**decision, "conclusion": ""}, headers=bearer(token))
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    assert "decision.conclusion" in {e["field"] for e in bad.json()["errors"]}
    assert (
        http.post("/api/v1/agency/results", json={"category": "NOPE"}, headers=bearer(token)).status_code
        == 400
    )

    other = register_agency(settings, f"CGJ-{uuid.uuid4().hex[:8]}")
    forbidden = http.post(
        f"/api/v1/agency/results/{record['id']}/withdrawal",
        json={"reason": "revoked", "statement": "撤销"},
        headers=bearer(other),
    )
    assert forbidden.status_code == 403
    corrected = http.post(
        f"/api/v1/agency/results/{record['id']}/corrections",
        json={"decision": {**decision, "conclusion": "罚款人民币八千元。"}, "reason": "金额更正"},
        headers=bearer(token),
    )
    assert corrected.status_code == 200 and corrected.json()["version"] == 2
    withdrawn = http.post(
        f"/api/v1/agency/results/{record['id']}/withdrawal",
        json={"reason": "revoked", "statement": "原决定已被依法撤销", "grounds_date": "2026-11-24"},
        headers=bearer(token),
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["withdrawal_deadline"] == "2026-11-27"  # 3 working days after Tue 11-24


def publish_objection(nats_url: str, decided: feedback_pb2.ObjectionDecided) -> None:
    """What the feedback service's outbox would publish."""

    async def send() -> None:
        nc = await nats.connect(nats_url)
        try:
            js = nc.jetstream()
            event_id = uuid.uuid4().hex
            await js.publish(
                ev.subject("feedback", "objection_decided", decided.agency_code),
                decided.SerializeToString(),
                headers={
                    ev.HEADER_MSG_ID: event_id,
                    ev.HEADER_EVENT_TYPE: ev.event_type(decided),
                    ev.HEADER_SOURCE: "feedback",
                },
            )
        finally:
            await nc.close()

    import asyncio

    asyncio.run(send())


def wait_for(check, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


def test_objection_decided_in_feedback_corrects_or_withdraws_over_nats(platform, agency, results, http):
    running, _ = platform
    code, token = agency
    first = publish(results, token, penalty()).result
    second = publish(results, token, penalty()).result
    publish_objection(
        running.nats.address,
        feedback_pb2.ObjectionDecided(
            feedback_id="fb-1",
            agency_code=code,
            result_id=first.id,
            outcome=feedback_pb2.OBJECTION_OUTCOME_CORRECT,
            reason="当事人异议成立：货值金额有误",
            corrected_facts="经查，当事人经营超过保质期的食品，货值金额一千元。举报人电话13800001111。",
        ),
    )
    body = wait_for(lambda: (b := http.get(f"/api/v1/results/{first.id}").json())["version"] == 2 and b)
    assert body["status"] == "corrected" and "一千元" in body["facts"] and "13800001111" not in body["facts"]
    assert body["conclusion"] == first.conclusion and body["change_reason"] == "当事人异议成立：货值金额有误"
    history = http.get(f"/api/v1/results/{first.id}/history").json()
    assert [v["version"] for v in history["versions"]] == [1, 2]

    publish_objection(
        running.nats.address,
        feedback_pb2.ObjectionDecided(
            feedback_id="fb-2",
            agency_code=code,
            result_id=second.id,
            outcome=feedback_pb2.OBJECTION_OUTCOME_WITHDRAW,
            reason="信息有误，予以撤下",
        ),
    )
    gone = wait_for(lambda: (r := http.get(f"/api/v1/results/{second.id}")).status_code == 410 and r.json())
    assert gone["withdrawal_reason"] == "error" and gone["withdrawal_statement"] == "信息有误，予以撤下"
    (event,) = events(running.nats.address, f"gongshi.results.withdrawn.{code}", pb.ResultWithdrawn)
    assert event.result_id == second.id


def test_the_chain_verifies_and_catches_a_row_altered_in_the_database(platform, agency, results, http):
    _, settings = platform
    code, token = agency
    records = [publish(results, token, penalty()).result for _ in range(3)]
    results.CorrectResult(
        pb.CorrectResultRequest(
            id=records[0].id, decision=penalty(document_number=records[0].document_number), reason="更正"
        ),
        metadata=auth(token),
        timeout=10,
    )
    results.WithdrawResult(
        pb.WithdrawResultRequest(id=records[1].id, reason=pb.WITHDRAWAL_REASON_REVOKED, statement="已撤销"),
        metadata=auth(token),
        timeout=10,
    )
    chain = http.get(f"/api/v1/agencies/{code}/chain").json()
    assert chain["length"] == 5 and [e["kind"] for e in chain["data"]] == [
        "published",
        "published",
        "published",
        "corrected",
        "withdrawn",
    ]
    assert chain["data"][1]["prev_hash"] == chain["data"][0]["hash"]
    verdict = http.get(f"/api/v1/agencies/{code}/chain/verify").json()
    assert verdict["intact"] is True and verdict["entries_checked"] == 5 and verdict["records_checked"] == 3
    assert "哈希链完整" in http.get(f"/agencies/{code}/chain").text

    # An intruder with database access softens a published conclusion.
    db_url = settings.db_url("results")
    (doc,) = sql(db_url, "SELECT doc FROM results WHERE id = :id", id=records[2].id)[0]
    altered = pb.Result.FromString(doc)
    altered.conclusion = "不予处罚。"
    sql(
        db_url,
        "UPDATE results SET doc = :doc WHERE id = :id",
        doc=altered.SerializeToString(),
        id=records[2].id,
    )
    verdict = http.get(f"/api/v1/agencies/{code}/chain/verify").json()
    assert verdict["intact"] is False
    assert any(p["result_id"] == records[2].id and "content" in p["problem"] for p in verdict["problems"])
    sql(db_url, "UPDATE results SET doc = :doc WHERE id = :id", doc=doc, id=records[2].id)
    assert http.get(f"/api/v1/agencies/{code}/chain/verify").json()["intact"] is True

    # Rewriting history: an old version, a link's reason, or a withdrawn record made public again.
    for statement, params in (
        ("UPDATE results_versions SET doc = :doc WHERE result_id = :id AND version = 1", {"doc": doc}),
        ("UPDATE results_chain SET reason = 'x' WHERE result_id = :id AND kind = 'withdrawn'", {}),
        ("UPDATE results SET public = true, status = 1 WHERE id = :id", {}),
    ):
        target = records[0].id if "versions" in statement else records[1].id
        sql(db_url, statement, id=target, **params)
        verdict = http.get(f"/api/v1/agencies/{code}/chain/verify").json()
        assert verdict["intact"] is False, statement
        assert any(p["result_id"] == target for p in verdict["problems"]), verdict["problems"]


def test_a_minors_decision_appears_nowhere_public(platform, agency, results, http):
    running, _ = platform
    code, token = agency
    publish(results, token, penalty())  # so the agency's chain and channels exist
    marker = f"未成年{uuid.uuid4().hex[:6]}"
    minor = publish(
        results,
        token,
        penalty(
            party=pb.Party(
                type=pb.PARTY_TYPE_NATURAL_PERSON,
                name="钱小宝",
                id_number="110101201001011234",
                is_minor=True,
            ),
            facts=f"经查，{marker}当事人在校园周边销售电子烟。",
        ),
    ).result
    assert minor.status == pb.RESULT_STATUS_NOT_PUBLISHED
    for path in (
        f"/api/v1/results/{minor.id}",
        f"/results/{minor.id}",
        f"/api/v1/results/{minor.id}/history",
    ):
        assert http.get(path).status_code == 404, path
    channels = [
        http.get("/api/v1/results", params={"agency": code, "limit": 200}).text,
        http.get("/api/v1/search", params={"q": marker}).text,
        http.get("/api/v1/exports/results.csv", params={"agency": code}).text,
        http.get("/api/v1/exports/results.ndjson", params={"agency": code}).text,
        http.get("/feeds/results.atom").text,
        http.get(f"/api/v1/agencies/{code}/chain").text,
        http.get("/api/v1/takedowns").text,
    ]
    for text in channels:
        assert minor.id not in text and marker not in text and "钱小宝" not in text
    payloads = events(running.nats.address, f"gongshi.results.*.{code}", pb.ResultPublished, 1)
    assert minor.id not in {e.result.id for e in payloads}
    assert http.get(f"/api/v1/agencies/{code}/chain/verify").json()["intact"] is True


def test_reply_limits(agency, results, http):
    _, token = agency
    record = publish(results, token, penalty()).result
    too_long = http.post(
        f"/api/v1/results/{record.id}/replies", json={"text": "字" * (limits.MAX_REPLY_CHARS + 1)}
    )
    assert too_long.status_code == 400 and too_long.json()["errors"][0]["field"] == "text"
    with pytest.raises(grpc.RpcError) as caught:
        results.SubmitReply(
            pb.SubmitReplyRequest(result_id=record.id, text="字" * (limits.MAX_REPLY_CHARS + 1))
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "text" in field_violations(
        caught.value
    )
    for i in range(limits.MAX_PENDING_REPLIES):
        assert http.post(f"/api/v1/results/{record.id}/replies", json={"text": f"回应{i}"}).status_code == 202
    crowded = http.post(f"/api/v1/results/{record.id}/replies", json={"text": "再一条"})
    assert crowded.status_code == 429
    assert http.post("/api/v1/results/doesnotexist/replies", json={"text": "x"}).status_code == 404


def test_a_decision_pushed_after_its_publicity_period_is_stored_counted_and_never_public(
    platform, agency, results, http
):
    """Issue 16.3: decided 400 days ago with a fine (general: public 12 months at
    most, counted from the decision), so there is nothing left to publish."""
    running, _ = platform
    code, token = agency
    decided = (dt.datetime.now(CHINA_TZ).date() - dt.timedelta(days=400)).isoformat()
    reply = publish(results, token, penalty(decision_date=decided))
    assert reply.created and reply.result.status == pb.RESULT_STATUS_NOT_PUBLISHED
    assert "publicity period ended" in reply.result.non_publication_reason
    assert "公示期已满" in reply.result.non_publication_reason
    assert not reply.result.published_at and not reply.result.publicity_end
    assert http.get(f"/api/v1/results/{reply.result.id}").status_code == 404
    assert http.get(f"/results/{reply.result.id}").status_code == 404
    assert http.get(f"/api/v1/results/{reply.result.id}/history").status_code == 404
    assert http.get("/api/v1/results", params={"agency": code}).json()["total"] == 0
    stats = http.get("/api/v1/statistics", params={"agency": code}).json()
    assert stats["decisions"] == 1 and stats["published"] == 0
    for kind in (pb.ResultPublished, pb.ResultExpired):
        assert events(running.nats.address, f"gongshi.results.*.{code}", kind, 0, wait=1.0) == []
    # A retry answers with the stored record and the same reason.
    again = publish(
        results, token, penalty(document_number=reply.result.document_number, decision_date=decided)
    )
    assert not again.created and again.result.non_publication_reason == reply.result.non_publication_reason

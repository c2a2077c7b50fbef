"""The agency console API (gateway/routes/agency.py) against the whole platform:
agencies write duties, procedures and feedback decisions over REST with the
same credentials and validation as gRPC, and the results are readable through
the public REST API. Another agency's token is refused (403), no token is
refused (401), a malformed body is refused naming the field (400), and none of
those refusals stores anything."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from tests.support.platform import register_agency

BASIS = {
    "code": "SPAQF-124",
    "instrument_title": "中华人民共和国食品安全法",
    "level": "INSTRUMENT_LEVEL_LAW",
    "issuing_body": "全国人民代表大会常务委员会",
    "article": "第一百二十四条",
    "role": "BASIS_ROLE_PENALTY",
    "effective_date": "2015-10-01",
}


def duty_item(code: str, name: str = "对生产经营超过保质期食品的处罚") -> dict:
    return {
        "code": code,
        "name": name,
        "power_type": "POWER_TYPE_PENALTY",
        "legal_basis_codes": ["SPAQF-124"],
        "handling_unit": "执法稽查科",
        "responsibilities": [{"stage": "DUTY_STAGE_FILING", "description": "对违法线索依法立案"}],
    }


def procedure(code: str, duty_item_code: str) -> dict:
    return {
        "code": code,
        "duty_item_code": duty_item_code,
        "name": "行政处罚一般程序",
        "steps": [
            {
                "name": "立案",
                "actor": "执法稽查科",
                "time_limit": "15个工作日",
                "output_document": "立案审批表",
            },
            {"name": "决定", "actor": "局领导", "time_limit": "90日", "output_document": "行政处罚决定书"},
        ],
        "accepting_unit": "执法稽查科",
        "approving_unit": "某区市场监督管理局",
        "statutory_time_limit_days": 90,
    }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def eventually(call, *, until, timeout: float = 30.0) -> httpx.Response:
    """Credentials, agencies and duty items reach the other services by events: retry until they have."""
    deadline = time.monotonic() + timeout
    while True:
        response = call()
        if until(response):
            return response
        assert time.monotonic() < deadline, (response.status_code, response.text[:500])
        time.sleep(0.2)


def assert_problem(response: httpx.Response, status: int, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    if field:
        assert field in [e["field"] for e in response.json()["errors"]], response.text


@pytest.fixture(scope="module")
def http(platform):
    running, _ = platform
    with httpx.Client(base_url=running.gateway.address, timeout=20) as client:
        yield client


@pytest.fixture(scope="module")
def agencies(platform, http) -> tuple[tuple[str, str], tuple[str, str]]:
    """Two agencies; the first has a published legal basis, written over REST."""
    _, settings = platform
    mine, other = (f"SCJG-{uuid.uuid4().hex[:8]}" for _ in range(2))
    mine_token, other_token = register_agency(settings, mine), register_agency(settings, other)
    put = eventually(
        lambda: http.put(
            "/api/v1/agency/legal-bases",
            json={"legal_basis": BASIS, "publish": True},
            headers=bearer(mine_token),
        ),
        until=lambda r: r.status_code != 401,
    )
    assert put.status_code == 200, put.text
    assert put.json()["legal_basis"]["publication"]["status"] == "published"
    return (mine, mine_token), (other, other_token)


def test_duty_items_written_published_and_retired_over_rest(http, agencies):
    (code, token), _ = agencies
    draft = http.put(
        "/api/v1/agency/duty-items",
        json={"duty_item": duty_item("D-REST"), "reason": "首次公示"},
        headers=bearer(token),
    )
    assert draft.status_code == 200, draft.text
    assert draft.json()["changed"] and draft.json()["duty_item"]["publication"]["status"] == "draft"
    assert_problem(http.get(f"/api/v1/duty-items/{code}/D-REST"), 404)  # drafts are never public

    published = http.post("/api/v1/agency/records/duties/duty_item/D-REST/publish", headers=bearer(token))
    assert published.status_code == 200, published.text
    assert published.json()["changed"] and published.json()["publication"]["status"] == "published"
    public = http.get(f"/api/v1/duty-items/{code}/D-REST")
    assert public.status_code == 200 and public.json()["name"] == "对生产经营超过保质期食品的处罚"
    assert public.json()["power_type"] == "penalty" and public.json()["legal_basis_codes"] == ["SPAQF-124"]

    retired = http.post(
        "/api/v1/agency/records/duties/duty_item/D-REST/retire",
        json={"reason": "职责调整"},
        headers=bearer(token),
    )
    assert retired.status_code == 200 and retired.json()["publication"]["status"] == "retired"
    assert http.get("/api/v1/duty-items", params={"agency": code, "q": "保质期"}).json()["total"] == 0
    kept = http.get(f"/api/v1/duty-items/{code}/D-REST").json()
    assert kept["publication"]["status"] == "retired" and kept["publication"]["retire_reason"] == "职责调整"
    # A kind the service does not keep is refused before any call.
    assert_problem(
        http.post("/api/v1/agency/records/duties/procedure/D-REST/publish", headers=bearer(token)),
        400,
        "kind",
    )


def test_duty_item_import_streams_every_row(http, agencies):
    (code, token), _ = agencies
    rows = [{"duty_item": duty_item(f"IMP-{i}", name=f"导入事项{i}"), "publish": True} for i in range(3)]
    rows[1]["duty_item"]["name"] = ""  # refused by the service, row by row
    reply = http.post("/api/v1/agency/duty-items/import", json=rows, headers=bearer(token))
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["accepted"], body["refused"]) == (2, 1)
    [bad] = [o for o in body["outcomes"] if not o["accepted"]]
    assert bad["index"] == 1 and [e["field"] for e in bad["errors"]] == ["duty_item.name"]
    listed = http.get("/api/v1/duty-items", params={"agency": code, "q": "导入事项"}).json()
    assert sorted(d["code"] for d in listed["data"]) == ["IMP-0", "IMP-2"]
    # A row that is not even a request message: 400 naming the row and field, nothing imported.
    rows = [{"duty_item": duty_item("IMP-9")}, {"duty_item": {"power_type": "NO_SUCH_TYPE"}}]
    assert_problem(
        http.post("/api/v1/agency/duty-items/import", json=rows, headers=bearer(token)),
        400,
        "[1].duty_item.power_type",
    )
    assert_problem(http.get(f"/api/v1/duty-items/{code}/IMP-9/versions"), 404)


def test_duty_item_refusals_store_nothing(http, agencies):
    (code, token), (_, other_token) = agencies
    item = {"duty_item": {**duty_item("D-REFUSED"), "agency_code": code}, "publish": True}
    assert_problem(http.put("/api/v1/agency/duty-items", json=item, headers=bearer(other_token)), 403)
    assert_problem(http.put("/api/v1/agency/duty-items", json=item), 401)
    malformed = {
        "duty_item": {**duty_item("D-REFUSED"), "power_type": "POWER_TYPE_NONSENSE"},
        "publish": True,
    }
    assert_problem(
        http.put("/api/v1/agency/duty-items", json=malformed, headers=bearer(token)),
        400,
        "duty_item.power_type",
    )
    unknown = {"duty_item": {**duty_item("D-REFUSED"), "colour": "red"}, "publish": True}
    assert_problem(
        http.put("/api/v1/agency/duty-items", json=unknown, headers=bearer(token)), 400, "duty_item.colour"
    )
    # The service's own validation, field by field, as over gRPC.
    invalid = {"duty_item": {**duty_item("D-REFUSED"), "name": ""}, "publish": True}
    assert_problem(
        http.put("/api/v1/agency/duty-items", json=invalid, headers=bearer(token)), 400, "duty_item.name"
    )
    assert_problem(http.get(f"/api/v1/duty-items/{code}/D-REFUSED/versions"), 404)
    # Publishing or retiring another agency's record, or without a credential.
    retire = {"agency_code": code, "reason": "越权"}
    path = "/api/v1/agency/records/duties/legal_basis/SPAQF-124/retire"
    assert_problem(http.post(path, json=retire, headers=bearer(other_token)), 403)
    assert_problem(http.post(path, json=retire), 401)
    assert_problem(http.post(path, json={"reason": 7}, headers=bearer(token)), 400, "reason")
    basis = http.get(f"/api/v1/legal-bases/{code}/SPAQF-124").json()
    assert basis["publication"]["status"] == "published"


def test_procedures_written_published_and_retired_over_rest(http, agencies):
    (code, token), (_, other_token) = agencies
    put = http.put(
        "/api/v1/agency/duty-items",
        json={"duty_item": duty_item("D-PROC"), "publish": True},
        headers=bearer(token),
    )
    assert put.status_code == 200, put.text
    # 409 (unknown duty item) or 401 until procedures has learnt of the credential and the item.
    written = eventually(
        lambda: http.put(
            "/api/v1/agency/procedures",
            json={"procedure": procedure("P-REST", "D-PROC")},
            headers=bearer(token),
        ),
        until=lambda r: r.status_code not in (401, 409),
    )
    assert written.status_code == 200, written.text
    assert written.json()["procedure"]["publication"]["status"] == "draft"
    assert_problem(http.get(f"/api/v1/procedures/{code}/P-REST"), 404)

    published = http.post(
        "/api/v1/agency/records/procedures/procedure/P-REST/publish",
        json={"reason": "公示执法程序"},
        headers=bearer(token),
    )
    assert published.status_code == 200 and published.json()["publication"]["status"] == "published"
    public = http.get(f"/api/v1/procedures/{code}/P-REST")
    assert public.status_code == 200, public.text
    assert [s["name"] for s in public.json()["steps"]] == ["立案", "决定"]

    channel = {
        "code": "FY-REST",
        "type": "CHANNEL_TYPE_ADMINISTRATIVE_REVIEW",
        "name": "申请行政复议",
        "receiving_body": "某区人民政府",
        "phone": "021-5550-0000",
        "review_deadline": "自知道之日起60日内",
    }
    put = http.put(
        "/api/v1/agency/supervision-channels",
        json={"channel": channel, "publish": True},
        headers=bearer(token),
    )
    assert put.status_code == 200, put.text
    listed = http.get("/api/v1/supervision-channels", params={"agency": code}).json()
    assert [c["code"] for c in listed["data"]] == ["FY-REST"]

    # Refusals: another agency, no credential, a malformed body: nothing changes.
    retire = {"agency_code": code, "reason": "越权"}
    path = "/api/v1/agency/records/procedures/procedure/P-REST/retire"
    assert_problem(http.post(path, json=retire, headers=bearer(other_token)), 403)
    assert_problem(http.post(path, json=retire), 401)
    foreign = {"procedure": {**procedure("P-FOREIGN", "D-PROC"), "agency_code": code}, "publish": True}
    assert_problem(http.put("/api/v1/agency/procedures", json=foreign, headers=bearer(other_token)), 403)
    assert_problem(http.put("/api/v1/agency/procedures", json=foreign), 401)
    malformed = {"procedure": {**procedure("P-FOREIGN", "D-PROC"), "statutory_time_limit_days": "ninety"}}
    assert_problem(
        http.put("/api/v1/agency/procedures", json=malformed, headers=bearer(token)),
        400,
        "procedure.statutory_time_limit_days",
    )
    assert_problem(http.get(f"/api/v1/procedures/{code}/P-FOREIGN/versions"), 404)
    assert http.get(f"/api/v1/procedures/{code}/P-REST").json()["publication"]["status"] == "published"

    retired = http.post(path, json={"reason": "程序调整"}, headers=bearer(token))
    assert retired.status_code == 200 and retired.json()["publication"]["status"] == "retired"
    assert http.get("/api/v1/procedures", params={"agency": code}).json()["total"] == 0
    assert http.get(f"/api/v1/procedures/{code}/P-REST").json()["publication"]["status"] == "retired"


def test_feedback_handled_over_rest_and_answered_in_public(http, agencies):
    (code, token), (_, other_token) = agencies
    submission = {
        "service_code": "complaint",
        "description": "窗口工作人员态度恶劣，推诿办理。",
        "target_type": "agency",
        "target_id": code,
        "contact_name": "赵六",
        "phone": "13912345678",
    }
    # 400 until feedback has learnt of the agency by its event.
    created = eventually(
        lambda: http.post("/api/v1/requests.json", json=submission), until=lambda r: r.status_code != 400
    )
    assert created.status_code == 201, created.text
    feedback_id = created.json()[0]["service_request_id"]

    listed = eventually(
        lambda: http.get("/api/v1/agency/feedback", headers=bearer(token)),
        until=lambda r: r.status_code != 401,
    )
    assert listed.status_code == 200, listed.text
    [case] = [f for f in listed.json()["data"] if f["feedback"]["id"] == feedback_id]
    assert case["contacts"][0]["phone"] == "13912345678"  # the handling agency sees the contact

    # Refusals first: another agency, no credential, malformed body; the case stays as it was.
    assert_problem(http.get(f"/api/v1/agency/feedback/{feedback_id}", headers=bearer(other_token)), 403)
    assert_problem(
        http.post(f"/api/v1/agency/feedback/{feedback_id}/accept", headers=bearer(other_token)), 403
    )
    assert_problem(http.post(f"/api/v1/agency/feedback/{feedback_id}/accept"), 401)
    assert_problem(http.get("/api/v1/agency/feedback"), 401)
    assert_problem(
        http.post(
            f"/api/v1/agency/feedback/{feedback_id}/reply", json={"text": ["x"]}, headers=bearer(token)
        ),
        400,
        "text",
    )
    [public] = http.get(f"/api/v1/requests/{feedback_id}.json").json()
    assert public["extended_attributes"]["status_detail"] == "received"

    accepted = http.post(
        f"/api/v1/agency/feedback/{feedback_id}/accept", json={"note": "已受理"}, headers=bearer(token)
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["feedback"]["status"] == "accepted"
    reply = "经核查，已对相关工作人员进行批评教育。"
    replied = http.post(
        f"/api/v1/agency/feedback/{feedback_id}/reply", json={"text": reply}, headers=bearer(token)
    )
    assert replied.status_code == 200, replied.text
    one = http.get(f"/api/v1/agency/feedback/{feedback_id}", headers=bearer(token)).json()
    assert one["feedback"]["status"] == "replied" and [r["text"] for r in one["replies"]] == [reply]

    [public] = http.get(f"/api/v1/requests/{feedback_id}.json").json()
    assert public["extended_attributes"]["status_detail"] == "replied" and public["status_notes"] == reply
    assert "13912345678" not in str(public)

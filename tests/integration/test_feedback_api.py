"""The public side of feedback through the gateway: the Open311-shaped REST
API and the portal pages (a no-JavaScript form with CSRF protection, the
tracking page), against the real feedback service over gRPC.

Contact details must come back in exactly one place: the citizen's own
tracking view (tracking code + secret)."""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.app import create_app
from gateway.clients import ServiceClients
from gateway.security import CSRF_COOKIE
from gateway.settings import GatewaySettings
from services.runtime import limits
from tests.support.feedback_harness import PNG, Harness, running_feedback

CONTACT = {
    "contact_name": "赵六",
    "phone": "13912345678",
    "email": "zhaoliu@example.org",
    "contact_address": "上海市黄浦区南京东路100号",
}
PRIVATE_VALUES = ("赵六", "13912345678", "zhaoliu@example.org", "南京东路100号")
OPEN311_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


class Portal:
    def __init__(self, harness: Harness, http: httpx.AsyncClient) -> None:
        self.h = harness
        self.http = http

    async def submit(self, agency_code: str, **fields) -> httpx.Response:
        body = {
            "service_code": "complaint",
            "description": "窗口工作人员态度恶劣，推诿办理。",
            "target_type": "agency",
            "target_id": agency_code,
            **fields,
        }
        return await self.http.post("/api/v1/requests.json", json=body)

    def assert_private_absent(self, text: str) -> None:
        for value in PRIVATE_VALUES:
            assert value not in text, f"{value} leaked"


@pytest.fixture
async def portal(db_url, nats_server, tmp_path) -> AsyncIterator[Portal]:
    async with running_feedback(db_url, nats_server.url, tmp_path) as harness:
        settings = GatewaySettings(data_dir=tmp_path, feedback_addr=f"127.0.0.1:{harness.port}")
        app = create_app(settings)
        app.state.clients = ServiceClients(settings)
        transport = httpx.ASGITransport(app=app, client=("198.51.100.20", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://gongshi.test") as http:
            yield Portal(harness, http)
        await app.state.clients.close()


async def test_open311_submit_read_list_and_track(portal: Portal):
    agency = await portal.h.agency()
    created = await portal.submit(agency.code, **CONTACT)
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    [receipt] = created.json()
    code, secret = receipt["service_request_id"], receipt["secret"]
    assert code.startswith("GS-") and secret and receipt["linked"] is False
    assert receipt["expected_datetime"] == "2026-11-09T23:59:59+08:00"

    [public] = (await portal.http.get(f"/api/v1/requests/{code}.json")).json()
    assert OPEN311_FIELDS <= set(public)
    assert public["status"] == "open" and public["service_code"] == "complaint"
    assert public["agency_responsible"] == "测试市场监督管理局"
    assert public["requested_datetime"] == "2026-11-02T10:00:00+08:00"
    assert dt.datetime.fromisoformat(public["updated_datetime"]).utcoffset() == dt.timedelta(hours=8)
    assert public["extended_attributes"]["status_detail"] == "received"
    assert public["extended_attributes"]["target"] == {
        "type": "agency",
        "id": agency.code,
        "agency_code": agency.code,
    }

    listed = await portal.http.get("/api/v1/requests.json", params={"agency_responsible": agency.code})
    assert listed.headers["x-total-count"] == "1" and listed.json()[0]["service_request_id"] == code
    stats = await portal.http.get("/api/v1/feedback/statistics.json", params={"agency": agency.code})
    assert stats.json()["data"][0]["received"] == 1
    for page in (
        await portal.http.get(f"/api/v1/requests/{code}.json"),
        listed,
        stats,
        await portal.http.get(f"/feedback/{code}"),
        await portal.http.get("/feedback"),
    ):
        assert page.status_code == 200
        portal.assert_private_absent(page.text)

    wrong = await portal.http.post(f"/api/v1/requests/{code}/tracking.json", json={"secret": "nope"})
    assert wrong.status_code == 404 and wrong.headers["content-type"].startswith("application/problem+json")
    mine = await portal.http.post(f"/api/v1/requests/{code}/tracking.json", json={"secret": secret})
    assert mine.status_code == 200 and mine.headers["cache-control"] == "no-store"
    private = mine.json()["private"]
    assert private["contact"] == {
        "name": "赵六",
        "phone": "13912345678",
        "email": "zhaoliu@example.org",
        "address": "上海市黄浦区南京东路100号",
    }
    assert secret not in (await portal.http.get(f"/api/v1/requests/{code}.json")).text


async def test_open311_form_and_multipart_with_files(portal: Portal):
    agency = await portal.h.agency()
    form = await portal.http.post(
        "/api/v1/requests.json",
        data={
            "service_code": "suggestion",
            "description": "建议延长窗口办公时间。",
            "target_id": agency.code,
            "first_name": "六",
            "last_name": "赵",
            "api_key": "ignored-open311-parameter",
        },
    )
    assert form.status_code == 201, form.text
    [receipt] = form.json()
    tracked = await portal.http.post(
        f"/api/v1/requests/{receipt['service_request_id']}/tracking.json", json={"secret": receipt["secret"]}
    )
    assert tracked.json()["private"]["contact"]["name"] == "赵六"

    multipart = await portal.http.post(
        "/api/v1/requests.json",
        data={"service_code": "report", "description": "举报无证经营。", "target_id": agency.code},
        files=[("media", ("现场.png", PNG, "image/png"))],
    )
    assert multipart.status_code == 201, multipart.text
    [receipt] = multipart.json()
    code = receipt["service_request_id"]
    [public] = (await portal.http.get(f"/api/v1/requests/{code}.json")).json()
    assert public["extended_attributes"]["attachment_count"] == 1 and public["media_url"] is None
    view = (
        await portal.http.post(f"/api/v1/requests/{code}/tracking.json", json={"secret": receipt["secret"]})
    ).json()
    attachment_id = view["private"]["attachments"][0]["id"]
    download = await portal.http.post(
        f"/api/v1/requests/{code}/attachments/{attachment_id}", json={"secret": receipt["secret"]}
    )
    assert download.status_code == 200 and download.content == PNG
    assert (
        download.headers["content-type"] == "image/png"
        and "attachment;" in download.headers["content-disposition"]
    )
    refused = await portal.http.post(
        f"/api/v1/requests/{code}/attachments/{attachment_id}", json={"secret": "x"}
    )
    assert refused.status_code == 404


async def test_bad_input_and_limits_are_problem_details_and_store_nothing(portal: Portal):
    agency = await portal.h.agency()

    async def stored() -> str:
        listed = await portal.http.get("/api/v1/requests.json", params={"agency_responsible": agency.code})
        return listed.headers["x-total-count"]

    before = await stored()
    too_long = await portal.submit(agency.code, description="长" * (limits.FEEDBACK_TEXT + 1))
    # Open311's error shape on its paths: [{code, description}], one per refused field.
    assert too_long.status_code == 400 and too_long.headers["content-type"] == "application/json"
    assert too_long.json()[0]["code"] == 400
    assert too_long.json()[0]["description"].startswith("description: ")
    assert str(limits.FEEDBACK_TEXT) in too_long.json()[0]["description"]

    bad_code = await portal.submit(agency.code, service_code="praise")
    assert bad_code.status_code == 400 and bad_code.json()[0]["description"].startswith("service_code: ")
    exe = base64.b64encode(b"MZ\x90\x00not a picture").decode()
    bad_file = await portal.submit(agency.code, attachments=[{"filename": "a.png", "data_base64": exe}])
    assert bad_file.status_code == 400 and bad_file.json()[0]["description"].startswith("attachments[0]: ")
    assert "PNG, JPEG or PDF" in bad_file.json()[0]["description"]
    unknown = await portal.submit("NOPE-123")
    assert unknown.status_code == 400 and unknown.json()[0]["description"].startswith("target_id: ")

    huge = "x" * (limits.FEEDBACK_MAX_HTTP_BODY_BYTES + 1)
    too_big = await portal.http.post(
        "/api/v1/requests.json", content=huge, headers={"content-type": "application/json"}
    )
    assert too_big.status_code == 413
    assert str(limits.FEEDBACK_MAX_HTTP_BODY_BYTES) in too_big.json()[0]["description"]
    assert await stored() == before

    for i in range(limits.FEEDBACK_PER_CLIENT):
        assert (await portal.submit(agency.code, description=f"第{i}条不同的反馈。")).status_code == 201
    limited = await portal.submit(agency.code, description="又一条。")
    assert limited.status_code == 429
    assert "too many feedback submissions from your address" in limited.json()[0]["description"]
    assert await stored() == str(int(before) + limits.FEEDBACK_PER_CLIENT)


async def test_list_filters_paging_and_services(portal: Portal):
    agency = await portal.h.agency()
    for i in range(3):
        portal.h.clock.instant += dt.timedelta(minutes=1)
        await portal.submit(agency.code, description=f"第{i}条。", service_code="question" if i else "report")
    page = await portal.http.get(
        "/api/v1/requests.json", params={"agency_responsible": agency.code, "limit": 2}
    )
    assert page.headers["x-total-count"] == "3" and len(page.json()) == 2
    next_url = re.match(r"<([^>]+)>; rel=\"next\"", page.headers["link"]).group(1)
    rest = await portal.http.get(next_url)
    ids = [r["service_request_id"] for r in page.json() + rest.json()]
    assert len(set(ids)) == 3
    questions = await portal.http.get(
        "/api/v1/requests.json", params={"agency_responsible": agency.code, "service_code": "question"}
    )
    assert questions.headers["x-total-count"] == "2"
    closed = await portal.http.get(
        "/api/v1/requests.json", params={"agency_responsible": agency.code, "status": "closed"}
    )
    assert closed.json() == []
    services = (await portal.http.get("/api/v1/services.json")).json()
    assert {s["service_code"] for s in services} == {
        "suggestion",
        "complaint",
        "report",
        "information_wrong",
        "question",
    }
    spec = (await portal.http.get("/openapi.json")).json()
    assert "multipart/form-data" in spec["paths"]["/api/v1/requests.json"]["post"]["requestBody"]["content"]


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


async def test_portal_form_needs_csrf_and_the_tracking_page_is_the_only_place_for_contact(portal: Portal):
    agency = await portal.h.agency()
    form_page = await portal.http.get("/feedback/new", params={"target_id": agency.code})
    assert form_page.status_code == 200 and f'value="{agency.code}"' in form_page.text
    assert CSRF_COOKIE in portal.http.cookies
    fields = {
        "target_type": "agency",
        "target_id": agency.code,
        "service_code": "complaint",
        "description": "执法人员未出示证件。",
        **CONTACT,
    }
    forged = await portal.http.post("/feedback/new", data={**fields, "csrf_token": "1.forged"})
    assert forged.status_code == 403
    nonce = portal.http.cookies[CSRF_COOKIE]
    portal.http.cookies.delete(CSRF_COOKIE)
    no_cookie = await portal.http.post("/feedback/new", data={**fields, "csrf_token": _token(form_page.text)})
    assert no_cookie.status_code == 403
    portal.http.cookies.set(CSRF_COOKIE, nonce, domain="gongshi.test")

    invalid = await portal.http.post(
        "/feedback/new", data={**fields, "description": "", "csrf_token": _token(form_page.text)}
    )
    assert (
        invalid.status_code == 400
        and "f-description" in invalid.text
        and "执法人员未出示证件" not in invalid.text
    )

    done = await portal.http.post(
        "/feedback/new",
        data={**fields, "csrf_token": _token(form_page.text)},
        files=[("media", ("a.png", PNG, "image/png"))],
    )
    assert done.status_code == 201, done.text
    code = re.search(r"<code>(GS-[0-9A-Z-]+)</code>", done.text).group(1)
    secret = re.findall(r"<code>([^<]+)</code>", done.text)[1]
    assert done.headers["cache-control"] == "no-store"

    public_page = await portal.http.get(f"/feedback/{code}")
    assert public_page.status_code == 200 and "执法人员未出示证件" in public_page.text
    portal.assert_private_absent(public_page.text)

    track_page = await portal.http.get("/feedback/track", params={"code": code})
    token = _token(track_page.text)
    wrong = await portal.http.post(
        "/feedback/track", data={"code": code, "secret": "bad", "csrf_token": token}
    )
    assert wrong.status_code == 404 and "赵六" not in wrong.text
    mine = await portal.http.post(
        "/feedback/track", data={"code": code, "secret": secret, "csrf_token": token}
    )
    assert mine.status_code == 200 and "13912345678" in mine.text and "赵六" in mine.text
    added = await portal.http.post(
        "/feedback/track",
        data={
            "code": code,
            "secret": secret,
            "csrf_token": token,
            "action": "add",
            "text": "补充：下午两点。",
        },
    )
    assert added.status_code == 200 and "补充：下午两点。" in added.text
    flagged = await portal.http.post(f"/feedback/{code}/flag", data={"csrf_token": token, "reason": "不实"})
    assert flagged.status_code == 303


async def test_open311_default_window_and_id_lists(portal: Portal):
    agency = await portal.h.agency()
    portal.h.clock.instant = dt.datetime.now(dt.UTC) - dt.timedelta(
        days=limits.OPEN311_DEFAULT_WINDOW_DAYS + 10
    )
    old = (await portal.submit(agency.code, description="一百天前的反馈。")).json()[0]["service_request_id"]
    portal.h.clock.instant = dt.datetime.now(dt.UTC)
    new = (await portal.submit(agency.code, description="今天的反馈。")).json()[0]["service_request_id"]

    async def listed(**params) -> set[str]:
        page = await portal.http.get(
            "/api/v1/requests.json", params={"agency_responsible": agency.code, **params}
        )
        assert page.status_code == 200, page.text
        return {r["service_request_id"] for r in page.json()}

    assert await listed() == {new}  # the spec's default: the last 90 days
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert await listed(start_date=since) == {old, new}
    assert await listed(service_request_id=f"{old},{new}") == {old, new}  # ids ignore every other filter

    ids = ",".join(f"GS-{i}" for i in range(limits.OPEN311_MAX_REQUEST_IDS + 1))
    refused = await portal.http.get("/api/v1/requests.json", params={"service_request_id": ids})
    assert refused.status_code == 400
    assert refused.json()[0]["description"].startswith("service_request_id: ")
    assert str(limits.OPEN311_MAX_REQUEST_IDS) in refused.json()[0]["description"]
    bad_date = await portal.http.get("/api/v1/requests.xml", params={"end_date": "tomorrow"})
    assert bad_date.status_code == 400 and b"<description>end_date: " in bad_date.content

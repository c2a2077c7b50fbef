"""Follows by e-mail against a real SMTP server (aiosmtpd) and real NATS:
double opt-in, immediate mails, withdrawal notices to those who were told,
one-click unsubscribe, daily digests on a moved clock, limits, and a gateway
restart in the middle of delivery that sends each mail once."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid

import grpc
import httpx
import pytest

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from services.runtime import limits
from services.runtime.clock import CHINA_TZ
from tests.integration.gateway_support import publish, start_subscription_platform
from tests.support.databases import PostgresDatabases, backends, require_postgres
from tests.support.decisions import new_uscc, penalty
from tests.support.platform import auth, register_agency
from tests.support.results import TestClock
from tests.support.smtp import MailCatcher, text_of

START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=CHINA_TZ)


@pytest.fixture(scope="module")
def smtp():
    server = MailCatcher()
    yield server
    server.close()


@pytest.fixture(scope="module", params=backends())
def world(request, tmp_path_factory, smtp):
    """The platform with its gateway's database on SQLite or PostgreSQL."""
    databases = PostgresDatabases()
    gateway_db = {}
    if request.param == "postgres":
        require_postgres()
        gateway_db["GONGSHI_GATEWAY_DB_URL"] = databases.url("gateway")
    data_dir = tmp_path_factory.mktemp("follows")
    clock = TestClock(data_dir / "clock.txt", START)
    platform = start_subscription_platform(
        data_dir,
        **gateway_db,
        GONGSHI_CLOCK_FILE=str(clock.path),
        GONGSHI_SMTP_URL=smtp.url,
        GONGSHI_FOLLOW_POLL_SECONDS="0.2",
        GONGSHI_FOLLOW_RETRY_BASE_SECONDS="0.3",
        GONGSHI_RESULTS_SCAN_SECONDS="0.2",  # expiry on the moved clock
    )
    channel = grpc.insecure_channel(platform.settings.grpc_addr("results"))
    agency = f"SCJG-{uuid.uuid4().hex[:8]}"
    token = register_agency(platform.settings, agency)
    http = httpx.Client(base_url=platform.gateway.address, timeout=10)
    yield platform, results_pb2_grpc.ResultsServiceStub(channel), token, agency, clock, http
    http.close()
    channel.close()
    platform.stop()
    databases.drop_all()


def of_party(uscc: str) -> pb.Decision:
    return penalty(party=pb.Party(type=pb.PARTY_TYPE_LEGAL_PERSON, name="上海某某贸易有限公司", uscc=uscc))


def confirm_from(message) -> dict:
    token = re.search(r"/follow/confirm\?token=([A-Za-z0-9_-]+)", text_of(message)).group(1)
    return token


def documents(smtp: MailCatcher, address: str) -> list[str]:
    """The decisions listed in the mails an address received (after its confirmation)."""
    return [d for m in smtp.to(address)[1:] for d in re.findall(r"沪黄市监罚〔2026〕\d+号", text_of(m))]


def follow(http, address: str, **body) -> httpx.Response:
    return http.post("/api/v1/follows", json={"email": address, **body})


def test_opt_in_immediate_mail_withdrawal_notice_and_one_click_unsubscribe(world, smtp):
    _, results, token, _, _, http = world
    uscc, address = new_uscc(), f"reader-{uuid.uuid4().hex[:6]}@example.org"
    asked = follow(http, address, kind="party", value=uscc, lang="en")
    assert asked.status_code == 202, asked.text
    assert address not in asked.text and asked.json()["status"] == "awaiting_confirmation"

    confirmation = smtp.wait_for(address, 1)[0]
    assert "confirm" in confirmation["Subject"].lower()
    assert len(smtp.to(address)) == 1  # nothing but the confirmation until it is confirmed
    confirmed = http.post("/api/v1/follows/confirm", json={"token": confirm_from(confirmation)})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"

    seen = publish(results, token, of_party(uscc))
    unseen = publish(results, token, of_party(new_uscc()))  # another party: not for this follower
    mail = smtp.wait_for(address, 2)[1]
    body = text_of(mail)
    assert seen.document_number in body and unseen.document_number not in body
    assert f"/results/{seen.id}" in body and "上海某某贸易有限公司" in body
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = re.match(r"<(.+)>", mail["List-Unsubscribe"]).group(1)
    assert mail.get_body(("html",)) is not None and mail["Content-Language"] == "en"

    # The record the follower was told about is withdrawn: they hear it, with the statement.
    results.WithdrawResult(
        pb.WithdrawResultRequest(
            id=seen.id,
            reason=pb.WITHDRAWAL_REASON_CONFIRMED_ILLEGAL,
            statement="经行政复议确认该处罚决定违法",
            grounds_date=seen.decision_date,
        ),
        metadata=auth(token),
        timeout=10,
    )
    notice = smtp.wait_for(address, 3)[2]
    assert "经行政复议确认该处罚决定违法" in text_of(notice) and seen.document_number in text_of(notice)
    assert "withdrawn" in notice["Subject"]

    # RFC 8058: a POST to the List-Unsubscribe address, with the one-click body, ends the follow.
    gone = httpx.post(one_click, data={"List-Unsubscribe": "One-Click"}, timeout=10)
    assert gone.status_code == 200, gone.text
    assert httpx.post(one_click, data={"List-Unsubscribe": "One-Click"}, timeout=10).status_code == 404
    publish(results, token, of_party(uscc))
    other = f"witness-{uuid.uuid4().hex[:6]}@example.org"  # a later mail proves the queue moved on
    follow(http, other, kind="party", value=new_uscc())
    smtp.wait_for(other, 1)
    assert len(smtp.to(address)) == 3


def test_a_daily_digest_leaves_when_the_clock_reaches_it(world, smtp):
    _, results, token, agency, clock, http = world
    address = f"digest-{uuid.uuid4().hex[:6]}@example.org"
    asked = follow(http, address, kind="agency", value=agency, cadence="daily")
    assert asked.status_code == 202, asked.text
    confirm = smtp.wait_for(address, 1)[0]
    assert http.post("/api/v1/follows/confirm", json={"token": confirm_from(confirm)}).status_code == 200
    first, second = publish(results, token, penalty()), publish(results, token, penalty())
    witness = f"witness-{uuid.uuid4().hex[:6]}@example.org"
    follow(http, witness, kind="party", value=new_uscc())
    smtp.wait_for(witness, 1)
    assert len(smtp.to(address)) == 1  # nothing before the digest is due

    clock.set(clock.now + dt.timedelta(days=1))  # past 08:00 the next day
    digest = smtp.wait_for(address, 2)[1]
    body = text_of(digest)
    assert first.document_number in body and second.document_number in body
    assert "2" in digest["Subject"]


def test_limits_refuse_with_a_problem_and_store_nothing(world, smtp):
    _, _, _, _, clock, http = world
    clock.set(clock.now + dt.timedelta(hours=2))  # a fresh window for this client address
    address = f"busy-{uuid.uuid4().hex[:6]}@example.org"
    for _ in range(limits.FOLLOW_REQUESTS_PER_ADDRESS):
        assert follow(http, address, kind="party", value=new_uscc()).status_code == 202
    refused = follow(http, address, kind="party", value=new_uscc())
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "e-mail address" in refused.json()["detail"]
    smtp.wait_for(address, limits.FOLLOW_REQUESTS_PER_ADDRESS)

    for i in range(limits.FOLLOW_REQUESTS_PER_CLIENT - limits.FOLLOW_REQUESTS_PER_ADDRESS):
        assert (
            follow(
                http, f"many-{i}-{uuid.uuid4().hex[:4]}@example.org", kind="region", value="310101"
            ).status_code
            == 202
        )
    late = f"late-{uuid.uuid4().hex[:6]}@example.org"
    refused = follow(http, late, kind="region", value="310101")
    assert refused.status_code == 429 and "from your address" in refused.json()["detail"]
    bad = follow(http, "not-an-address", kind="party", value=new_uscc())
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    assert follow(http, late, kind="party", value="123").status_code == 400
    witness_window = clock.set(clock.now + dt.timedelta(hours=2))  # later tests get a fresh window
    del witness_window
    ok = f"after-{uuid.uuid4().hex[:6]}@example.org"
    assert follow(http, ok, kind="party", value=new_uscc()).status_code == 202
    smtp.wait_for(ok, 1)
    assert smtp.to(late) == [] and len(smtp.to(address)) == limits.FOLLOW_REQUESTS_PER_ADDRESS


def test_a_restart_mid_delivery_sends_each_mail_once(world, smtp):
    platform, results, token, _, _, http = world
    uscc = new_uscc()
    readers = [f"restart-{i}-{uuid.uuid4().hex[:6]}@example.org" for i in range(3)]
    for address in readers:
        assert follow(http, address, kind="party", value=uscc).status_code == 202
    for address in readers:
        confirm = smtp.wait_for(address, 1)[0]
        assert http.post("/api/v1/follows/confirm", json={"token": confirm_from(confirm)}).status_code == 200

    smtp.refuse_next = 2  # the server turns mails away for a moment: retried later
    first = publish(results, token, of_party(uscc))
    platform.gateway.stop()
    second = publish(results, token, of_party(uscc))  # while the gateway is down
    platform.gateway.start()
    platform.gateway.wait_healthy(30)
    wanted = sorted([first.document_number, second.document_number])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(sorted(set(documents(smtp, a))) != wanted for a in readers):
        time.sleep(0.2)
    witness = f"witness-{uuid.uuid4().hex[:6]}@example.org"
    follow(http, witness, kind="party", value=new_uscc())
    smtp.wait_for(witness, 1)
    for address in readers:
        assert sorted(documents(smtp, address)) == wanted  # each once


def test_time_passes_weekly_digest_expiry_notice_unconfirmed_deleted_export_and_erase(world, smtp):
    """Last in the module: the clock goes months ahead (records of earlier tests expire too)."""
    _, results, token, _, clock, http = world
    uscc, address = new_uscc(), f"weekly-{uuid.uuid4().hex[:6]}@example.org"
    assert follow(http, address, kind="party", value=uscc, cadence="weekly").status_code == 202
    confirm = smtp.wait_for(address, 1)[0]
    assert http.post("/api/v1/follows/confirm", json={"token": confirm_from(confirm)}).status_code == 200
    idle = f"idle-{uuid.uuid4().hex[:6]}@example.org"  # never confirms
    assert follow(http, idle, kind="party", value=uscc).status_code == 202
    idle_token = confirm_from(smtp.wait_for(idle, 1)[0])

    told = publish(results, token, of_party(uscc))
    monday = clock.now + dt.timedelta(days=(7 - clock.now.weekday()) % 7 or 7)
    clock.set(monday.replace(hour=8, minute=1))
    digest = smtp.wait_for(address, 2, timeout=30)[1]
    assert told.document_number in text_of(digest)

    # Past the end of its publicity period the record leaves the portal; the follower who was told
    # hears it in the next digest, the only thing in it.
    end = dt.date.fromisoformat(told.publicity_end)
    clock.set(dt.datetime.combine(end + dt.timedelta(days=2), dt.time(9), tzinfo=CHINA_TZ))
    notice = smtp.wait_for(address, 3, timeout=40)[2]
    assert told.document_number in text_of(notice) and "公示期满" in text_of(notice)

    # The unconfirmed follow is gone after 48 hours, and its address with it.
    assert http.post("/api/v1/follows/confirm", json={"token": idle_token}).status_code == 404

    manage = re.search(r"/follow/manage\?token=([A-Za-z0-9_-]+)", text_of(notice)).group(1)
    listed = http.get("/api/v1/follows", params={"token": manage})
    assert listed.status_code == 200 and address not in listed.text
    assert [f["interest"] for f in listed.json()["data"]] == [{"kind": "party", "party": uscc}]
    exported = http.get("/follow/manage/export", params={"token": manage})
    assert exported.json()["email"] == address and len(exported.json()["notices"]) == 2
    assert http.delete("/api/v1/follows", params={"token": manage}).status_code == 204
    assert http.get("/api/v1/follows", params={"token": manage}).status_code == 404

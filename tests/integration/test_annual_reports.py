"""The annual enforcement data report's duty (DOMAIN.md I1, I5, I6) on a
platform whose clock the tests move (GONGSHI_CLOCK_FILE): open during the
year, a draft from 1 January, confirmed by the agency with its 情况说明 (a
snapshot of the figures), AnnualReportMissing the day after the deadline
(31 January; 31 March where the region's policy says so). Real NATS, real
gRPC and HTTP, SQLite and PostgreSQL. The tests run in file order: time only
moves forward."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
import uuid

import grpc
import httpx
import pytest

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from services.launcher import Platform
from services.runtime import limits
from services.runtime.clock import CHINA_TZ
from tests.support.databases import PostgresDatabases, backends, require_postgres
from tests.support.decisions import penalty
from tests.support.platform import auth, platform_env, platform_settings, register_agency
from tests.support.results import TestClock, events, field_violations, publish

START = dt.datetime(2026, 12, 10, 10, 0, tzinfo=CHINA_TZ)
NARRATIVE = "2026年度本局共办理行政处罚案件2宗。\n行政征收、征用无相关行政执法职责。"


@pytest.fixture(scope="module", params=backends())
def timed(request, tmp_path_factory):
    """The platform on a movable clock; Guangzhou (4401xx) publishes by 31 March (I6)."""
    if request.param == "postgres":
        require_postgres()
    data_dir = tmp_path_factory.mktemp("annual")
    clock = TestClock(data_dir / "clock.txt", START)
    policy = data_dir / "policy.json"
    policy.write_text(json.dumps({"regions": {"440100": {"annual_report_deadline": "03-31"}}}))
    databases = PostgresDatabases()
    names = ("duties", "procedures", "results", "feedback")
    db_urls = {n: databases.url(n) for n in names} if request.param == "postgres" else None
    settings = platform_settings(data_dir, db_urls)
    env = {
        **platform_env(settings),
        "GONGSHI_CLOCK_FILE": str(clock.path),
        "GONGSHI_RESULTS_SCAN_SECONDS": "0.2",
        "GONGSHI_RESULTS_POLICY_FILE": str(policy),
    }
    running = Platform(settings, extra_env=env)
    running.start()
    yield running, settings, clock
    running.stop()
    databases.drop_all()


@pytest.fixture(scope="module")
def grpc_channel(timed):
    _, settings, _ = timed
    channel = grpc.insecure_channel(settings.grpc_addr("results"))
    yield channel
    channel.close()


@pytest.fixture(scope="module")
def http(timed):
    running, _, _ = timed
    with httpx.Client(base_url=running.gateway.address, timeout=15) as client:
        yield client


@pytest.fixture(scope="module")
def agencies(timed) -> dict[str, tuple[str, str]]:
    """Shanghai agencies that confirm (on time, late) and a Guangzhou one."""
    _, settings, _ = timed
    tag = uuid.uuid4().hex[:6]
    made = {}
    for key, region, name in (
        ("prompt", "310101", "上海市黄浦区市场监督管理局"),
        ("late", "310101", "上海市黄浦区城市管理行政执法局"),
        ("canton", "440104", "广州市越秀区市场监督管理局"),
    ):
        code = f"AR{key.upper()}-{tag}"
        made[key] = (code, register_agency(settings, code, region=region, name=name))
    return made


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def confirm_http(http, token: str, year: int, narrative: str = NARRATIVE) -> httpx.Response:
    return http.post(
        "/api/v1/agency/annual-reports", json={"year": year, "narrative": narrative}, headers=bearer(token)
    )


def report(http, code: str, year: int = 2026) -> dict:
    response = http.get(f"/api/v1/reports/annual/{code}/{year}")
    assert response.status_code == 200, response.text
    return response.json()


def eventually(check, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)
    return value


def test_during_the_year_the_report_is_open_and_cannot_be_confirmed(timed, agencies, grpc_channel, http):
    results = results_pb2_grpc.ResultsServiceStub(grpc_channel)
    code, token = agencies["prompt"]
    for day in ("2026-03-02", "2026-11-20"):
        publish(results, token, penalty(decision_date=day))
    opened = report(http, code)
    assert opened["status"] == "open" and opened["deadline"] == "2027-01-31" and opened["narrative"] == ""
    assert report(http, agencies["canton"][0])["deadline"] == "2027-03-31"  # I6, per region
    refused = confirm_http(http, token, 2026)
    assert refused.status_code == 409 and "2027-01-01" in refused.json()["detail"]


def test_from_1_january_a_draft_until_the_agency_confirms(timed, agencies, grpc_channel, http):
    running, _, clock = timed
    code, token = agencies["prompt"]
    clock.set(dt.datetime(2027, 1, 1, 0, 5, tzinfo=CHINA_TZ))
    draft = report(http, code)
    assert draft["status"] == "draft" and draft["behaviours"][1]["decisions"] == 2
    page = http.get("/reports/annual", params={"agency": code, "year": 2026})
    assert page.status_code == 200 and 'data-status="draft"' in page.text

    assert (
        http.post("/api/v1/agency/annual-reports", json={"year": 2026, "narrative": "x"}).status_code == 401
    )
    foreign = http.post(
        "/api/v1/agency/annual-reports",
        json={"agency_code": code, "year": 2026, "narrative": NARRATIVE},
        headers=bearer(agencies["late"][1]),
    )
    assert foreign.status_code == 403
    empty = confirm_http(http, token, 2026, narrative="   ")
    assert empty.status_code == 400 and [e["field"] for e in empty.json()["errors"]] == ["narrative"]
    too_long = confirm_http(
        http, token, 2026, narrative="说" * (limits.MAX_ANNUAL_REPORT_NARRATIVE_CHARS + 1)
    )
    assert too_long.status_code == 400 and too_long.json()["errors"][0]["field"] == "narrative"
    bad_year = confirm_http(http, token, 1900)
    assert bad_year.status_code == 400 and bad_year.json()["errors"][0]["field"] == "year"

    confirmed = confirm_http(http, token, 2026)
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["revision"] == 1 and body["created"] is True and body.get("late", False) is False
    assert body["deadline"] == "2027-01-31" and int(body["decisions"]) == 2
    (published,) = events(
        running.nats.address, f"gongshi.results.annual_report_published.{code}", pb.AnnualReportPublished
    )
    assert published.confirmation.year == 2026 and published.confirmation.narrative == NARRATIVE
    assert published.region_code == "310101" and published.agency_name == "上海市黄浦区市场监督管理局"

    shown = report(http, code)
    assert shown["status"] == "confirmed" and shown["narrative"] == NARRATIVE and shown["revision"] == 1
    assert shown["confirmed_at"].startswith("2026-12-31T16:05")  # 00:05 China time, in UTC
    rows = list(
        csv.reader(
            io.StringIO(http.get(f"/api/v1/reports/annual/{code}/2026?format=csv").text.lstrip("\ufeff"))
        )
    )
    assert ["情况说明", NARRATIVE] in rows and rows[-2][:2] == ["状态", "已确认公开"]
    page = http.get("/reports/annual", params={"agency": code, "year": 2026})
    assert 'data-status="confirmed"' in page.text and "本局共办理行政处罚案件2宗" in page.text

    again = confirm_http(http, token, 2026)  # a retry: same text, same figures
    assert again.status_code == 200 and again.json().get("created", False) is False
    assert again.json()["revision"] == 1
    assert (
        len(
            events(
                running.nats.address,
                f"gongshi.results.annual_report_published.{code}",
                pb.AnnualReportPublished,
                1,
                wait=1.5,
            )
        )
        == 1
    )


def test_a_confirmed_report_keeps_its_figures_until_confirmed_again(timed, agencies, grpc_channel, http):
    running, _, _ = timed
    code, token = agencies["prompt"]
    results = results_pb2_grpc.ResultsServiceStub(grpc_channel)
    publish(results, token, penalty(decision_date="2026-12-28"))  # published in January, decided in 2026
    live = http.get("/api/v1/statistics", params={"agency": code, "decided_from": "2026-01-01"}).json()
    assert int(live["decisions"]) == 3
    assert report(http, code)["behaviours"][1]["decisions"] == 2  # the snapshot stands

    annual = results_pb2_grpc.AnnualReportsServiceStub(grpc_channel)
    revised = annual.ConfirmAnnualReport(
        pb.ConfirmAnnualReportRequest(year=2026, narrative=NARRATIVE + "\n更正：补录一宗。"),
        metadata=auth(token),
        timeout=10,
    )
    assert revised.revision == 2 and revised.created and revised.decisions == 3
    shown = report(http, code)
    assert (
        shown["revision"] == 2 and shown["behaviours"][1]["decisions"] == 3 and "补录" in shown["narrative"]
    )
    published = events(
        running.nats.address, f"gongshi.results.annual_report_published.{code}", pb.AnnualReportPublished, 2
    )
    assert [p.confirmation.revision for p in published] == [1, 2]

    with pytest.raises(grpc.RpcError) as refused:
        annual.ConfirmAnnualReport(
            pb.ConfirmAnnualReportRequest(year=2026, narrative=""), metadata=auth(token)
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "narrative" in field_violations(
        refused.value
    )
    with pytest.raises(grpc.RpcError) as anonymous:
        annual.ConfirmAnnualReport(pb.ConfirmAnnualReportRequest(agency_code=code, year=2026, narrative="x"))
    assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_missing_is_raised_once_the_day_after_the_deadline(timed, agencies, http):
    running, _, clock = timed
    late_code, _ = agencies["late"]
    canton_code, _ = agencies["canton"]
    nats = running.nats.address
    clock.set(dt.datetime(2027, 1, 31, 23, 30, tzinfo=CHINA_TZ))  # the deadline itself: not missing yet
    time.sleep(1.0)  # a few scans (every 0.2 s) run; nothing may appear
    assert (
        events(
            nats, f"gongshi.results.annual_report_missing.{late_code}", pb.AnnualReportMissing, 0, wait=1.0
        )
        == []
    )
    assert report(http, late_code)["status"] == "draft"

    clock.set(dt.datetime(2027, 2, 1, 0, 5, tzinfo=CHINA_TZ))
    (missing,) = events(nats, f"gongshi.results.annual_report_missing.{late_code}", pb.AnnualReportMissing)
    assert missing.report.year == 2026 and missing.report.deadline == "2027-01-31"
    assert (
        missing.report.agency_name == "上海市黄浦区城市管理行政执法局"
        and missing.report.region_code == "310101"
    )
    assert report(http, late_code)["status"] == "missing"
    listed = http.get("/api/v1/reports/annual/missing", params={"year": 2026, "region": "310000"}).json()
    assert [m["agency_code"] for m in listed["reports"]] == [late_code]  # the confirmed one is not listed
    assert (
        http.get("/api/v1/reports/annual/missing", params={"region": "440000"}).json().get("reports", [])
        == []
    )
    page = http.get("/statistics")
    assert page.status_code == 200 and 'id="missing-reports"' in page.text and late_code in page.text

    # Guangzhou's deadline (31 March) has not passed; the confirmed agency is never missing.
    for code in (canton_code, agencies["prompt"][0]):
        assert (
            events(nats, f"gongshi.results.annual_report_missing.{code}", pb.AnnualReportMissing, 0, wait=0.5)
            == []
        )
    clock.set(dt.datetime(2027, 2, 3, 9, 0, tzinfo=CHINA_TZ))
    time.sleep(1.0)
    assert (
        len(
            events(
                nats,
                f"gongshi.results.annual_report_missing.{late_code}",
                pb.AnnualReportMissing,
                1,
                wait=1.0,
            )
        )
        == 1
    )


def test_a_late_confirmation_ends_the_missing_listing(timed, agencies, http):
    running, _, clock = timed
    late_code, late_token = agencies["late"]
    confirmed = confirm_http(http, late_token, 2026, narrative="因系统切换延迟公开。")
    assert confirmed.status_code == 200 and confirmed.json()["late"] is True
    assert report(http, late_code)["status"] == "confirmed"
    listed = http.get("/api/v1/reports/annual/missing", params={"year": 2026, "region": "310101"}).json()
    assert listed.get("reports", []) == []

    canton_code, _ = agencies["canton"]
    clock.set(dt.datetime(2027, 4, 1, 0, 5, tzinfo=CHINA_TZ))
    (missing,) = events(
        running.nats.address, f"gongshi.results.annual_report_missing.{canton_code}", pb.AnnualReportMissing
    )
    assert missing.report.deadline == "2027-03-31"
    listed = eventually(
        lambda: http.get("/api/v1/reports/annual/missing", params={"region": "440100"}).json().get("reports")
    )
    assert [m["agency_code"] for m in listed] == [canton_code]

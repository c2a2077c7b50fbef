"""Rules that run on the clock: overdue registrations, publicity periods that
end, and credit repair after the minimum period. Time moves by rewriting the
platform's clock file (GONGSHI_CLOCK_FILE), never by sleeping; the tests run
in file order because time only moves forward."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import grpc
import httpx
import pytest

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from services.launcher import Platform
from services.runtime.clock import CHINA_TZ
from tests.integration.test_cli import gongshi
from tests.support.databases import PostgresDatabases, backends, require_postgres
from tests.support.decisions import penalty
from tests.support.platform import auth, platform_env, platform_settings, register_agency
from tests.support.results import TestClock, events, publish

START = dt.datetime(2026, 11, 25, 10, 0, tzinfo=CHINA_TZ)  # a Wednesday


@pytest.fixture(scope="module", params=backends())
def timed(request, tmp_path_factory):
    """The platform on a clock the test moves; background scans every 0.2 s."""
    if request.param == "postgres":
        require_postgres()
    data_dir = tmp_path_factory.mktemp("timed")
    clock = TestClock(data_dir / "clock.txt", START)
    databases = PostgresDatabases()
    names = ("duties", "procedures", "results", "feedback")
    db_urls = {n: databases.url(n) for n in names} if request.param == "postgres" else None
    settings = platform_settings(data_dir, db_urls)
    calendar_dir = data_dir / "calendar"
    env = {
        **platform_env(settings),
        "GONGSHI_CLOCK_FILE": str(clock.path),
        # Holiday data an operator adds while the platform runs (test_a_year_of_holiday_data...).
        "GONGSHI_CALENDAR_DIR": str(calendar_dir),
        "GONGSHI_RESULTS_SCAN_SECONDS": "0.2",
    }
    running = Platform(settings, extra_env=env)
    running.start()
    state["calendar_dir"] = calendar_dir
    yield running, settings, clock
    running.stop()
    databases.drop_all()


@pytest.fixture(scope="module")
def results(timed):
    _, settings, _ = timed
    channel = grpc.insecure_channel(settings.grpc_addr("results"))
    yield results_pb2_grpc.ResultsServiceStub(channel)
    channel.close()


@pytest.fixture(scope="module")
def http(timed):
    running, _, _ = timed
    with httpx.Client(base_url=running.gateway.address, timeout=15) as client:
        yield client


@pytest.fixture(scope="module")
def agency(timed) -> tuple[str, str]:
    _, settings, _ = timed
    code = f"SCJG-{uuid.uuid4().hex[:8]}"
    return code, register_agency(settings, code)


def eventually(check, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


# Shared across the module's tests, in order.
state: dict = {}


def test_overdue_is_raised_once_when_the_deadline_passes_unpublished(timed, agency, results):
    running, _, clock = timed
    code, token = agency
    # Decided Friday 2026-11-20: 7 working days -> due Tuesday 2026-12-01.
    decision = penalty(decision_date="2026-11-20")
    registered = results.RegisterDecision(
        pb.RegisterDecisionRequest(decision=decision), metadata=auth(token), timeout=10
    ).result
    assert registered.publish_deadline == "2026-12-01"
    subject = f"gongshi.results.overdue.{code}"

    clock.set(dt.datetime(2026, 12, 1, 23, 0, tzinfo=CHINA_TZ))  # the last day: not overdue yet
    time.sleep(1.0)  # let a few scans (every 0.2 s) run; nothing may appear
    assert events(running.nats.address, subject, pb.ResultOverdue, 0, wait=1.0) == []

    clock.set(dt.datetime(2026, 12, 2, 0, 5, tzinfo=CHINA_TZ))  # deadline + 1
    (overdue,) = events(running.nats.address, subject, pb.ResultOverdue)
    assert overdue.result_id == registered.id and overdue.publish_deadline == "2026-12-01"
    assert overdue.working_days_overdue == 1 and overdue.document_number == decision.document_number
    assert overdue.category == pb.DECISION_CATEGORY_PENALTY and overdue.decision_date == "2026-11-20"

    clock.set(dt.datetime(2026, 12, 4, 9, 0, tzinfo=CHINA_TZ))
    time.sleep(1.0)
    assert len(events(running.nats.address, subject, pb.ResultOverdue, 1, wait=1.0)) == 1  # once per record

    late = publish(results, token, decision).result
    assert late.id == registered.id and late.status == pb.RESULT_STATUS_PUBLISHED
    # The publicity period runs from the decision date.
    assert late.published_on_time is False and late.publicity_start == "2026-11-20"


# A synthetic 2027 for the test (invented dates, not the State Council's
# notice): 1, 4 and 5 January off, Saturday 9 January a working day.
SYNTHETIC_2027 = {
    "year": 2027,
    "notice": {"title": "synthetic test notice for 2027", "number": "", "date": ""},
    "holidays": {"2027-01-01": "元旦", "2027-01-04": "元旦", "2027-01-05": "元旦"},
    "workdays": {"2027-01-09": "元旦"},
}


def test_a_year_of_holiday_data_added_while_running_revises_provisional_deadlines(timed, results, http):
    """Issue 16.1: deadlines crossing into 2027 are provisional (counted Monday to
    Friday) until the year's data is added; then each is revised once, without a
    restart, and the overdue state follows the new deadline both ways."""
    running, settings, clock = timed
    code = f"SCJG-{uuid.uuid4().hex[:8]}"
    token = register_agency(settings, code)
    clock.set(dt.datetime(2026, 12, 28, 10, 0, tzinfo=CHINA_TZ))
    # Decided Thursday 24 December: 25, 28-31 December, then 1 and 4 January counted as weekdays.
    pending = results.RegisterDecision(
        pb.RegisterDecisionRequest(decision=penalty(decision_date="2026-12-24")),
        metadata=auth(token),
        timeout=10,
    ).result
    published = publish(results, token, penalty(decision_date="2026-12-24")).result
    for record in (pending, published):
        assert record.publish_deadline == "2027-01-04" and record.deadline_provisional
        assert "2027" in record.deadline_note and "provisional" in record.deadline_note
    assert published.published_on_time
    api = http.get(f"/api/v1/results/{published.id}").json()
    assert api["publish_deadline"] == "2027-01-04" and api["deadline_provisional"] is True
    # The portal says so in the page's language, instead of an on-time badge.
    page = http.get(f"/results/{published.id}", params={"lang": "zh"}).text
    assert "暂定" in page and "按时公示</span>" not in page and "Monday" not in page
    assert "Provisional" in http.get(f"/results/{published.id}", params={"lang": "en"}).text

    clock.set(dt.datetime(2026, 12, 30, 10, 0, tzinfo=CHINA_TZ))
    withdrawn = publish(results, token, penalty(decision_date="2026-12-29")).result
    results.WithdrawResult(
        pb.WithdrawResultRequest(
            id=withdrawn.id, reason=pb.WITHDRAWAL_REASON_REVOKED, statement="撤销", grounds_date="2026-12-30"
        ),
        metadata=auth(token),
        timeout=10,
    )
    tomb = results.GetResult(pb.GetResultRequest(id=withdrawn.id), timeout=10)
    assert tomb.withdrawal_deadline == "2027-01-04" and tomb.withdrawal_deadline_provisional

    clock.set(dt.datetime(2027, 1, 5, 0, 5, tzinfo=CHINA_TZ))
    (overdue,) = events(running.nats.address, f"gongshi.results.overdue.{code}", pb.ResultOverdue)
    assert overdue.result_id == pending.id and overdue.deadline_provisional  # the alert says so

    check = gongshi(running, "calendar", "check")
    assert check.returncode == 0, check.stderr
    assert f"{pending.id}" in check.stdout and "no holiday data for 2027" in check.stdout
    assert "withdrawal" in check.stdout and "4 provisional deadline(s)" in check.stdout
    notice = state["calendar_dir"].parent / "2027-notice.json"
    notice.write_text(json.dumps(SYNTHETIC_2027, ensure_ascii=False), encoding="utf-8")
    added = gongshi(running, "calendar", "add", str(notice))
    assert added.returncode == 0 and "2027, 3 rest days, 1 make-up" in added.stdout, added.stderr
    revised = events(
        running.nats.address, f"gongshi.results.deadline_revised.{code}", pb.ResultDeadlineRevised, 4
    )
    by_id = {(e.result_id, e.deadline_kind): e for e in revised}
    assert len(revised) == len(by_id) == 4  # once each
    first = by_id[(pending.id, "publication")]
    assert (first.previous_deadline, first.deadline) == ("2027-01-04", "2027-01-07")
    assert first.overdue_cleared and not first.provisional and not first.on_time
    second = by_id[(published.id, "publication")]
    assert second.deadline == "2027-01-07" and second.on_time and not second.overdue_cleared
    third = by_id[(withdrawn.id, "withdrawal")]
    assert (third.previous_deadline, third.deadline) == ("2027-01-04", "2027-01-07") and third.on_time
    # The withdrawn record's own publication deadline (decided 29 December) was provisional too;
    # Saturday 9 January is a working day in the added data.
    fourth = by_id[(withdrawn.id, "publication")]
    assert (fourth.previous_deadline, fourth.deadline) == ("2027-01-07", "2027-01-11")
    record = results.GetResult(pb.GetResultRequest(id=published.id), timeout=10)
    assert (
        record.publish_deadline == "2027-01-07"
        and not record.deadline_provisional
        and not record.deadline_note
    )
    assert "暂定" not in http.get(f"/results/{published.id}", params={"lang": "zh"}).text
    history = results.GetResultHistory(pb.GetResultHistoryRequest(id=published.id), timeout=10)
    assert history.changes[-1].kind == "deadline_revised"
    tomb = results.GetResult(pb.GetResultRequest(id=withdrawn.id), timeout=10)
    assert tomb.withdrawal_deadline == "2027-01-07" and not tomb.withdrawal_deadline_provisional

    assert "no provisional deadlines" in gongshi(running, "calendar", "check").stdout

    # Later than the revised deadline: overdue again, on a final deadline this time.
    clock.set(dt.datetime(2027, 1, 8, 0, 5, tzinfo=CHINA_TZ))
    alerts = events(running.nats.address, f"gongshi.results.overdue.{code}", pb.ResultOverdue, 2)
    assert len(alerts) == 2 and alerts[1].publish_deadline == "2027-01-07"
    assert not alerts[1].deadline_provisional and alerts[1].working_days_overdue == 1
    time.sleep(1.0)  # a few more scans: nothing is revised twice
    subject = f"gongshi.results.deadline_revised.{code}"
    assert len(events(running.nats.address, subject, pb.ResultDeadlineRevised, 4, wait=1.0)) == 4


def test_repair_is_refused_before_the_minimum_period_with_the_date(timed, agency, results, http):
    _, _, clock = timed
    _, token = agency
    general = publish(results, token, penalty(severity=pb.SEVERITY_TIER_GENERAL, decision_date="2026-12-03"))
    minor = publish(results, token, penalty(severity=pb.SEVERITY_TIER_MINOR, decision_date="2026-12-03"))
    serious = publish(results, token, penalty(severity=pb.SEVERITY_TIER_SERIOUS, decision_date="2026-12-03"))
    assert (general.result.publicity_start, general.result.publicity_end) == ("2026-12-03", "2027-12-03")
    assert general.result.repair_eligible_from == "2027-03-03"
    assert minor.result.publicity_end == "2027-03-03"
    assert (serious.result.publicity_end, serious.result.repair_eligible_from) == ("2029-12-03", "2027-12-03")
    state.update(general=general.result, minor=minor.result, serious=serious.result)

    application = {
        "applicant_name": "上海某某餐饮管理有限公司",
        "uscc": "91310101MA1FPX1234",
        "correction_proof": "已缴纳罚款并完成整改（缴款书号 0012345）",
        "credit_commitment": "本单位承诺今后依法经营",
    }
    early = http.post(f"/api/v1/results/{general.result.id}/repair-applications", json=application)
    assert early.status_code == 409 and "2027-03-03" in early.json()["detail"]

    clock.set(dt.datetime(2027, 3, 2, 12, 0, tzinfo=CHINA_TZ))  # minimum period minus one day
    still = http.post(f"/api/v1/results/{general.result.id}/repair-applications", json=application)
    assert still.status_code == 409 and "2027-03-03" in still.json()["detail"]
    state["application"] = application


def test_publicity_ends_on_its_end_date(timed, agency, http):
    running, _, clock = timed
    code, _ = agency
    minor = state["minor"]
    assert http.get(f"/api/v1/results/{minor.id}").status_code == 200
    clock.set(dt.datetime(2027, 3, 3, 0, 1, tzinfo=CHINA_TZ))  # the minor record's end date
    gone = eventually(lambda: (r := http.get(f"/api/v1/results/{minor.id}")).status_code == 410 and r.json())
    assert gone["status"] == "expired" and gone["publication_ended_at"]
    assert not gone.get("party", {}).get("name") and not gone["document_number"]
    listed = {
        r["id"] for r in http.get("/api/v1/results", params={"agency": code, "limit": 200}).json()["data"]
    }
    assert minor.id not in listed and state["general"].id in listed
    (expired,) = events(running.nats.address, f"gongshi.results.expired.{code}", pb.ResultExpired)
    assert expired.result_id == minor.id and expired.publicity_end == "2027-03-03"


def test_credit_repair_ends_publication_early(timed, agency, http):
    running, _, _ = timed
    code, token = agency
    general = state["general"]
    applied = http.post(f"/api/v1/results/{general.id}/repair-applications", json=state["application"])
    assert applied.status_code == 201, applied.text
    application = applied.json()
    assert application["status"] == "submitted" and application["eligible_from"] == "2027-03-03"
    assert application["decision_due"] == "2027-03-08"  # 3 working days (weekdays: 2027 is past the calendar)
    again = http.post(f"/api/v1/results/{general.id}/repair-applications", json=state["application"])
    assert again.status_code == 409

    queue = http.get("/api/v1/agency/repairs", headers={"Authorization": f"Bearer {token}"}).json()
    assert [a["id"] for a in queue["data"]] == [application["id"]]
    decided = http.post(
        f"/api/v1/agency/repairs/{application['id']}/decision",
        json={"grant": True, "reason": "已纠正失信行为并作出信用承诺"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "granted"
    assert http.get(f"/api/v1/repair-applications/{application['id']}").json()["status"] == "granted"
    gone = http.get(f"/api/v1/results/{general.id}")
    assert gone.status_code == 410 and gone.json()["status"] == "repaired"
    assert http.get(f"/results/{general.id}").status_code == 410
    (repaired,) = events(running.nats.address, f"gongshi.results.repaired.{code}", pb.ResultRepaired)
    assert repaired.result_id == general.id and repaired.application_id == application["id"]


def test_the_chain_records_expiry_and_repair(agency, http):
    code, _ = agency
    verdict = http.get(f"/api/v1/agencies/{code}/chain/verify").json()
    assert verdict["intact"] is True, verdict
    kinds = [e["kind"] for e in http.get(f"/api/v1/agencies/{code}/chain").json()["data"]]
    assert kinds.count("expired") == 1 and kinds.count("repaired") == 1
    assert http.get(f"/api/v1/results/{state['serious'].id}").status_code == 200

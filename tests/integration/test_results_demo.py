"""The demo results load through the real APIs and show every part of a
decision's public life; loading again adds nothing."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from gongshi.v1 import results_pb2 as pb
from services import cli
from services.demo import results as demo
from services.demo import results_load as demo_load
from services.demo.exante import load_exante
from services.results import domain
from services.results.policy import RegionPolicies
from services.runtime.clock import CHINA_TZ
from tests.support.results import events


@pytest.fixture(scope="module")
def loaded(platform):
    _, settings = platform
    load_exante(settings)
    return demo_load.load_results(settings)


@pytest.fixture(scope="module")
def http(platform, loaded):
    running, _ = platform
    with httpx.Client(base_url=running.gateway.address, timeout=20) as client:
        yield client


def test_the_plan_spans_categories_regions_agencies_and_fates():
    import datetime as dt

    plan = demo.build_plan(dt.date(2026, 11, 25))
    assert len(plan.items) == 300
    assert len({p.agency.code for p in plan.items}) == 7
    assert len({demo._region(p.agency) for p in plan.items}) == 4
    assert len({p.decision.category for p in plan.items}) >= 5
    assert sum(bool(p.withdraw) for p in plan.items) == 8 and sum(bool(p.correct) for p in plan.items) == 9
    assert sum(p.register_only for p in plan.items) == 6 and sum(p.repair for p in plan.items) == 3
    assert any(p.decision.party.is_minor for p in plan.items)
    assert demo.build_plan(dt.date(2026, 11, 25)).items[17].decision == plan.items[17].decision


def test_every_state_is_visible(platform, loaded, http):
    running, _ = platform
    assert loaded["published"] >= 290 and loaded.get("refused", 0) == 0
    assert (loaded["corrected"], loaded["withdrawn"], loaded["repaired"]) == (9, 8, 3)
    assert loaded["registered_pending"] == 6 and loaded["replies"] == 4

    # A decision pushed after its publicity period ended (some of the demo's old ones) is stored
    # and counted but never published (docs/domain.md), so nothing of it expires either.
    today = dt.datetime.now(CHINA_TZ).date()
    policy = RegionPolicies().default
    past = [
        p.decision.document_number
        for p in demo.build_plan(today).items
        if domain.period_over(p.decision, policy, today) is not None
    ]
    assert len(past) >= 10
    for number in past[:3]:
        hits = http.get("/api/v1/search", params={"q": number}).json()["data"]
        assert number not in {hit["document_number"] for hit in hits}
    assert not events(running.nats.address, "gongshi.results.expired.>", pb.ResultExpired, 1, wait=2)
    overdue = events(running.nats.address, "gongshi.results.overdue.>", pb.ResultOverdue, 6)
    assert len({e.result_id for e in overdue}) == 6

    listed = http.get("/api/v1/results", params={"limit": 200}).json()
    assert listed["total"] >= 200
    shown = listed["data"]
    assert any(r["status"] == "corrected" for r in shown)
    assert any(r["under_appeal"] for r in shown) and any(r["reply_text"] for r in shown)
    assert any(r["published_on_time"] for r in shown) and any(not r["published_on_time"] for r in shown)
    assert {r["party"]["type"] for r in shown} >= {"legal_person", "natural_person", "individual_business"}
    assert all("某" in r["party"]["name"] for r in shown if r["party"]["type"] == "natural_person")
    assert http.get("/api/v1/takedowns").json()["total"] == 8
    for agency in demo.AGENCIES:
        assert http.get(f"/api/v1/agencies/{agency.code}/chain/verify").json()["intact"] is True
    assert http.get("/").status_code == 200 and http.get("/takedowns").status_code == 200


def test_loading_again_adds_nothing(platform, loaded, monkeypatch, capsys):
    _, settings = platform
    for name, value in {
        "GONGSHI_DATA_DIR": str(settings.data_dir),
        "GONGSHI_ADMIN_TOKEN": settings.admin_token,
        "GONGSHI_DUTIES_PORT": str(settings.duties_port),
        "GONGSHI_PROCEDURES_PORT": str(settings.procedures_port),
        "GONGSHI_RESULTS_PORT": str(settings.results_port),
    }.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["demo", "load"]) == 0
    out = capsys.readouterr().out
    assert '"results_published": ' not in out and '"results_already_there": 294' in out
    assert '"results_corrected"' not in out and '"results_registered_pending": 0' in out

"""The demo seed set loaded through the real gRPC APIs, then read back the
way citizens do: the REST API (lists, filters, cursors, versions, the
certificate check) and the portal pages (Chinese and English)."""

from __future__ import annotations

import httpx
import pytest

from services import cli
from services.demo import exante_data
from services.demo.exante import load_exante, platform_is_empty
from services.launcher import free_port

SCJG = "SCJG-310101"


@pytest.fixture(scope="module")
def loaded(platform):
    _, settings = platform
    assert platform_is_empty(settings)
    return load_exante(settings)


@pytest.fixture(scope="module")
def http(platform, loaded):
    running, _ = platform
    with httpx.Client(base_url=running.gateway.address, timeout=20) as client:
        yield client


def test_seed_set_is_realistic_in_size():
    agencies = exante_data.AGENCIES
    assert len(agencies) >= 3 and len({a.agency.region_code for a in agencies}) == 2
    assert sum(len(a.items) for a in agencies) == 50
    kinds = {i.power_type for a in agencies for i in a.items}
    assert len(kinds) >= 8


def test_first_load_writes_everything(loaded):
    for kind in ("agencies", "legal_bases", "duty_items", "officers", "procedures", "supervision_channels"):
        assert loaded[kind] == loaded[f"seed_{kind}"] > 0, kind
    assert loaded["duty_items"] == 50 and loaded["agencies"] == 5


def test_loading_again_changes_nothing(platform, loaded, monkeypatch, capsys):
    _, settings = platform
    # Through the command line, as an operator would.
    for name, value in {
        "GONGSHI_DATA_DIR": str(settings.data_dir),
        "GONGSHI_ADMIN_TOKEN": settings.admin_token,
        "GONGSHI_DUTIES_PORT": str(settings.duties_port),
        "GONGSHI_PROCEDURES_PORT": str(settings.procedures_port),
        # Demo results are another module's job (and tests): a closed port makes the loader skip them,
        # and no default port can send them to some other running platform.
        "GONGSHI_RESULTS_PORT": str(free_port()),
        "GONGSHI_FEEDBACK_PORT": str(free_port()),
    }.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["demo", "load"]) == 0
    out = capsys.readouterr().out
    assert '"duty_items": 0' in out and '"agencies": 0' in out and '"procedures": 0' in out
    assert not platform_is_empty(settings)


def test_rest_lists_page_with_cursor_and_total(http):
    agencies = http.get("/api/v1/agencies").json()
    assert agencies["total"] == 5
    assert {a["region_code"] for a in agencies["data"]} == {"310101", "440305"}
    seen, cursor = [], None
    while True:
        page = http.get("/api/v1/duty-items", params={"limit": 20, "cursor": cursor}).json()
        assert page["total"] == 50 and page["limit"] == 20
        seen += [(d["agency_code"], d["code"]) for d in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 50 and seen == sorted(set(seen))
    licensing = http.get("/api/v1/duty-items", params={"power_type": "licensing", "region": "440305"}).json()
    assert licensing["total"] == 5 and all(d["power_type"] == "licensing" for d in licensing["data"])
    by_name = http.get("/api/v1/duty-items", params={"q": "广告"}).json()
    assert by_name["total"] >= 3
    laws = http.get("/api/v1/legal-bases", params={"agency": SCJG, "level": "law"}).json()
    assert laws["total"] >= 10 and all(b["level"] == "law" for b in laws["data"])
    reviews = http.get("/api/v1/supervision-channels", params={"type": "administrative_review"}).json()
    assert reviews["total"] == 5
    assert http.get("/api/v1/procedures").json()["total"] == sum(
        i.guide for a in exante_data.AGENCIES for i in a.items
    )
    assert http.get("/api/v1/inspection-items", params={"q": "排污"}).json()["total"] == 2


def test_rest_bad_input_is_problem_json(http):
    too_big = http.get("/api/v1/duty-items", params={"limit": 201})
    assert too_big.status_code == 400 and too_big.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert too_big.json()["errors"][0]["field"] == "limit"
    bad_enum = http.get("/api/v1/duty-items", params={"power_type": "tax"})
    assert bad_enum.status_code == 400 and bad_enum.json()["errors"][0]["field"] == "power_type"
    assert http.get("/api/v1/duty-items", params={"cursor": "!!"}).status_code == 400
    missing = http.get(f"/api/v1/duty-items/{SCJG}/NO-SUCH")
    assert missing.status_code == 404 and missing.json()["status"] == 404
    assert http.get(f"/api/v1/duty-items/{SCJG}/bad code").status_code == 400


def test_rest_versions_of_every_kind(http):
    for path in (
        f"/api/v1/agencies/{SCJG}/versions",
        f"/api/v1/duty-items/{SCJG}/310101-CF-001/versions",
        f"/api/v1/legal-bases/{SCJG}/SC-SPAQ-124/versions",
        f"/api/v1/officers/{SCJG}/31010120190021/versions",
        f"/api/v1/procedures/{SCJG}/P-310101-CF-001/versions",
        f"/api/v1/supervision-channels/{SCJG}/FY-01/versions",
        f"/api/v1/inspection-items/{SCJG}/310101-SJ-001/versions",
    ):
        body = http.get(path).json()
        assert body["total"] == 1 and body["next_cursor"] is None, path
        first = body["data"][0]
        assert (first.get("publication") or first)["version"] == 1, path


def test_certificate_check_over_rest(http):
    valid = http.get("/api/v1/officers/check", params={"certificate": "31010120190021"}).json()
    assert valid["validity"] == "valid" and valid["officer"]["name"] == "陈建国"
    assert valid["agency_name"] == "上海市黄浦区市场监督管理局"
    assert set(valid["officer"]) == {
        "agency_code",
        "certificate_number",
        "name",
        "enforcement_category",
        "enforcement_area",
        "valid_from",
        "valid_to",
        "status",
        "publication",
        "region_code",
    }
    expired = http.get("/api/v1/officers/check", params={"certificate": "31010120160088"}).json()
    assert expired["validity"] == "expired"
    assert http.get("/api/v1/officers/check", params={"certificate": "44030520222222"}).json() == {
        "validity": "unknown",
        "officer": None,
        "agency_name": "",
        "checked_on": expired["checked_on"],
    }
    suspended = http.get("/api/v1/officers/check", params={"certificate": "31010120220410"}).json()
    assert suspended["validity"] == "suspended"
    assert http.get("/api/v1/officers/check").status_code == 400


def test_flowchart_svg_endpoint(http):
    svg = http.get(f"/api/v1/procedures/{SCJG}/P-310101-CF-001/flowchart.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.count("<rect") == 8 and "立案" in svg.text


@pytest.mark.parametrize(
    "path",
    [
        "/exante",
        "/agencies",
        f"/agencies/{SCJG}",
        "/officers",
        f"/officers/{SCJG}/31010120190021",
        "/duty-items",
        "/duty-items?power_type=penalty&needs_review=1&agency=SCJG-310101",
        f"/duty-items/{SCJG}/310101-CF-001",
        "/legal-bases",
        f"/legal-bases/{SCJG}/SC-SPAQ-124",
        "/procedures",
        "/supervision-channels",
        f"/supervision-channels/{SCJG}/FY-01",
        "/inspection-items",
        f"/inspection-items/{SCJG}/310101-SJ-001",
        "/officers/check?certificate=31010120190021",
    ],
)
def test_portal_pages_render_in_both_languages(http, path):
    http.cookies.clear()  # Chinese is the default; a ?lang= choice is remembered in a cookie
    zh = http.get(path)
    assert zh.status_code == 200, zh.text[:500]
    assert 'lang="zh-CN"' in zh.text and "事前公开" in zh.text
    en = http.get(path, params={"lang": "en"})
    assert en.status_code == 200 and 'lang="en"' in en.text and "Ex-ante publicity" in en.text


def test_record_pages_show_their_version_history(http):
    http.cookies.clear()
    for path in (
        f"/duty-items/{SCJG}/310101-CF-001",
        f"/procedures/{SCJG}/P-310101-CF-001",
        f"/agencies/{SCJG}",
    ):
        page = http.get(path).text
        assert "版本历史" in page and "v1" in page, path


def test_procedure_page_has_an_accessible_flow_diagram(http):
    http.cookies.clear()
    page = http.get(f"/procedures/{SCJG}/P-310101-CF-001").text
    assert '<svg id="flowchart"' in page and 'role="img"' in page
    assert 'aria-labelledby="flowchart-title flowchart-desc"' in page
    assert '<desc id="flowchart-desc">1. 立案' in page
    # The text alternative: every step, in order, as an ordered list outside the picture.
    steps = page.split('<ol class="steps">', 1)[1].split("</ol>", 1)[0]
    names = ["立案", "调查取证", "法制审核", "告知", "陈述申辩或听证", "决定", "送达", "执行与公示"]
    positions = [steps.index(f"<strong>{n}</strong>") for n in names]
    assert positions == sorted(positions)
    assert "申请行政复议" in page  # the relief channels that apply


def test_portal_escapes_and_handles_missing_records(http):
    http.cookies.clear()
    missing = http.get(f"/duty-items/{SCJG}/NO-SUCH")
    assert missing.status_code == 404 and "未找到" in missing.text
    odd = http.get("/duty-items", params={"q": "<script>alert(1)</script>"})
    assert odd.status_code == 200 and "<script>alert(1)</script>" not in odd.text
    assert http.get("/duty-items", params={"power_type": "nonsense", "cursor": "%%"}).status_code == 200

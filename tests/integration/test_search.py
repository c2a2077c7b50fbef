"""Search, statistics, the annual report, exports and feeds through the
gateway, against the real platform (results service + gateway processes)."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
import xml.etree.ElementTree as ET

import grpc
import httpx
import pytest

from gongshi.v1 import duties_pb2, duties_pb2_grpc, results_pb2_grpc
from gongshi.v1 import results_pb2 as pb
from services.runtime import limits
from tests.support.decisions import penalty
from tests.support.platform import auth, register_agency

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def http(platform):
    running, _ = platform
    with httpx.Client(base_url=running.gateway.address, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def seeded(platform):
    """Two agencies in two regions with decisions chosen to exercise search and counting."""
    _, settings = platform
    tag = uuid.uuid4().hex[:6]
    food = f"SCJG-{tag}"
    build = f"ZJJ-{tag}"
    food_token = register_agency(settings, food, region="310101", name="上海市黄浦区市场监督管理局")
    build_token = register_agency(settings, build, region="440305", name="深圳市南山区住房和建设局")
    channel = grpc.insecure_channel(settings.grpc_addr("results"))
    stub = results_pb2_grpc.ResultsServiceStub(channel)

    def publish(token, decision):
        return stub.PublishDecision(
            pb.PublishDecisionRequest(decision=decision), metadata=auth(token), timeout=10
        )

    ids = {}
    ids["food"] = publish(
        food_token,
        penalty(
            document_number=f"沪黄市监罚〔2026〕{tag}1号",
            decision_date="2026-09-04",
            party=pb.Party(
                type=pb.PARTY_TYPE_LEGAL_PERSON, name=f"上海{tag}餐饮管理有限公司", uscc="91310101MA1FPX0001"
            ),
            facts="经查，当事人经营超过保质期的冷冻肉制品。",
            conclusion="没收违法所得，并处罚款人民币五万元。",
            penalty_kinds=[pb.PENALTY_KIND_FINE, pb.PENALTY_KIND_CONFISCATION],
            fine_amount_fen=5_000_000,
            confiscation_amount_fen=120_000,
        ),
    ).result.id
    ids["warning"] = publish(
        food_token,
        penalty(
            document_number=f"沪黄市监罚〔2026〕{tag}2号",
            decision_date="2026-10-20",
            facts="当事人未按规定公示食品经营许可证。",
            conclusion="警告。",
            penalty_kinds=[pb.PENALTY_KIND_WARNING],
            fine_amount_fen=0,
        ),
    ).result.id
    ids["licence"] = publish(
        food_token,
        penalty(
            document_number=f"沪黄市监许〔2026〕{tag}3号",
            category=pb.DECISION_CATEGORY_LICENSING,
            licence_item="食品经营许可",
            approval_category="普通",
            licence_name_no="JY13101010001",
            licence_validity="2026-11-01至2031-10-31",
            penalty_kinds=[],
            fine_amount_fen=0,
            decision_date="2026-11-01",
            conclusion="准予许可。",
        ),
    ).result.id
    ids["minor"] = publish(
        food_token,
        penalty(
            document_number=f"沪黄市监罚〔2026〕{tag}4号",
            party=pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="李某某", is_minor=True),
            facts=f"未成年人{tag}销售烟花爆竹。",
            decision_date="2026-11-03",
            penalty_kinds=[pb.PENALTY_KIND_FINE],
            fine_amount_fen=100_000,
        ),
    ).result.id
    ids["build"] = publish(
        build_token,
        penalty(
            document_number=f"深南建罚〔2026〕{tag}5号",
            decision_date="2026-10-11",
            party=pb.Party(
                type=pb.PARTY_TYPE_LEGAL_PERSON, name=f"深圳{tag}建筑工程有限公司", uscc="91440300MA5FPX0002"
            ),
            facts="未取得施工许可证擅自施工。",
            conclusion="责令停止施工，罚款人民币十万元。",
            penalty_kinds=[pb.PENALTY_KIND_FINE, pb.PENALTY_KIND_SUSPENSION_CLOSURE],
            fine_amount_fen=10_000_000,
        ),
    ).result.id
    channel.close()
    return {"tag": tag, "food": food, "build": build, "ids": ids, "food_token": food_token}


def public_ids(http, seeded, *names) -> set[str]:
    """Which of these the results service published (its rules decide, e.g. on warnings)."""
    ids = {seeded["ids"][n] for n in names}
    return {i for i in ids if http.get(f"/api/v1/results/{i}").status_code == 200}


def search(http, **params) -> dict:
    response = http.get("/api/v1/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_chinese_phrase_finds_the_record(http, seeded):
    body = search(http, q="冷冻肉制品")
    assert [r["id"] for r in body["data"]] == [seeded["ids"]["food"]]
    assert "冷冻肉制品" in body["data"][0]["snippet"]
    # The party name is searchable, and a phrase spanning unrelated text is not a match.
    assert [r["id"] for r in search(http, q=f"{seeded['tag']}餐饮")["data"]] == [seeded["ids"]["food"]]
    assert search(http, q="冷冻施工许可")["data"] == []


@pytest.mark.parametrize("term", ["餐饮", "罚款", "肉"])
def test_one_and_two_character_queries_work(http, seeded, term):
    # Trigram indexes cannot match these on their own: the fallback must.
    found = {r["id"] for r in search(http, q=term, agency=seeded["food"], limit=200)["data"]}
    assert seeded["ids"]["food"] in found


def test_several_terms_must_all_match(http, seeded):
    found = search(http, q=f"{seeded['tag']} 施工 罚款")["data"]
    assert [r["id"] for r in found] == [seeded["ids"]["build"]]


def test_unpublishable_records_are_never_found(http, seeded):
    assert search(http, q=f"未成年人{seeded['tag']}")["data"] == []
    assert search(http, q="烟花爆竹", agency=seeded["food"])["data"] == []
    public = public_ids(http, seeded, "food", "warning", "licence")
    assert seeded["ids"]["food"] in public and seeded["ids"]["licence"] in public
    assert search(http, q=seeded["tag"], status="published", agency=seeded["food"])["total"] == len(public)


def test_filters(http, seeded):
    tag = seeded["tag"]
    assert {r["id"] for r in search(http, q=tag, region="440305")["data"]} == {seeded["ids"]["build"]}
    assert {r["id"] for r in search(http, q=tag, category="licensing")["data"]} == {seeded["ids"]["licence"]}
    assert {r["id"] for r in search(http, q=tag, penalty_kind="suspension_closure")["data"]} == {
        seeded["ids"]["build"]
    }
    window = search(http, agency=seeded["food"], decided_from="2026-10-15", decided_to="2026-11-02")
    assert {r["id"] for r in window["data"]} == public_ids(http, seeded, "warning", "licence")


def test_sorting_and_cursor_pagination(http, seeded):
    tag = seeded["tag"]
    newest = [r["decision_date"] for r in search(http, q=tag, sort="newest")["data"]]
    expected = len(public_ids(http, seeded, "food", "warning", "licence", "build"))
    assert newest == sorted(newest, reverse=True) and len(newest) == expected
    oldest = [r["decision_date"] for r in search(http, q=tag, sort="oldest")["data"]]
    assert oldest == sorted(oldest)
    fines = [r["fine_amount_fen"] for r in search(http, q=tag, sort="fine")["data"]]
    assert fines == sorted(fines, reverse=True)
    seen, cursor = [], None
    while True:
        page = search(http, q=tag, sort="newest", limit=1, cursor=cursor)
        assert page["total"] == expected and page["total_is_lower_bound"] is False
        seen += [r["id"] for r in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == expected and len(set(seen)) == expected


def test_bad_search_input_is_a_problem_response(http):
    too_long = http.get("/api/v1/search", params={"q": "罚" * (limits.MAX_SEARCH_QUERY_CHARS + 1)})
    assert too_long.status_code == 400
    assert too_long.headers["content-type"].startswith("application/problem+json")
    bad_cursor = http.get("/api/v1/search", params={"cursor": "not-a-cursor"})
    assert bad_cursor.status_code == 400
    assert bad_cursor.json()["errors"][0]["field"] == "cursor"  # as the client named it
    assert http.get("/api/v1/search", params={"limit": limits.MAX_PAGE_SIZE + 1}).status_code == 400


@pytest.fixture(scope="module")
def duty_list(platform, seeded):
    """The food agency's duty list: penalty and inspection powers, nothing else."""
    _, settings = platform
    token = seeded["food_token"]
    with grpc.insecure_channel(settings.grpc_addr("duties")) as channel:
        duties = duties_pb2_grpc.DutiesServiceStub(channel)
        duties.PutLegalBasis(
            duties_pb2.PutLegalBasisRequest(
                legal_basis=duties_pb2.LegalBasis(
                    code="SPAQF-124",
                    instrument_title="中华人民共和国食品安全法",
                    level=duties_pb2.INSTRUMENT_LEVEL_LAW,
                    issuing_body="全国人民代表大会常务委员会",
                    article="第一百二十四条",
                    role=duties_pb2.BASIS_ROLE_PENALTY,
                    effective_date="2015-10-01",
                    text_excerpt="违反本法规定，有下列情形之一……",
                ),
                publish=True,
            ),
            metadata=auth(token),
            timeout=10,
        )
        for code, name, power in (
            ("D-1", f"对经营超过保质期食品{seeded['tag']}的处罚", duties_pb2.POWER_TYPE_PENALTY),
            ("D-2", f"食品经营{seeded['tag']}监督检查", duties_pb2.POWER_TYPE_INSPECTION),
        ):
            duties.PutDutyItem(
                duties_pb2.PutDutyItemRequest(
                    duty_item=duties_pb2.DutyItem(
                        code=code,
                        name=name,
                        power_type=power,
                        legal_basis_codes=["SPAQF-124"],
                        handling_unit="执法稽查科",
                        responsibilities=[
                            duties_pb2.Responsibility(
                                stage=duties_pb2.DUTY_STAGE_FILING, description="依法立案"
                            )
                        ],
                        accountability_cases=["不履行或者不正确履行职责的"],
                    ),
                    publish=True,
                ),
                metadata=auth(token),
                timeout=10,
            )
    return ["D-1", "D-2"]


def test_duty_items_and_procedures_are_searchable_by_name(http, seeded, duty_list):
    found = search(http, q=f"{seeded['tag']}监督检查", type="duty_items")
    assert [d["code"] for d in found["data"]] == ["D-2"] and found["type"] == "duty_items"
    assert [
        d["code"] for d in search(http, type="duty_items", agency=seeded["food"], category="penalty")["data"]
    ] == ["D-1"]
    assert search(http, type="duty_items", agency=seeded["food"], category="requisition")["data"] == []
    assert search(http, q=f"没有这个程序{seeded['tag']}", type="procedures")["data"] == []
    page = http.get("/search", params={"type": "duty_items", "q": f"{seeded['tag']}监督检查"})
    assert page.status_code == 200 and f'href="/duty-items/{seeded["food"]}/D-2?' in page.text


def test_annual_report_tells_no_power_from_no_activity(http, seeded, duty_list):
    # Results learns the duty list from duties' events: wait for it.
    deadline = time.monotonic() + 20
    while True:
        report = http.get(f"/api/v1/reports/annual/{seeded['food']}/2026").json()
        behaviours = {b["category"]: b for b in report["behaviours"]}
        if behaviours["inspection"]["power"] == "has_power" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert behaviours["inspection"]["power"] == "has_power" and behaviours["inspection"]["display"] == "0"
    assert behaviours["penalty"]["display"] == "3"
    assert behaviours["licensing"]["display"] == "1"  # it acted, so it holds the power
    for idle in ("coercion", "levy", "requisition"):
        assert behaviours[idle]["power"] == "no_power" and behaviours[idle]["display"] == "无相关行政执法职责"
    download = http.get(f"/api/v1/reports/annual/{seeded['food']}/2026", params={"format": "csv"})
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert ["行政征收", "无相关行政执法职责"] in rows and ["行政检查", "0"] in rows


def test_statistics_count_each_penalty_decision_once_in_its_most_severe_kind(http, seeded):
    stats = http.get("/api/v1/statistics", params={"agency": seeded["food"]}).json()
    # All four decisions count (the minor's too: statistics carry no personal data).
    assert stats["decisions"] == 4
    assert stats["published"] == len(public_ids(http, seeded, "food", "warning", "licence"))
    kinds = {k["kind"]: k["decisions"] for k in stats["penalty_kinds"]}
    assert kinds == {"confiscation": 1, "warning": 1, "fine": 1}  # fine+confiscation counts as confiscation
    months = {(m["month"], m["category"]): m["decisions"] for m in stats["per_month"]}
    assert months[("2026-09", "penalty")] == 1 and months[("2026-11", "licensing")] == 1
    region = http.get("/api/v1/statistics", params={"region": "440305", "decided_from": "2025-01-01"}).json()
    build = next(g for g in region["by_agency"] if g["key"] == seeded["build"])
    assert build["fine_amount_fen"] == 10_000_000 and build["name"] == "深圳市南山区住房和建设局"
    assert {k["kind"] for k in build["penalty_kinds"]} == {"suspension_closure"}


def test_annual_report_follows_i1_to_i3(http, seeded):
    report = http.get(f"/api/v1/reports/annual/{seeded['food']}/2026").json()
    behaviours = {b["category"]: b for b in report["behaviours"]}
    assert list(behaviours) == ["licensing", "penalty", "coercion", "levy", "requisition", "inspection"]
    assert behaviours["penalty"]["decisions"] == 3 and behaviours["licensing"]["decisions"] == 1
    assert behaviours["coercion"]["display"].startswith("0") or behaviours["coercion"]["power"] == "no_power"
    columns = {c["column"]: c["decisions"] for c in report["penalties"]}
    names = list(columns)
    assert names[0] == "警告、通报批评" and names[-1] == "其他" and len(names) == 9
    assert (
        columns["没收违法所得、没收非法财物"] == 1 and columns["罚款"] == 1 and columns["警告、通报批评"] == 1
    )
    assert report["penalty_decisions"] == 3
    # 50,000 + 1,200 + 1,000 yuan of fines and confiscations = 5.2200 万元.
    assert report["fine_and_confiscation_wan_yuan"] == "5.2200"
    empty_year = http.get(f"/api/v1/reports/annual/{seeded['food']}/2019").json()
    assert all(b["decisions"] == 0 for b in empty_year["behaviours"])
    assert http.get(f"/api/v1/reports/annual/NOPE-{seeded['tag']}/2026").status_code == 404

    download = http.get(f"/api/v1/reports/annual/{seeded['food']}/2026", params={"format": "csv"})
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert ["行政处罚", "3"] in rows
    amounts = rows.index(next(r for r in rows if r[:1] == ["数量"]))
    assert rows[amounts][-1] == "5.2200" and rows[amounts - 1][-1] == "罚没金额（万元）"
    # Never confirmed by the agency: live figures, no 情况说明 (open, draft or missing by the date).
    assert report["status"] != "confirmed" and ["情况说明", ""] in rows


def test_exports_stream_every_public_result(http, seeded):
    lines = http.get("/api/v1/exports/results.ndjson", params={"agency": seeded["food"]}).text.splitlines()
    exported = {json.loads(line)["id"] for line in lines}
    assert exported == public_ids(http, seeded, "food", "warning", "licence")
    with http.stream("GET", "/api/v1/exports/results.csv", params={"region": "440305"}) as response:
        assert response.headers["content-type"].startswith("text/csv")
        assert "content-length" not in response.headers  # streamed, not built in memory
        text = "".join(response.iter_text())
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert seeded["ids"]["build"] in {r["id"] for r in rows}
    assert all("李某某" not in r["party_name"] for r in rows)


def test_atom_feeds_per_agency_and_saved_search(http, seeded):
    response = http.get("/feeds/results.atom", params={"agency": seeded["food"]})
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    ids = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert ids[0] == f"urn:gongshi:result:{seeded['ids']['licence']}"  # newest decision first
    assert len(ids) == len(public_ids(http, seeded, "food", "warning", "licence"))
    saved = ET.fromstring(http.get("/feeds/results.atom", params={"q": "冷冻肉制品"}).content)
    assert [e.find(f"{ATOM}id").text for e in saved.findall(f"{ATOM}entry")] == [
        f"urn:gongshi:result:{seeded['ids']['food']}"
    ]


def test_portal_pages_render_and_escape(http, seeded):
    page = http.get("/search", params={"q": "冷冻肉制品"})
    assert page.status_code == 200 and seeded["ids"]["food"] in page.text
    hostile = http.get("/search", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in hostile.text and "&lt;script&gt;" in hostile.text
    assert http.get("/search", params={"category": "nonsense", "decided_from": "x"}).status_code == 200
    # A request the service refuses is a page that says why, not an empty list.
    refused = http.get("/search", params={"cursor": "not-a-cursor", "lang": "en"})
    assert refused.status_code == 200 and 'role="alert"' in refused.text
    assert "This search could not be run as asked" in refused.text
    assert 'role="alert"' not in page.text
    stats = http.get("/statistics", params={"agency": seeded["food"], "lang": "en"})
    assert stats.status_code == 200 and "data-chart=" in stats.text and 'lang="en"' in stats.text
    assert "/static/vendor/echarts/echarts.min.js" in stats.text and "<table" in stats.text  # no-JS fallback
    assert "Citizen feedback handling" in stats.text
    report = http.get("/reports/annual", params={"agency": seeded["food"], "year": 2026})
    assert report.status_code == 200 and "警告、通报批评" in report.text
    assert http.get("/", params={"lang": "en"}).status_code == 200

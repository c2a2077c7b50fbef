"""How pages show times, amounts, agency names, chart data and form errors."""

from __future__ import annotations

import asyncio

import grpc
import pytest

from gateway import agencies, charts, display, form_errors
from gateway.i18n import TEXTS, translator
from gongshi.v1 import duties_pb2
from services.runtime import limits


def test_times_are_china_time_with_the_exact_instant_in_markup():
    tag = display.time_tag("2026-12-01T13:36:02.238Z", "zh")
    assert str(tag) == '<time datetime="2026-12-01T21:36:02+08:00">2026年12月1日 21:36</time>'
    assert str(display.time_tag("2026-12-01T13:36:02Z", "en")).endswith(">1 Dec 2026, 21:36</time>")
    # Across midnight the local day is the next one.
    assert "2026年12月2日 00:10" in display.time_tag("2026-12-01T16:10:00+00:00", "zh")
    assert display.time_tag("", "zh") == "" and display.time_tag("<b>x</b>", "zh") == "&lt;b&gt;x&lt;/b&gt;"
    assert str(display.date_tag("2026-11-20", "zh")) == '<time datetime="2026-11-20">2026年11月20日</time>'
    assert ">20 Nov 2026<" in display.date_tag("2026-11-20", "en")
    assert 'datetime="2026-12-01"' in display.local_date_tag("2026-11-30T16:30:00Z", "zh")  # China's day


def test_amounts_have_thousands_separators_and_two_decimals():
    assert display.wan_yuan(18_134_500_000) == "18,134.50"  # fen -> 萬元
    assert display.wan_yuan(18_134_500) == "18.13"
    assert display.wan_yuan(5_000) == "0.01"  # 50 yuan rounds half up
    assert display.wan_yuan(0) == "0.00"
    assert display.number(1234567) == "1,234,567"
    assert display.percent(1, 3) == "33.3%" and display.percent(1, 0) == "—"


def test_chart_specs_carry_labels_values_and_a_description():
    spec = charts.bars("处罚种类", [("罚款", 5), ("没收违法所得、没收非法财物", 2)])
    assert spec["kind"] == "bars" and spec["labels"] == ["罚款", "没收违法所得、没收非法财物"]
    assert spec["series"][0]["values"] == [5, 2]
    assert spec["height"] == charts.BAR_CHART_EXTRA_PX + 2 * charts.BAR_ROW_PX
    assert spec["description"] == "处罚种类：罚款 5；没收违法所得、没收非法财物 2"
    money = charts.bars("金额", [("310101", charts.wan_yuan_value(18_134_500_000))], unit="万元", decimals=2)
    assert money["series"][0]["values"] == [18134.5] and "18,134.50万元" in money["description"]
    months = charts.stacked_columns(
        "每月",
        ["2026-10", "2026-11"],
        {"penalty": {"2026-11": 3}, "licensing": {"2026-10": 1}},
        {"penalty": "行政处罚"},
    )
    assert months["series"] == [
        {"name": "行政处罚", "values": [0, 3]},
        {"name": "licensing", "values": [1, 0]},
    ]
    assert charts.bars("x", []) is None and charts.stacked_columns("x", [], {}, {}) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_form_error_is_in_the_page_language_and_names_the_label(lang):
    t = translator(lang)
    service_errors = [
        ("description", "is required"),
        ("description", f"is 5001 characters long; the limit is {limits.FEEDBACK_TEXT}"),
        ("email", "is not an e-mail address"),
        ("agency_code", "is not an agency code"),
        ("agency_code", "is required for a duty item, procedure or supervision channel"),
        ("display_name", "is required when show_display_name is on"),
        ("attachments[0]", "is not a PNG, JPEG or PDF file (checked by content, not by name)"),
        ("attachments", "has 9 files; the limit is 5"),
        ("service_code", "must be one of: suggestion, complaint"),
        ("target_type", "an objection must be about a published result"),
        ("objection_party_name", "does not match the party of result X as published"),
        ("phone", "something new the portal has no text for"),
    ]
    for field, description in service_errors:
        shown = form_errors.message(form_errors.form_field(field), description, t)
        assert description not in shown or lang == "en"  # en may say the same words, with the label
        if lang == "zh":
            assert not any(word in shown for word in ("required", "limit", "must", "is not")), shown
        label = t(form_errors.LABELS[form_errors.form_field(field)])
        if "objection must be about" not in description:
            assert label in shown, (field, shown)
    grouped = form_errors.translated(
        [
            {"field": "attachments[0]", "description": "is empty"},
            {"field": "attachments[1]", "description": "is empty"},
        ],
        t,
        lang,
    )
    assert list(grouped) == ["media"] and grouped["media"].count(t("fb.attachments")) == 1


def test_every_form_error_text_exists_in_both_languages():
    for _, key in form_errors.RULES:
        assert TEXTS[key]["zh"] and TEXTS[key]["en"]
    for key in form_errors.LABELS.values():
        assert TEXTS[key]["zh"] and TEXTS[key]["en"]


class _Duties:
    """A stand-in for the duties stub: pages of agencies, counting calls."""

    def __init__(self, pages: list[list[tuple[str, str]]], fail: bool = False) -> None:
        self.pages, self.calls, self.fail = pages, 0, fail

    async def ListAgencies(self, request, **call_options):
        self.calls += 1
        if self.fail:
            raise grpc.aio.AioRpcError(grpc.StatusCode.UNAVAILABLE, None, None)
        index = int(request.page.page_token or 0)
        assert request.page.page_size == limits.MAX_PAGE_SIZE
        return duties_pb2.ListAgenciesResponse(
            agencies=[duties_pb2.Agency(code=c, name=n) for c, n in self.pages[index]],
            next_page_token=str(index + 1) if index + 1 < len(self.pages) else "",
        )


class _Clients:
    def __init__(self, duties) -> None:
        self.duties = duties


@pytest.fixture
def fresh_names(monkeypatch):
    monkeypatch.setattr(agencies, "_names", {})
    monkeypatch.setattr(agencies, "_fetched_at", float("-inf"))
    monkeypatch.setattr(agencies, "_tried_at", float("-inf"))


def test_agency_names_come_from_one_paged_walk_and_are_reused(fresh_names, monkeypatch):
    duties = _Duties([[("SCJG-310101", "上海市黄浦区市场监督管理局")], [("GA-1", "公安局")]])
    asyncio.run(agencies.ensure(_Clients(duties), ["SCJG-310101"]))
    assert duties.calls == 2 and agencies.name_of("GA-1") == "公安局"
    asyncio.run(agencies.ensure(_Clients(duties), ["SCJG-310101", "GA-1"]))
    assert duties.calls == 2, "known codes cost no call"
    # An unknown code refetches, but not more often than REFETCH_SECONDS.
    asyncio.run(agencies.ensure(_Clients(duties), ["NEW-1"]))
    assert duties.calls == 2
    monkeypatch.setattr(agencies, "_tried_at", agencies._tried_at - agencies.REFETCH_SECONDS)
    asyncio.run(agencies.ensure(_Clients(duties), ["NEW-1"]))
    assert duties.calls == 4
    assert agencies.name_of("NEW-1") == ""


def test_pages_still_render_codes_when_the_duties_service_is_down(fresh_names):
    duties = _Duties([], fail=True)
    asyncio.run(agencies.ensure(_Clients(duties), ["SCJG-310101"]))
    assert duties.calls == 1 and agencies.name_of("SCJG-310101") == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tracking_page_refusals_are_in_the_page_language(lang):
    t = translator(lang)
    english = "this feedback was already rated"
    exc = grpc.aio.AioRpcError(grpc.StatusCode.FAILED_PRECONDITION, None, None, details=english)
    assert form_errors.action_refused(exc, 409, "rate", t, lang) == t("fb.action_refused")
    assert form_errors.action_refused(exc, 404, "view", t, lang) == t("fb.not_found")
    assert form_errors.action_refused(exc, 503, "add", t, lang) == t("fb.unavailable")
    assert form_errors.action_refused(exc, 429, "add", t, lang) == t("fb.too_many")

from __future__ import annotations

import csv
import io

from gateway.charts import bar_chart
from gateway.reports import NO_POWER, behaviour_value, csv_cell, report_csv, report_view, wan_yuan
from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb


def test_amounts_in_wan_yuan_are_exact():
    assert wan_yuan(5_000_000) == "5.0000"  # 50,000 yuan
    assert wan_yuan(5_220_000) == "5.2200"
    assert wan_yuan(100) == "0.0001"  # one yuan
    assert wan_yuan(0) == "0.0000"


def test_power_but_no_activity_is_zero_and_no_power_is_said():
    has = qpb.BehaviourCount(category=pb.DECISION_CATEGORY_LEVY, power=qpb.POWER_STATUS_HAS_POWER)
    none = qpb.BehaviourCount(category=pb.DECISION_CATEGORY_LEVY, power=qpb.POWER_STATUS_NO_POWER)
    unknown = qpb.BehaviourCount(category=pb.DECISION_CATEGORY_LEVY, power=qpb.POWER_STATUS_UNKNOWN)
    assert behaviour_value(has) == "0"
    assert behaviour_value(none) == NO_POWER == "无相关行政执法职责"
    assert behaviour_value(unknown).startswith("0")


def test_csv_cells_cannot_become_formulas():
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("@SUM") == "'@SUM" and csv_cell("-1") == "'-1"
    assert csv_cell("上海某某公司") == "上海某某公司"


def test_report_csv_has_the_i3_columns_in_order():
    report = qpb.AnnualEnforcementReport(agency_code="A1", agency_name="=evil", year=2025)
    for category in (1, 2, 3, 4, 5, 6):
        report.behaviours.append(qpb.BehaviourCount(category=category, power=qpb.POWER_STATUS_HAS_POWER))
    for kind in (1, 3, 4, 5, 6, 7, 8, 9, 10):
        report.penalty_table.append(qpb.PenaltyKindCount(kind=kind, decisions=1 if kind == 4 else 0))
    report.penalty_decisions, report.fine_and_confiscation_fen = 1, 1_234_500
    rows = list(csv.reader(io.StringIO(report_csv(report).lstrip("\ufeff"))))
    assert rows[0][1] == "'=evil"
    values = next(r for r in rows if r[:1] == ["数量"])
    header = rows[rows.index(values) - 1]
    assert header[1:10] == [
        "警告、通报批评", "罚款", "没收违法所得、没收非法财物", "暂扣许可证照、降低资质等级", "吊销许可证照",
        "限制开展生产经营活动", "责令停产停业、责令关闭、限制从业", "行政拘留", "其他",
    ]  # fmt: skip
    assert values[3] == "1" and values[-2] == "1" and values[-1] == "1.2345"


def test_bar_chart_scales_to_the_largest_value():
    chart = bar_chart("t", [("a", 1, "1"), ("b", 4, "4")])
    assert chart.bars[1].height == chart.baseline - 24 and chart.bars[0].height == chart.bars[1].height / 4
    assert bar_chart("t", []).empty


async def test_the_statistics_cache_computes_once_per_ttl():
    from gateway.cache import TtlCache

    calls = []

    async def compute():
        calls.append(1)
        return len(calls)

    cache = TtlCache(ttl=60)
    assert [await cache.get("k", compute) for _ in range(3)] == [1, 1, 1]
    expired = TtlCache(ttl=0)
    assert await expired.get("k", compute) == 2 and await expired.get("k", compute) == 3


def test_stacked_chart_stacks_series_per_column():
    from gateway.charts import stacked_chart

    chart = stacked_chart(
        "t", ["2026-09", "2026-10"], {"penalty": {"2026-09": 2, "2026-10": 1}, "licensing": {"2026-10": 3}}
    )
    september, october = chart.columns
    assert september.total == 2 and october.total == 4
    assert [s.series for s in october.segments] == ["penalty", "licensing"]
    # The tallest column reaches the top; segments sit on each other.
    assert (
        october.segments[-1].y == 24
        and october.segments[0].y == october.segments[1].y + october.segments[1].height
    )
    assert [name for name, _ in chart.legend] == ["penalty", "licensing"]


def test_report_status_and_narrative_in_json_and_csv():
    report = qpb.AnnualEnforcementReport(agency_code="A1", agency_name="局", year=2026)
    view = report_view(report)
    assert view["status"] == "unspecified" and view["narrative"] == ""
    report.status, report.narrative = pb.ANNUAL_REPORT_STATUS_CONFIRMED, "=本年度说明\n第二段"
    report.deadline, report.confirmed_at, report.revision = "2027-01-31", "2027-01-05T01:00:00.000Z", 2
    view = report_view(report)
    assert (view["status"], view["status_label"], view["revision"]) == ("confirmed", "已确认公开", 2)
    rows = list(csv.reader(io.StringIO(report_csv(report).lstrip("\ufeff"))))
    assert rows[-2] == [
        "状态",
        "已确认公开",
        "公开期限",
        "2027-01-31",
        "确认时间",
        "2027-01-05T01:00:00.000Z",
    ]
    assert rows[-1] == ["情况说明", "'=本年度说明\n第二段"]  # the whole text in one cell, never a formula
    report.status = pb.ANNUAL_REPORT_STATUS_MISSING
    assert report_view(report)["status_label"] == "逾期未公开"

"""The annual enforcement data report (DOMAIN.md I1–I3) as the public reads
it: labels, 萬元 amounts, the 無相關職責 marker, and the CSV download."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb

BEHAVIOUR_LABELS = {
    pb.DECISION_CATEGORY_LICENSING: "行政许可",
    pb.DECISION_CATEGORY_PENALTY: "行政处罚",
    pb.DECISION_CATEGORY_COERCION: "行政强制",
    pb.DECISION_CATEGORY_LEVY: "行政征收",
    pb.DECISION_CATEGORY_REQUISITION: "行政征用",
    pb.DECISION_CATEGORY_INSPECTION: "行政检查",
}
# I3's columns, in order; 警告 stands for the shared first column.
PENALTY_COLUMN_LABELS = {
    pb.PENALTY_KIND_WARNING: "警告、通报批评",
    pb.PENALTY_KIND_FINE: "罚款",
    pb.PENALTY_KIND_CONFISCATION: "没收违法所得、没收非法财物",
    pb.PENALTY_KIND_LICENCE_SUSPENSION: "暂扣许可证照、降低资质等级",
    pb.PENALTY_KIND_LICENCE_REVOCATION: "吊销许可证照",
    pb.PENALTY_KIND_BUSINESS_RESTRICTION: "限制开展生产经营活动",
    pb.PENALTY_KIND_SUSPENSION_CLOSURE: "责令停产停业、责令关闭、限制从业",
    pb.PENALTY_KIND_DETENTION: "行政拘留",
    pb.PENALTY_KIND_OTHER: "其他",
}
# Where the report stands (services/results/annual_reports.py).
STATUS_LABELS = {
    pb.ANNUAL_REPORT_STATUS_OPEN: "年度未结束",
    pb.ANNUAL_REPORT_STATUS_DRAFT: "草稿（未经执法机关确认）",
    pb.ANNUAL_REPORT_STATUS_CONFIRMED: "已确认公开",
    pb.ANNUAL_REPORT_STATUS_MISSING: "逾期未公开",
}
NO_POWER = "无相关行政执法职责"
UNKNOWN_POWER = "权责清单未同步，职责未知"


def wan_yuan(fen: int) -> str:
    """Fen to 萬元 with four decimals (exact to the yuan), never through floats."""
    return f"{Decimal(fen) / Decimal(1_000_000):.4f}"


def behaviour_value(row: qpb.BehaviourCount) -> str:
    """I2: 0 when empowered but idle, the no-power marker when not empowered."""
    if row.power == qpb.POWER_STATUS_NO_POWER:
        return NO_POWER
    if row.power == qpb.POWER_STATUS_UNKNOWN:
        return f"0（{UNKNOWN_POWER}）" if not row.decisions else str(row.decisions)
    return str(row.decisions)


def report_view(report: qpb.AnnualEnforcementReport) -> dict:
    return {
        "agency_code": report.agency_code,
        "agency_name": report.agency_name,
        "year": report.year,
        "behaviours": [
            {
                "type": BEHAVIOUR_LABELS[row.category],
                "category": pb.DecisionCategory.Name(row.category).removeprefix("DECISION_CATEGORY_").lower(),
                "power": qpb.PowerStatus.Name(row.power).removeprefix("POWER_STATUS_").lower(),
                "decisions": row.decisions,
                "display": behaviour_value(row),
            }
            for row in report.behaviours
        ],
        "penalties": [
            {"column": PENALTY_COLUMN_LABELS[row.kind], "decisions": row.decisions}
            for row in report.penalty_table
        ],
        "penalty_decisions": report.penalty_decisions,
        "fine_and_confiscation_wan_yuan": wan_yuan(report.fine_and_confiscation_fen),
        "generated_at": report.generated_at,
        **status_view(report),
    }


def status_view(report: qpb.AnnualEnforcementReport) -> dict:
    """Draft or confirmed, the deadline and the 情况说明 (I1)."""
    return {
        "status": pb.AnnualReportStatus.Name(report.status).removeprefix("ANNUAL_REPORT_STATUS_").lower(),
        "status_label": STATUS_LABELS.get(report.status, ""),
        "deadline": report.deadline,
        "confirmed_at": report.confirmed_at,
        "revision": report.revision,
        "narrative": report.narrative,
    }


def csv_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection) in text cells."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_csv(report: qpb.AnnualEnforcementReport) -> str:
    view = report_view(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "执法主体",
            csv_cell(view["agency_name"]),
            "代码",
            csv_cell(view["agency_code"]),
            "年度",
            view["year"],
        ]
    )
    writer.writerow([])
    writer.writerow(["行政执法行为类别", "数量（宗）"])
    for row in view["behaviours"]:
        writer.writerow([row["type"], row["display"]])
    writer.writerow([])
    writer.writerow(["行政处罚", *[c["column"] for c in view["penalties"]], "合计（宗）", "罚没金额（万元）"])
    writer.writerow(
        [
            "数量",
            *[c["decisions"] for c in view["penalties"]],
            view["penalty_decisions"],
            view["fine_and_confiscation_wan_yuan"],
        ]
    )
    writer.writerow([])
    writer.writerow(
        ["状态", view["status_label"], "公开期限", view["deadline"], "确认时间", view["confirmed_at"]]
    )
    writer.writerow(["情况说明", csv_cell(view["narrative"])])
    # A BOM so spreadsheet programs read the Chinese text as UTF-8.
    return "\ufeff" + out.getvalue()

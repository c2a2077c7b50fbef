"""Portal texts in Chinese (default) and English."""

from __future__ import annotations

from collections.abc import Callable

TEXTS: dict[str, dict[str, str]] = {
    "site_name": {"zh": "行政执法信息公示平台", "en": "Administrative Enforcement Publicity Platform"},
    "skip": {"zh": "跳到主要内容", "en": "Skip to main content"},
    "results": {"zh": "执法结果公示", "en": "Enforcement results"},
    "total": {"zh": "共 {n} 条", "en": "{n} records"},
    "document_number": {"zh": "决定书文号", "en": "Decision no."},
    "agency": {"zh": "执法机关", "en": "Agency"},
    "party": {"zh": "当事人", "en": "Party"},
    "category": {"zh": "执法类别", "en": "Category"},
    "decision_date": {"zh": "决定日期", "en": "Decision date"},
    "conclusion": {"zh": "执法结论", "en": "Conclusion"},
    "facts": {"zh": "违法事实", "en": "Facts"},
    "legal_basis": {"zh": "执法依据", "en": "Legal basis"},
    "deadline": {"zh": "公示时限", "en": "Publication deadline"},
    "on_time": {"zh": "按时公示", "en": "Published on time"},
    "late": {"zh": "逾期公示", "en": "Published late"},
    "published_at": {"zh": "公示时间", "en": "Published at"},
    "none": {"zh": "暂无公示信息", "en": "Nothing published yet"},
    "language": {"zh": "English", "en": "中文"},
    # Portal: navigation, search, statistics, annual report (gateway engineer)
    "nav": {"zh": "主导航", "en": "Main navigation"},
    "home": {"zh": "首页", "en": "Home"},
    "search": {"zh": "公示检索", "en": "Search"},
    "statistics": {"zh": "统计分析", "en": "Statistics"},
    "annual_report": {"zh": "年度数据", "en": "Annual report"},
    "open_data": {"zh": "开放数据", "en": "Open data"},
    "search_label": {
        "zh": "关键词（文书号、当事人、违法行为、依据……）",
        "en": "Keywords (document no., party, violation, legal basis…)",
    },
    "search_button": {"zh": "检索", "en": "Search"},
    "filters": {"zh": "筛选条件", "en": "Filters"},
    "any": {"zh": "不限", "en": "Any"},
    "region": {"zh": "行政区划代码", "en": "Region code"},
    "agency_code": {"zh": "执法机关代码", "en": "Agency code"},
    "penalty_kind": {"zh": "处罚种类", "en": "Penalty kind"},
    "status": {"zh": "公示状态", "en": "Status"},
    "decided_from": {"zh": "决定日期起", "en": "Decided from"},
    "decided_to": {"zh": "决定日期止", "en": "Decided to"},
    "sort": {"zh": "排序", "en": "Sort by"},
    "sort.relevance": {"zh": "相关度", "en": "Relevance"},
    "sort.newest": {"zh": "决定日期（新→旧）", "en": "Newest first"},
    "sort.oldest": {"zh": "决定日期（旧→新）", "en": "Oldest first"},
    "sort.fine": {"zh": "罚款金额", "en": "Largest fine"},
    "status.published": {"zh": "已公示", "en": "Published"},
    "status.corrected": {"zh": "已更正", "en": "Corrected"},
    "found": {"zh": "找到 {n} 条", "en": "{n} found"},
    "found_more": {"zh": "找到 {n} 条以上", "en": "More than {n} found"},
    "no_hits": {"zh": "没有找到符合条件的公示信息", "en": "No published record matches"},
    "next_page": {"zh": "下一页", "en": "Next page"},
    "first_page": {"zh": "第一页", "en": "First page"},
    "pagination": {"zh": "分页", "en": "Pagination"},
    "latest": {"zh": "最新公示", "en": "Latest publications"},
    "more": {"zh": "查看更多", "en": "More"},
    "apply": {"zh": "应用", "en": "Apply"},
    "home_intro": {
        "zh": "谁执法谁公示：检索行政执法主体、职责、程序和执法结果。",
        "en": ("Whoever enforces, publishes: search enforcement bodies, duties, procedures and decisions."),
    },
    "decisions": {"zh": "执法决定", "en": "Decisions"},
    "published_count": {"zh": "已公示", "en": "Published"},
    "on_time_rate": {"zh": "按时公示率", "en": "On-time publication rate"},
    "fines_total": {"zh": "罚款金额（万元）", "en": "Fines (10,000 CNY)"},
    "confiscations_total": {"zh": "没收金额（万元）", "en": "Confiscations (10,000 CNY)"},
    "per_month": {"zh": "每月执法决定数（按类别）", "en": "Decisions per month by category"},
    "month": {"zh": "月份", "en": "Month"},
    "count": {"zh": "数量", "en": "Count"},
    "penalty_kinds": {
        "zh": "处罚种类（每宗按最重种类计一次）",
        "en": "Penalty kinds (each decision once, most severe kind)",
    },
    "by_region": {"zh": "按行政区划", "en": "By region"},
    "by_agency": {"zh": "按执法机关", "en": "By agency"},
    "chart_data": {"zh": "图表数据", "en": "Chart data"},
    "year": {"zh": "年度", "en": "Year"},
    "show_report": {"zh": "查看年度数据", "en": "Show report"},
    "download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "behaviour_type": {"zh": "行政执法行为类别", "en": "Behaviour type"},
    "penalty_table": {"zh": "行政处罚决定（宗）", "en": "Penalty decisions"},
    "total_cases": {"zh": "合计（宗）", "en": "Total"},
    "amount_wan": {"zh": "罚没金额（万元）", "en": "Fines and confiscations (10,000 CNY)"},
    "report_note": {
        "zh": (
            "按决定日期统计（1月1日至12月31日）；一宗多罚按最重处罚种类计一次；"
            "有职权无执法活动填“0”，无职权注明“无相关行政执法职责”。"
        ),
        "en": (
            "Counted by decision date (1 Jan–31 Dec); a decision with several penalties "
            "counts once, in its most severe kind; 0 means the power exists but was not used."
        ),
    },
    "exports_intro": {
        "zh": "全部公示结果可下载，或通过订阅实时获取：",
        "en": "Download all published results, or subscribe:",
    },
    "feed": {"zh": "Atom 订阅", "en": "Atom feed"},
    "feed_this_search": {"zh": "订阅此检索（Atom）", "en": "Subscribe to this search (Atom)"},
    "api_docs": {"zh": "API 文档", "en": "API documentation"},
    "snippet": {"zh": "摘要", "en": "Excerpt"},
    "not_found": {"zh": "未找到该执法机关", "en": "Agency not found"},
    "cat.licensing": {"zh": "行政许可", "en": "Licensing"},
    "cat.penalty": {"zh": "行政处罚", "en": "Penalty"},
    "cat.coercion": {"zh": "行政强制", "en": "Coercion"},
    "cat.levy": {"zh": "行政征收", "en": "Levy"},
    "cat.requisition": {"zh": "行政征用", "en": "Requisition"},
    "cat.inspection": {"zh": "行政检查", "en": "Inspection"},
    "cat.adjudication": {"zh": "行政裁决", "en": "Adjudication"},
    "cat.confirmation": {"zh": "行政确认", "en": "Confirmation"},
    "cat.reward": {"zh": "行政奖励", "en": "Reward"},
    "cat.payment": {"zh": "行政给付", "en": "Payment"},
    "cat.other": {"zh": "其他", "en": "Other"},
    "pk.warning": {"zh": "警告、通报批评", "en": "Warning / criticism"},
    "pk.criticism": {"zh": "通报批评", "en": "Public criticism"},
    "pk.fine": {"zh": "罚款", "en": "Fine"},
    "pk.confiscation": {"zh": "没收违法所得、非法财物", "en": "Confiscation"},
    "pk.licence_suspension": {"zh": "暂扣许可证照、降低资质等级", "en": "Licence suspension"},
    "pk.licence_revocation": {"zh": "吊销许可证照", "en": "Licence revocation"},
    "pk.business_restriction": {"zh": "限制开展生产经营活动", "en": "Business restriction"},
    "pk.suspension_closure": {"zh": "责令停产停业、关闭、限制从业", "en": "Suspension or closure"},
    "pk.detention": {"zh": "行政拘留", "en": "Detention"},
    "pk.other": {"zh": "其他", "en": "Other"},
}


def translator(lang: str) -> Callable[..., str]:
    def t(key: str, **values) -> str:
        text = TEXTS.get(key, {}).get(lang) or TEXTS.get(key, {}).get("zh") or key
        return text.format(**values) if values else text

    return t

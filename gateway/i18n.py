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
}


def translator(lang: str) -> Callable[..., str]:
    def t(key: str, **values) -> str:
        text = TEXTS.get(key, {}).get(lang) or TEXTS.get(key, {}).get("zh") or key
        return text.format(**values) if values else text

    return t

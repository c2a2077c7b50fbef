"""The mails of follows, rendered once when composed and stored without their
recipient: plain text and HTML, in the follower's language, each with RFC 8058
one-click unsubscribe and a link to the manage page."""

from __future__ import annotations

import email.policy
import json
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape
from urllib.parse import quote

from gateway.i18n import translator
from services.runtime import limits

# RFC 5322's line limit: long headers such as List-Unsubscribe stay on one line.
_STORED = email.policy.default.clone(max_line_length=998)


def serialize(message: EmailMessage) -> str:
    return message.as_string(policy=_STORED)


class Links:
    def __init__(self, base: str) -> None:
        self.base = base

    def confirm(self, token: str, lang: str) -> str:
        return f"{self.base}/follow/confirm?token={quote(token)}&lang={lang}"

    def unsubscribe_one_click(self, follow_id: str, token: str) -> str:
        return f"{self.base}/api/v1/follows/{follow_id}/unsubscribe?token={quote(token)}"

    def unsubscribe_page(self, follow_id: str, token: str, lang: str) -> str:
        return f"{self.base}/follow/unsubscribe?id={follow_id}&token={quote(token)}&lang={lang}"

    def manage(self, manage_token: str, lang: str) -> str:
        return f"{self.base}/follow/manage?token={quote(manage_token)}&lang={lang}"

    def record(self, result_id: str, lang: str) -> str:
        return f"{self.base}/results/{quote(result_id)}?lang={lang}"


def _message(subject: str, sender: str, when, text: str, html: str, lang: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = make_msgid(domain="gongshi")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    msg["Content-Language"] = "zh-CN" if lang == "zh" else "en"  # after the body: set_content drops Content-*
    return msg


def _page(lang: str, body: str) -> str:
    html_lang = "zh-CN" if lang == "zh" else "en"
    head = '<head><meta charset="utf-8"></head>'
    return f'<!doctype html><html lang="{html_lang}">{head}<body>{body}</body></html>'


def confirmation(links: Links, sender: str, when, *, follow, label: str) -> EmailMessage:
    t = translator(follow.lang)
    url = links.confirm(follow.token, follow.lang)
    hours = limits.FOLLOW_CONFIRM_HOURS
    text = f"{t('fo.mail.confirm_body', label=label)}\n\n{url}\n\n{t('fo.mail.ignore', hours=hours)}\n"
    html = _page(
        follow.lang,
        f"<p>{escape(t('fo.mail.confirm_body', label=label))}</p>"
        f'<p><a href="{escape(url)}">{escape(t("fo.confirm_button"))}</a></p>'
        f"<p>{escape(t('fo.mail.ignore', hours=hours))}</p>",
    )
    return _message(t("fo.mail.confirm_subject", label=label), sender, when, text, html, follow.lang)


def notices(links: Links, sender: str, when, *, follow, manage_token: str, label: str, rows) -> EmailMessage:
    """One mail listing notices (an immediate mail or a digest) of one follow."""
    t = translator(follow.lang)
    lang = follow.lang
    items = [(row.change, json.loads(row.item)) for row in rows]
    only_retractions = all(change in ("withdrawn", "expired", "repaired") for change, _ in items)
    subject = (
        t("fo.mail.retraction_subject", label=label)
        if only_retractions
        else t("fo.mail.subject", label=label, n=len(items))
    )
    text_parts, html_parts = (
        [t("fo.mail.intro", label=label), ""],
        [f"<p>{escape(t('fo.mail.intro', label=label))}</p><ul>"],
    )
    for change, item in items:
        lines = _item_lines(t, change, item)
        link = links.record(item["result_id"], lang)
        text_parts += [*lines, f"{t('fo.view')}: {link}", ""]
        html_parts.append(
            "<li>"
            + "<br>".join(escape(line) for line in lines)
            + f'<br><a href="{escape(link)}">{escape(t("fo.view"))}</a>'
            + "</li>"
        )
    html_parts.append("</ul>")
    one_click = links.unsubscribe_one_click(follow.id, follow.token)
    footer = t(
        "fo.mail.footer",
        unsubscribe=links.unsubscribe_page(follow.id, follow.token, lang),
        manage=links.manage(manage_token, lang),
    )
    text_parts.append("-- \n" + footer)
    html_parts.append("<hr><p>" + escape(footer).replace("\n", "<br>") + "</p>")
    msg = _message(
        subject, sender, when, "\n".join(text_parts) + "\n", _page(lang, "".join(html_parts)), lang
    )
    msg["List-Unsubscribe"] = f"<{one_click}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["List-Id"] = f"Gongshi follow {follow.id} <{follow.id}.follows.gongshi>"
    return msg


def _item_lines(t, change: str, item: dict) -> list[str]:
    head = f"[{t('fo.change.' + change)}] {item.get('document_number', '')}"
    if item.get("party"):
        head += f" · {item['party']}"
    lines = [head, f"{t('agency')}: {item.get('agency_code', '')}"]
    if item.get("decision_date"):
        lines.append(f"{t('decision_date')}: {item['decision_date']}")
    if item.get("conclusion"):
        lines.append(f"{t('conclusion')}: {item['conclusion']}")
    if item.get("statement"):
        lines.append(f"{t('fo.statement')}: {item['statement']}")
    if item.get("reason"):
        lines.append(f"{t('fo.reason')}: {item['reason']}")
    if change in ("withdrawn", "expired", "repaired"):
        lines.append(t("fo.retraction_note"))
    return lines

"""Error messages of the feedback form as a person reads them: in the page's
language, naming the field by its label. The services answer in English for
API clients ("text: is required"); the portal translates what it knows and
never shows the English text on a Chinese page."""

from __future__ import annotations

import re
from collections.abc import Callable

import grpc

from gateway.problems import field_errors
from services.runtime import limits

# The form's field (REST name) -> the i18n key of its label.
LABELS = {
    "target_type": "fb.target_type",
    "target_id": "fb.target_id",
    "agency_code": "fb.agency_code",
    "service_code": "fb.category",
    "description": "fb.text",
    "media": "fb.attachments",
    "contact_name": "fb.contact_name",
    "phone": "fb.phone",
    "email": "fb.email",
    "contact_address": "fb.address",
    "display_name": "fb.display_name",
    "objection_party_name": "fb.party_name",
    "objection_party_identifier": "fb.party_identifier",
    # the tracking page's actions
    "text": "fb.text",
    "rating": "fb.rating",
    "comment": "fb.comment",
    "reason": "fb.reason",
}

# (pattern of the service's description, i18n key of the message); first match wins.
# The keys' texts take {label} and the pattern's named groups.
RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^is required when show_display_name"), "fe.display_name_needed"),
    (re.compile(r"^is required for a duty item"), "fe.agency_needed"),
    (re.compile(r"^(is required|field required|Field required)"), "fe.required"),
    (re.compile(r"^is (?P<n>\d+) characters long; the limit is (?P<max>\d+)"), "fe.too_long"),
    (re.compile(r"(is not|must be) an e-mail address"), "fe.email"),
    (re.compile(r"^is not an agency code"), "fe.agency_code"),
    (re.compile(r"^is not a PNG, JPEG or PDF"), "fe.file_type"),
    (re.compile(r"^is empty"), "fe.file_empty"),
    (re.compile(r"^is \d+ bytes; the limit is"), "fe.file_size"),
    (re.compile(r"^has \d+ files; the limit is"), "fe.file_count"),
    (re.compile(r"^total \d+ bytes; the limit is"), "fe.files_total"),
    (re.compile(r"^must be one of|^is required: "), "fe.choose"),
    (re.compile(r"^an objection must have the category"), "fe.objection_category"),
    (re.compile(r"^an objection must be about"), "fe.objection_target"),
    (re.compile(r"^does not match the party"), "fe.objection_party"),
]


def form_field(field: str) -> str:
    """attachments[0], attachments.0.data_base64 -> media (the form's file input)."""
    return "media" if field.startswith("attachments") else field


def message(field: str, description: str, t: Callable[..., str]) -> str:
    label = t(LABELS.get(field, "fb.field"))
    values = {
        "label": label,
        "files": limits.FEEDBACK_MAX_ATTACHMENTS,
        "mb": limits.FEEDBACK_MAX_ATTACHMENT_BYTES // 1_048_576,
        "total_mb": limits.FEEDBACK_MAX_ATTACHMENTS_TOTAL_BYTES // 1_048_576,
    }
    for pattern, key in RULES:
        found = pattern.search(description)
        if found:
            return t(key, **values, **found.groupdict())
    return t("fe.invalid", **values)


def translated(errors: list[dict], t: Callable[..., str], lang: str) -> dict[str, str]:
    """[{"field", "description"}] from the API's shape -> {form field: message}, one line per field."""
    shown: dict[str, list[str]] = {}
    for error in errors:
        field = form_field(error["field"])
        text = message(field, error["description"], t)
        if text not in shown.setdefault(field, []):
            shown[field].append(text)
    separator = " " if lang == "en" else "；"
    return {field: separator.join(texts) for field, texts in shown.items()}


def action_refused(
    exc: grpc.aio.AioRpcError, status: int, action: str, t: Callable[..., str], lang: str
) -> str:
    """Why a tracking-page action (view, add, rate, reopen) failed, in the page's language."""
    if status >= 500:
        return t("fb.unavailable")
    if action == "view" and status in (400, 404):
        return t("fb.not_found")
    violations = field_errors(exc)
    if violations:
        return " ".join(translated(violations, t, lang).values())
    return t("fb.too_many") if status == 429 else t("fb.action_refused")

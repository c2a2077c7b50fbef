"""Rules of the procedures service: procedures and service guides (執法程序,
服務指南), supervision and relief channels (監督途徑), random-inspection
lists (雙隨機抽查事項清單). No gRPC, NATS or SQL here."""

from __future__ import annotations

from gongshi.v1 import procedures_pb2 as pb
from services.runtime import limits
from services.runtime.validation import Checker

_CODE_RULE = "must be 1–64 letters, digits, '.', '-' or '_'"
_POSTCODE = r"^\d{6}$"


def validate_procedure(procedure: pb.Procedure) -> None:
    c = Checker("procedure")
    c.pattern("code", procedure.code, limits.RECORD_CODE_PATTERN, _CODE_RULE)
    c.pattern("duty_item_code", procedure.duty_item_code, limits.RECORD_CODE_PATTERN, _CODE_RULE)
    c.text("name", procedure.name, required=True)
    if not procedure.steps:
        c.fail("steps", "needs at least one step: the flow is published as its steps")
    c.count("steps", procedure.steps, limits.MAX_PROCEDURE_STEPS)
    for i, step in enumerate(procedure.steps):
        c.text(f"steps[{i}].name", step.name, required=True)
        for name in ("actor", "time_limit", "output_document"):
            c.text(f"steps[{i}].{name}", getattr(step, name))
        c.text(f"steps[{i}].description", step.description, limits.MEDIUM_TEXT)
    # DOMAIN.md B2: every guide names who accepts and who approves.
    c.text("accepting_unit", procedure.accepting_unit, required=True)
    c.text("approving_unit", procedure.approving_unit)
    c.text("acceptance_conditions", procedure.acceptance_conditions, limits.MEDIUM_TEXT)
    c.texts("required_materials", procedure.required_materials, limits.MEDIUM_TEXT)
    for name in ("statutory_time_limit_days", "promised_time_limit_days"):
        if getattr(procedure, name) < 0:
            c.fail(name, "must not be negative")
    statutory, promised = procedure.statutory_time_limit_days, procedure.promised_time_limit_days
    if statutory > 0 and promised > statutory:
        c.fail("promised_time_limit_days", f"{promised} exceeds the statutory limit of {statutory} days")
    for name in ("time_limit_note", "fees", "status_query_channel", "forms_download", "consultation_channel"):
        c.text(name, getattr(procedure, name), limits.MEDIUM_TEXT)
    c.raise_if_any()


_DEADLINE_NEEDED = {
    pb.CHANNEL_TYPE_ADMINISTRATIVE_REVIEW: "review_deadline",
    pb.CHANNEL_TYPE_ADMINISTRATIVE_LITIGATION: "litigation_deadline",
}


def validate_channel(channel: pb.SupervisionChannel) -> None:
    c = Checker("channel")
    c.pattern("code", channel.code, limits.RECORD_CODE_PATTERN, _CODE_RULE)
    c.enum("type", pb.ChannelType, channel.type)
    c.text("name", channel.name, required=True)
    c.text("receiving_body", channel.receiving_body, required=True)
    c.phone("phone", channel.phone)
    c.text("postal_address", channel.postal_address, limits.MEDIUM_TEXT)
    c.pattern("postcode", channel.postcode, _POSTCODE, "must be 6 digits", required=False)
    c.email("email", channel.email)
    c.url("url", channel.url)
    # DOMAIN.md B7: a channel the public cannot reach is no channel.
    if not any((channel.phone, channel.postal_address, channel.email, channel.url)):
        c.fail("phone", "a channel needs at least one of phone, postal_address, email or url")
    c.text("acceptance_procedure", channel.acceptance_procedure, limits.MEDIUM_TEXT)
    for name in ("acceptance_time_limit_days", "handling_time_limit_days"):
        if getattr(channel, name) < 0:
            c.fail(name, "must not be negative")
    c.count("party_rights", channel.party_rights)
    for i, right in enumerate(channel.party_rights):
        c.enum(f"party_rights[{i}]", pb.PartyRight, right)
    c.text("review_deadline", channel.review_deadline)
    c.text("litigation_deadline", channel.litigation_deadline)
    needed = _DEADLINE_NEEDED.get(channel.type)
    if needed and not getattr(channel, needed).strip():
        c.fail(needed, "is required for this channel type (DOMAIN.md B6)")
    c.count("duty_item_codes", channel.duty_item_codes)
    for i, code in enumerate(channel.duty_item_codes):
        c.pattern(f"duty_item_codes[{i}]", code, limits.RECORD_CODE_PATTERN, _CODE_RULE)
    c.raise_if_any()


def validate_inspection_item(item: pb.InspectionItem) -> None:
    c = Checker("inspection_item")
    c.pattern("code", item.code, limits.RECORD_CODE_PATTERN, _CODE_RULE)
    # DOMAIN.md B5: 檢查項目, 檢查主體, 檢查依據, 檢查方式, 檢查內容.
    c.text("item", item.item, required=True)
    c.text("sub_item", item.sub_item)
    c.text("inspecting_body", item.inspecting_body, required=True)
    c.texts("basis", item.basis, limits.MEDIUM_TEXT, required=True)
    c.text("method", item.method, required=True)
    c.text("content", item.content, limits.MEDIUM_TEXT, required=True)
    c.text("targets", item.targets, limits.MEDIUM_TEXT)
    if item.ratio_percent != 0 and not 0 < item.ratio_percent <= 100:
        c.fail("ratio_percent", "must be more than 0 and at most 100")
    for name in ("frequency", "handling_unit"):
        c.text(name, getattr(item, name))
    c.text("remarks", item.remarks, limits.MEDIUM_TEXT)
    c.pattern("duty_item_code", item.duty_item_code, limits.RECORD_CODE_PATTERN, _CODE_RULE, required=False)
    c.raise_if_any()

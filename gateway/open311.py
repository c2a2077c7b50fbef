"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): Gongshi's
feedback cases as service requests, its categories as services, and the
spec's XML and error shapes.

Gongshi's own fields travel in `extended_attributes` (JSON) so the spec's
fields keep their meaning. What a citizen writes about (the target) is the
service definition's attributes: a client that sends none files a general
complaint that the platform assigns to an agency.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from xml.etree import ElementTree as ET

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from gateway.convert import enum_values, to_json
from gongshi.v1 import feedback_pb2 as pb
from services.runtime.clock import CHINA_TZ

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the endpoint last changed in a way a client may notice (discovery `changeset`).
CHANGESET = "2026-12-01T00:00:00+08:00"
JSON_TYPE = "application/json"
XML_TYPE = "text/xml"

CATEGORIES = enum_values(pb.FeedbackCategory.DESCRIPTOR)
TARGET_TYPES = enum_values(pb.FeedbackTargetType.DESCRIPTOR)
OPEN_STATUSES = {
    pb.FEEDBACK_STATUS_RECEIVED,
    pb.FEEDBACK_STATUS_ACCEPTED,
    pb.FEEDBACK_STATUS_REPLIED,
    pb.FEEDBACK_STATUS_REOPENED,
}
SERVICE_NAMES = {
    "suggestion": "意见建议 Suggestion",
    "complaint": "投诉 Complaint",
    "report": "举报 Report",
    "information_wrong": "信息有误 Information is wrong",
    "question": "咨询 Question",
}
TARGET_NAMES = {
    "platform": "平台 The platform (a general complaint: the platform assigns it)",
    "agency": "执法主体 An agency (target_id: its code)",
    "duty_item": "权责清单事项 A duty item (target_id: its code; agency_code needed)",
    "procedure": "执法程序 A procedure (target_id: its code; agency_code needed)",
    "supervision_channel": "监督途径 A supervision channel (target_id: its code; agency_code needed)",
    "result": "执法结果 A published result (target_id: its id)",
}
# The service definition's attributes: code -> (datatype, description, values).
ATTRIBUTES = {
    "target_type": (
        "singlevaluelist",
        "What the feedback is about (none: a general complaint)",
        TARGET_NAMES,
    ),
    "target_id": ("string", "The code or id of that record", None),
    "agency_code": ("string", "The agency the record belongs to (duty items, procedures, channels)", None),
}
# Paths the spec defines: errors there take its shape, not problem details.
_SPEC_PATH = re.compile(r"^/api/v1/(services|requests|discovery)(/[^/]+)?\.(json|xml)$")


# ---------------------------------------------------------------- shapes


def local_time(instant: str) -> str | None:
    """ISO 8601 in China Standard Time: the spec wants a timezone on every datetime."""
    if not instant:
        return None
    return (
        dt.datetime.fromisoformat(instant.replace("Z", "+00:00"))
        .astimezone(CHINA_TZ)
        .isoformat("T", "seconds")
    )


def end_of(day: str) -> str | None:
    return f"{day}T23:59:59+08:00" if day else None


def _status_notes(f: pb.PublicFeedback) -> str | None:
    if f.status == pb.FEEDBACK_STATUS_REJECTED:
        return f.rejection_reason
    visible = [r.text for r in f.replies if r.text]
    if f.status in (pb.FEEDBACK_STATUS_REPLIED, pb.FEEDBACK_STATUS_CLOSED) and visible:
        return visible[-1]
    notes = [h.note for h in f.history if h.note]
    return notes[-1] if notes else None


def service_request(f: pb.PublicFeedback) -> dict[str, Any]:
    """One service request in GeoReport v2 shape, Gongshi's fields in `extended_attributes`."""
    extended = to_json(f)
    category = extended["category"]
    if f.status == pb.FEEDBACK_STATUS_RECEIVED:
        expected = end_of(f.acceptance_due)
    elif f.status in OPEN_STATUSES:
        expected = end_of(f.conclusion_due)
    else:
        expected = None
    extended["status_detail"] = extended.pop("status")
    for name in ("id", "text", "location"):
        extended.pop(name, None)
    location = f.location
    return {
        "service_request_id": f.id,
        "status": "open" if f.status in OPEN_STATUSES else "closed",
        "status_notes": _status_notes(f),
        "service_name": SERVICE_NAMES.get(category, category),
        "service_code": category,
        "description": f.text or None,
        "agency_responsible": f.agency_name or f.agency_code,
        "service_notice": None,
        "requested_datetime": local_time(f.received_at),
        "updated_datetime": local_time(f.updated_at),
        "expected_datetime": expected,
        "address": location.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": location.latitude if location.HasField("latitude") else None,
        "long": location.longitude if location.HasField("longitude") else None,
        "media_url": None,
        "extended_attributes": extended,
    }


def services() -> list[dict[str, Any]]:
    return [
        {
            "service_code": code,
            "service_name": SERVICE_NAMES[code],
            "description": SERVICE_NAMES[code],
            "metadata": True,  # the target is asked through the service definition
            "type": "realtime",
            "keywords": code,
            "group": "feedback",
        }
        for code in CATEGORIES
    ]


def service_definition(code: str) -> dict[str, Any]:
    attributes = []
    for order, (name, (datatype, description, values)) in enumerate(ATTRIBUTES.items(), start=1):
        attribute: dict[str, Any] = {
            "variable": True,
            "code": name,
            "datatype": datatype,
            "required": False,
            "datatype_description": None,
            "order": order,
            "description": description,
        }
        if values:
            attribute["values"] = [{"key": k, "name": v} for k, v in values.items()]
        attributes.append(attribute)
    return {"service_code": code, "attributes": attributes}


def discovery(base_url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": "Gongshi platform operator",
        "key_service": "No key is needed: submissions are anonymous and rate-limited per address.",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url.rstrip("/") + "/api/v1",
                "changeset": CHANGESET,
                "type": "production",
                "formats": [XML_TYPE, JSON_TYPE],
            }
        ],
    }


# ---------------------------------------------------------------- formats


def wants_xml(request: Request) -> bool:
    return request.url.path.endswith(".xml")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _append(parent: ET.Element, name: str, value: Any) -> None:
    """Nested objects become nested elements; a list repeats its items' element."""
    if isinstance(value, dict):
        node = ET.SubElement(parent, name)
        for key, inner in value.items():
            _append(node, key, inner)
    elif isinstance(value, list):
        node = ET.SubElement(parent, name)
        item = _ITEM_NAMES.get(name, "item")
        for inner in value:
            _append(node, item, inner)
    else:
        ET.SubElement(parent, name).text = _text(value)


# The spec's element names for its repeated children.
_ITEM_NAMES = {"attributes": "attribute", "values": "value", "formats": "format", "endpoints": "endpoint"}


def to_xml(root: str, item: str | None, body: Any) -> bytes:
    """`<root><item>...</item>...</root>` for a list, `<root>...</root>` for an object."""
    node = ET.Element(root)
    if item is None:
        for key, value in body.items():
            _append(node, key, value)
    else:
        for entry in body:
            _append(node, item, entry)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(node, encoding="utf-8") + b"\n"


def respond(
    request: Request,
    body: Any,
    root: str,
    item: str | None,
    status_code: int = 200,
    headers: dict | None = None,
) -> Response:
    if wants_xml(request):
        return Response(to_xml(root, item, body), status_code, headers, media_type=XML_TYPE)
    return JSONResponse(body, status_code, headers)


def is_spec_path(path: str) -> bool:
    return bool(_SPEC_PATH.match(path))


def errors_response(path: str, status: int, detail: str, errors: list[dict] | None) -> Response:
    """The spec's error list: one entry per refused field, or the detail alone."""
    entries = [
        {
            "code": status,
            "description": f"{e['field']}: {e['description']}" if e.get("field") else e["description"],
        }
        for e in errors or []
    ] or [{"code": status, "description": detail}]
    if path.endswith(".xml"):
        return Response(to_xml("errors", "error", entries), status, media_type=XML_TYPE)
    return JSONResponse(entries, status)

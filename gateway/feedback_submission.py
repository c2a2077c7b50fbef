"""Citizen feedback as the gateway receives and shows it: the submission
(JSON, form-encoded or multipart, Open311 field names), its checks before any
service sees it, the Open311 shape of a request and of the tracking view, and
gRPC errors named as this API names its fields. Used by the REST API
(routes/feedback.py), the Open311 endpoints (routes/open311.py) and the portal
pages (routes/feedback_pages.py)."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Any

import grpc
from fastapi import Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import FormData, UploadFile

from gateway import open311 as open311_shapes
from gateway import problems
from gateway.convert import to_json
from gateway.security import CSRF_FIELD
from gongshi.v1 import feedback_pb2 as pb
from services.runtime import limits

CATEGORIES = open311_shapes.CATEGORIES
TARGET_TYPES = open311_shapes.TARGET_TYPES
CLIENT_ADDRESS = "x-client-address"
SAVE_NOTICE = "请保存回执号和查询密码 / keep the tracking code and the secret: the secret is shown only once"
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
# Service field names -> the REST names a client sent.
REST_FIELDS = {
    "text": "description",
    "category": "service_code",
    "target.type": "target_type",
    "target.id": "target_id",
    "target.agency_code": "agency_code",
    "contact.name": "contact_name",
    "contact.phone": "phone",
    "contact.email": "email",
    "contact.address": "contact_address",
    "objection.party_name": "objection_party_name",
    "objection.party_identifier": "objection_party_identifier",
    "location.latitude": "lat",
    "location.longitude": "long",
    "location.address": "address_string",
}
# Open311 clients send the service definition's attributes as attribute[code]=value.
_ATTRIBUTE = re.compile(r"^attribute\[(\w+)\]$")

RequestId = Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9-]+$", description="the tracking code")]


# ---------------------------------------------------------------- shapes

open311 = open311_shapes.service_request


def tracked(view: pb.TrackedFeedback) -> dict[str, Any]:
    """The citizen's own view: the public request plus what only they may see."""
    body = open311(view.feedback)
    private = to_json(view)
    private.pop("feedback")
    body["private"] = private
    return body


def _problem_from_rpc(exc: grpc.aio.AioRpcError, request: Request | None = None) -> Response:
    """Like the app's gRPC handler, but naming fields as this API calls them."""
    errors = [
        {"field": _rest_field(e["field"]), "description": e["description"]}
        for e in problems.field_errors(exc)
    ]
    detail = exc.details() or exc.code().name
    for service_name, rest_name in REST_FIELDS.items():
        detail = detail.replace(f"{service_name}:", f"{rest_name}:")
    status = problems._HTTP_BY_GRPC.get(exc.code(), 500)
    detail = detail if status < 500 else "internal error"
    if request is not None:
        return problems.answer(request, status, detail, errors)
    return problems.problem(status, detail, errors)


def _rest_field(name: str) -> str:
    return REST_FIELDS.get(name, name)


def _key(request_id: str, secret: str) -> pb.TrackingKey:
    return pb.TrackingKey(tracking_code=request_id, secret=secret)


def _metadata(request: Request) -> list[tuple[str, str]]:
    return [(CLIENT_ADDRESS, request.client.host if request.client else "unknown")]


# ---------------------------------------------------------------- submission


class AttachmentIn(BaseModel):
    filename: str = Field(default="attachment", max_length=limits.SHORT_TEXT)
    content_type: str = Field(default="", max_length=100, description="declared; the content decides")
    data_base64: str = Field(description="the file, base64-encoded (PNG, JPEG or PDF)")


class FeedbackSubmission(BaseModel):
    """Open311 POST parameters plus Gongshi's. Unknown Open311 parameters are ignored.
    Without target_type and target_id the feedback is a general complaint the platform assigns."""

    model_config = ConfigDict(extra="ignore")

    service_code: str = Field(
        description="category: " + ", ".join(CATEGORIES), json_schema_extra={"enum": list(CATEGORIES)}
    )
    description: str = Field(
        description=f"the feedback, at most {limits.FEEDBACK_TEXT} characters",
        json_schema_extra={"minLength": 1, "maxLength": limits.FEEDBACK_TEXT},
    )
    target_type: str = Field(
        default="", description="one of: " + ", ".join(TARGET_TYPES) + " (default: agency with a target_id)"
    )
    target_id: str = Field(
        default="", description="agency code, duty item code, procedure, channel or result id"
    )
    lat: float | None = Field(default=None, description="WGS84 latitude (public)")
    long: float | None = Field(default=None, description="WGS84 longitude (public)")
    address_string: str = Field(default="", description="where it happened, as text (public)")
    agency_code: str = Field(default="", description="the record's agency (needed for duty items etc.)")
    contact_name: str = Field(default="", description="private: never published")
    first_name: str = Field(default="", description="Open311; private")
    last_name: str = Field(default="", description="Open311; private")
    email: str = Field(default="", description="private")
    phone: str = Field(default="", description="private")
    contact_address: str = Field(default="", description="private")
    display_name: str = Field(default="", description="shown publicly only with show_display_name")
    show_display_name: bool = Field(default=False, description="off by default: anonymous in public")
    objection_party_name: str = Field(default="", description="to object as the party to a published result")
    objection_party_identifier: str = Field(default="", description="USCC or ID number (private)")
    attachments: list[AttachmentIn] = Field(
        default_factory=list,
        description=(
            f"at most {limits.FEEDBACK_MAX_ATTACHMENTS} PNG/JPEG/PDF files, "
            f"{limits.FEEDBACK_MAX_ATTACHMENT_BYTES} bytes each, "
            f"{limits.FEEDBACK_MAX_ATTACHMENTS_TOTAL_BYTES} bytes together"
        ),
    )


def _inline(schema: dict) -> dict:
    """OpenAPI for a body the route parses itself: nested models inlined."""
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(defs[node["$ref"].rsplit("/", 1)[-1]])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


_SUBMISSION_SCHEMA = _inline(FeedbackSubmission.model_json_schema())
_FORM_SCHEMA = {
    **_SUBMISSION_SCHEMA,
    "properties": {
        **{k: v for k, v in _SUBMISSION_SCHEMA["properties"].items() if k != "attachments"},
        "media": {"type": "array", "items": {"type": "string", "format": "binary"}},
    },
}


def to_request(
    submission: FeedbackSubmission, files: list[tuple[str, str, bytes]]
) -> pb.SubmitFeedbackRequest:
    errors = []
    if submission.service_code not in CATEGORIES:
        errors.append(_error("service_code", "must be one of: " + ", ".join(CATEGORIES)))
    target_type = submission.target_type or ("agency" if submission.target_id else "platform")
    if target_type not in TARGET_TYPES:
        errors.append(_error("target_type", "must be one of: " + ", ".join(TARGET_TYPES)))
    uploads = list(files)
    for i, attachment in enumerate(submission.attachments):
        try:
            data = base64.b64decode(attachment.data_base64, validate=True)
        except (binascii.Error, ValueError):
            errors.append(_error(f"attachments.{i}.data_base64", "is not valid base64"))
            continue
        uploads.append((attachment.filename, attachment.content_type, data))
    if errors:
        raise RequestValidationError(errors)
    name = submission.contact_name or (submission.last_name + submission.first_name)
    request = pb.SubmitFeedbackRequest(
        target=pb.FeedbackTarget(
            type=TARGET_TYPES[target_type],
            id=submission.target_id,
            agency_code=submission.agency_code,
        ),
        category=CATEGORIES[submission.service_code],
        text=submission.description,
        contact=pb.ContactDetails(
            name=name, phone=submission.phone, email=submission.email, address=submission.contact_address
        ),
        display_name=submission.display_name,
        show_display_name=submission.show_display_name,
        attachments=[pb.AttachmentUpload(filename=f, content_type=c, data=d) for f, c, d in uploads],
        location=pb.Location(
            latitude=submission.lat, longitude=submission.long, address=submission.address_string
        ),
    )
    if submission.objection_party_name or submission.objection_party_identifier:
        request.objection.CopyFrom(
            pb.Objection(
                party_name=submission.objection_party_name,
                party_identifier=submission.objection_party_identifier,
            )
        )
    return request


def _error(field: str, message: str) -> dict:
    return {"loc": ("body", *field.split(".")), "msg": message, "type": "value_error"}


def _check_length(request: Request) -> None:
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise problems_error(411, "a Content-Length header is required")
    if int(length) > limits.FEEDBACK_MAX_HTTP_BODY_BYTES:
        raise problems_error(
            413, f"the request is {length} bytes; the limit is {limits.FEEDBACK_MAX_HTTP_BODY_BYTES} bytes"
        )


async def _read_form(request: Request) -> FormData:
    return await request.form(
        max_files=limits.FEEDBACK_MAX_ATTACHMENTS + 1,
        max_fields=100,
        max_part_size=limits.FEEDBACK_MAX_HTTP_BODY_BYTES,
    )


async def _from_form(form: FormData) -> tuple[FeedbackSubmission, list[tuple[str, str, bytes]]]:
    values: dict[str, Any] = {}
    files: list[tuple[str, str, bytes]] = []
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if key in ("media", "attachments") and value.filename:
                files.append((value.filename, value.content_type or "", await value.read()))
        elif attribute := _ATTRIBUTE.match(key):
            values[attribute.group(1)] = value
        elif key != CSRF_FIELD:
            values[key] = value
    if "show_display_name" in values:
        values["show_display_name"] = str(values["show_display_name"]).lower() in ("1", "true", "on", "yes")
    return _validated(values), files


def _validated(values: Any) -> FeedbackSubmission:
    try:
        return FeedbackSubmission.model_validate(values)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from exc


async def _read_submission(request: Request) -> tuple[FeedbackSubmission, list[tuple[str, str, bytes]]]:
    """JSON, url-encoded (Open311's own form) or multipart with files."""
    _check_length(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            raw = await request.json()
        except ValueError as exc:
            raise RequestValidationError([_error("body", "is not valid JSON")]) from exc
        return _validated(raw), []
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return await _from_form(await _read_form(request))
    raise problems_error(
        415, "send application/json, application/x-www-form-urlencoded or multipart/form-data"
    )


class _ProblemError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        self.status, self.detail = status, detail


def problems_error(status: int, detail: str) -> _ProblemError:
    return _ProblemError(status, detail)

"""Citizen feedback: the public REST API, modelled on Open311 GeoReport v2
service requests (so civic-tech clients can read it), and the portal pages
(a form that works without JavaScript, and the tracking page).

Public reads show only public data (masked text, no contact details). The
tracking view, reached with the tracking code AND the secret, is the only
response that ever carries the citizen's contact details back; the secret
travels in request bodies only, never in a URL.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import quote

import grpc
from fastapi import APIRouter, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import FormData, UploadFile

from gateway import display, form_errors, problems
from gateway import open311 as open311_shapes
from gateway.convert import to_json
from gateway.i18n import translator
from gateway.security import CSRF_FIELD, csrf_nonce, csrf_token, csrf_valid, set_csrf_cookie
from gongshi.v1 import common_pb2
from gongshi.v1 import feedback_pb2 as pb
from services.runtime import limits

router = APIRouter()
templates = Jinja2Templates(directory=FilePath(__file__).resolve().parent.parent / "templates")

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


def _readable(instant: str | None) -> str:
    """For pages: "2026-11-02 10:00" in China time (the markup keeps the full ISO value)."""
    local = open311_shapes.local_time(instant or "")
    return local[:16].replace("T", " ") if local else ""


templates.env.filters["local_time"] = _readable
display.install(templates.env)


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


# ---------------------------------------------------------------- REST API

TAG = "feedback (Open311)"


class SecretBody(BaseModel):
    secret: str = Field(min_length=1, max_length=100, description="the secret given at submission")


class InformationBody(SecretBody):
    text: str = Field(default="", description=f"at most {limits.FEEDBACK_TEXT} characters")
    attachments: list[AttachmentIn] = Field(default_factory=list)


class RatingBody(SecretBody):
    rating: int = Field(ge=1, le=5, description="1 very unsatisfied .. 5 very satisfied")
    comment: str = Field(default="", max_length=limits.MEDIUM_TEXT)


class ReopenBody(SecretBody):
    reason: str = Field(min_length=1, max_length=limits.MEDIUM_TEXT)


class FlagBody(BaseModel):
    reply_id: str = Field(default="", max_length=40, description="empty: flag the feedback text")
    reason: str = Field(default="", max_length=limits.MEDIUM_TEXT)


def _key(request_id: str, secret: str) -> pb.TrackingKey:
    return pb.TrackingKey(tracking_code=request_id, secret=secret)


async def _tracked_call(request: Request, call, message) -> Response:
    try:
        view = await call(message)
    except grpc.aio.AioRpcError as exc:
        return _problem_from_rpc(exc)
    return JSONResponse(tracked(view), headers=NO_STORE)


@router.post(
    "/api/v1/requests/{request_id}/tracking.json", tags=[TAG], summary="Track your feedback (code + secret)"
)
async def track(request: Request, request_id: RequestId, body: SecretBody) -> Response:
    """The citizen's own view, including the contact details they gave: the
    only response that ever returns them."""
    stub = request.app.state.clients.feedback
    return await _tracked_call(
        request, stub.TrackFeedback, pb.TrackFeedbackRequest(key=_key(request_id, body.secret))
    )


@router.post(
    "/api/v1/requests/{request_id}/information.json", tags=[TAG], summary="Add information to your feedback"
)
async def add_information(request: Request, request_id: RequestId, body: InformationBody) -> Response:
    uploads = []
    for i, attachment in enumerate(body.attachments):
        try:
            data = base64.b64decode(attachment.data_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise RequestValidationError(
                [_error(f"attachments.{i}.data_base64", "is not valid base64")]
            ) from exc
        uploads.append(pb.AttachmentUpload(filename=attachment.filename, data=data))
    message = pb.AddInformationRequest(key=_key(request_id, body.secret), text=body.text, attachments=uploads)
    return await _tracked_call(request, request.app.state.clients.feedback.AddInformation, message)


@router.post("/api/v1/requests/{request_id}/rating.json", tags=[TAG], summary="Rate the answer")
async def rate(request: Request, request_id: RequestId, body: RatingBody) -> Response:
    message = pb.RateAnswerRequest(
        key=_key(request_id, body.secret), rating=body.rating, comment=body.comment
    )
    return await _tracked_call(request, request.app.state.clients.feedback.RateAnswer, message)


@router.post("/api/v1/requests/{request_id}/reopen.json", tags=[TAG], summary="Reopen once if unsatisfied")
async def reopen(request: Request, request_id: RequestId, body: ReopenBody) -> Response:
    message = pb.ReopenFeedbackRequest(key=_key(request_id, body.secret), reason=body.reason)
    return await _tracked_call(request, request.app.state.clients.feedback.ReopenFeedback, message)


@router.post(
    "/api/v1/requests/{request_id}/flags.json", tags=[TAG], summary="Flag a feedback text or reply for review"
)
async def flag(request: Request, request_id: RequestId, body: FlagBody) -> dict:
    """Anyone may flag; after enough flags from different people the content is
    hidden until the agency reviews it."""
    reply = await request.app.state.clients.feedback.FlagContent(
        pb.FlagContentRequest(feedback_id=request_id, reply_id=body.reply_id, reason=body.reason),
        metadata=_metadata(request),
    )
    return {"counted": reply.counted, "moderation": to_json(reply)["moderation"]}


@router.post(
    "/api/v1/requests/{request_id}/attachments/{attachment_id}",
    tags=[TAG],
    summary="Download one of your attachments (code + secret)",
    response_class=Response,
)
async def attachment(
    request: Request,
    request_id: RequestId,
    attachment_id: Annotated[str, Path(max_length=40)],
    body: SecretBody,
) -> Response:
    try:
        found = await request.app.state.clients.feedback.GetAttachment(
            pb.GetAttachmentRequest(key=_key(request_id, body.secret), attachment_id=attachment_id)
        )
    except grpc.aio.AioRpcError as exc:
        return _problem_from_rpc(exc)
    return Response(
        found.data,
        media_type=found.info.content_type,
        headers={
            **NO_STORE,
            "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(found.info.filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _quote(name: str) -> str:
    return quote(name, safe="")


@router.get("/api/v1/feedback/statistics.json", tags=[TAG], summary="Feedback figures per agency")
async def statistics(
    request: Request,
    agency: Annotated[str | None, Query(pattern=limits.AGENCY_CODE_PATTERN)] = None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
) -> dict:
    """Received, accepted, rejected, transferred, on-time reply rate, median
    hours to the first reply and satisfaction (mean rating 1-5)."""
    reply = await request.app.state.clients.feedback.GetStatistics(
        pb.FeedbackStatisticsRequest(
            agency_code=agency or "",
            received_from=received_from.isoformat() if received_from else "",
            received_to=received_to.isoformat() if received_to else "",
        )
    )
    return {"data": [to_json(a) for a in reply.agencies]}


# ---------------------------------------------------------------- portal pages


def _context(request: Request, **values) -> dict:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    lang = lang if lang in ("zh", "en") else "zh"
    return {"request": request, "lang": lang, "t": translator(lang), **values}


def _page(
    request: Request, template: str, status_code: int = 200, *, private: bool = False, **values
) -> HTMLResponse:
    nonce = csrf_nonce(request)
    context = _context(request, csrf=csrf_token(nonce), csrf_field=CSRF_FIELD, **values)
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    set_csrf_cookie(request, response, nonce)
    if private:
        response.headers.update(NO_STORE)
    return response


FORM_DEFAULTS = {
    "target_type": "agency",
    "target_id": "",
    "agency_code": "",
    "service_code": "complaint",
    "description": "",
    "contact_name": "",
    "phone": "",
    "email": "",
    "contact_address": "",
    "display_name": "",
    "show_display_name": "",
    "objection_party_name": "",
    "objection_party_identifier": "",
}


def _form_values(source) -> dict[str, str]:
    return {k: str(source.get(k, default))[: limits.FEEDBACK_TEXT] for k, default in FORM_DEFAULTS.items()}


def _form_page(
    request: Request, values: dict, status_code: int = 200, errors=None, message: str = ""
) -> HTMLResponse:
    context = _context(request)
    return _page(
        request,
        "feedback_form.html",
        status_code,
        values=values,
        # In the page's language, by the field's label (the API answers in English).
        errors=form_errors.translated(errors or [], context["t"], context["lang"]),
        labels=form_errors.LABELS,
        message=message,
        categories=list(CATEGORIES),
        target_types=list(TARGET_TYPES),
        limits=limits,
    )


@router.get("/feedback/new", response_class=HTMLResponse, include_in_schema=False)
async def feedback_form(request: Request):
    return _form_page(request, _form_values(request.query_params))


@router.post("/feedback/new", response_class=HTMLResponse, include_in_schema=False)
async def feedback_form_post(request: Request):
    t = _context(request)["t"]
    try:
        _check_length(request)
        form = await _read_form(request)
    except _ProblemError as exc:
        text = t("fb.too_large") if exc.status == 413 else t("fb.refused")
        return _form_page(request, dict(FORM_DEFAULTS), exc.status, message=text)
    values = _form_values(form)
    if not csrf_valid(request, str(form.get(CSRF_FIELD, ""))):
        return _form_page(request, values, 403, message=t("fb.csrf"))
    try:
        message = to_request(*await _from_form(form))
        reply = await request.app.state.clients.feedback.SubmitFeedback(message, metadata=_metadata(request))
    except RequestValidationError as exc:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"][1:]), "description": e["msg"]} for e in exc.errors()
        ]
        return _form_page(request, values, 400, errors, t("fb.fix_errors"))
    except grpc.aio.AioRpcError as exc:
        status = problems._HTTP_BY_GRPC.get(exc.code(), 500)
        errors = [
            {"field": _rest_field(e["field"]), "description": e["description"]}
            for e in problems.field_errors(exc)
        ]
        if errors:
            text = t("fb.fix_errors")
        else:  # the service's reason is English: say it in the page's language
            text = t({429: "fb.too_many", 412: "fb.not_open", 409: "fb.not_open"}.get(status, "fb.refused"))
            text = t("fb.unavailable") if status >= 500 else text
        return _form_page(request, values, status, errors, text)
    return _page(
        request, "feedback_submitted.html", 201, private=True, reply=reply, f=open311(reply.feedback)
    )


@router.get("/feedback/track", response_class=HTMLResponse, include_in_schema=False)
async def track_form(request: Request):
    return _page(request, "feedback_track.html", code=request.query_params.get("code", "")[:40], view=None)


@router.post("/feedback/track", response_class=HTMLResponse, include_in_schema=False)
async def track_post(request: Request):
    """One page for every citizen action: view, add information, rate, reopen."""
    t = _context(request)["t"]
    form = await request.form(max_files=0, max_fields=20, max_part_size=limits.FEEDBACK_TEXT * 4)
    code, secret = str(form.get("code", "")).strip()[:40], str(form.get("secret", "")).strip()[:100]
    if not csrf_valid(request, str(form.get(CSRF_FIELD, ""))):
        return _page(request, "feedback_track.html", 403, code=code, view=None, message=t("fb.csrf"))
    stub = request.app.state.clients.feedback
    key = _key(code, secret)
    action = str(form.get("action", "view"))
    notice = ""
    try:
        if action == "add":
            view = await stub.AddInformation(
                pb.AddInformationRequest(key=key, text=str(form.get("text", "")))
            )
            notice = t("fb.added")
        elif action == "rate":
            rating = str(form.get("rating", ""))
            view = await stub.RateAnswer(
                pb.RateAnswerRequest(
                    key=key,
                    rating=int(rating) if rating.isdigit() else 0,
                    comment=str(form.get("comment", "")),
                )
            )
            notice = t("fb.rated")
        elif action == "reopen":
            view = await stub.ReopenFeedback(
                pb.ReopenFeedbackRequest(key=key, reason=str(form.get("reason", "")))
            )
            notice = t("fb.reopened")
        else:
            view = await stub.TrackFeedback(pb.TrackFeedbackRequest(key=key))
    except grpc.aio.AioRpcError as exc:
        status = problems._HTTP_BY_GRPC.get(exc.code(), 500)
        message = form_errors.action_refused(exc, status, action, t, _context(request)["lang"])
        view = None
        if status != 404:  # keep showing the case when only the action failed
            try:
                view = await stub.TrackFeedback(pb.TrackFeedbackRequest(key=key))
            except grpc.aio.AioRpcError:
                view = None
        return _page(
            request,
            "feedback_track.html",
            status,
            private=True,
            code=code,
            secret=secret,
            message=message,
            view=tracked(view) if view else None,
        )
    return _page(
        request,
        "feedback_track.html",
        private=True,
        code=code,
        secret=secret,
        notice=notice,
        view=tracked(view),
    )


@router.get("/feedback", response_class=HTMLResponse, include_in_schema=False)
async def feedback_list(request: Request):
    agency = request.query_params.get("agency", "")
    agency = agency if re.match(limits.AGENCY_CODE_PATTERN, agency) else ""
    reply = await request.app.state.clients.feedback.ListFeedback(
        pb.ListFeedbackRequest(page=common_pb2.PageRequest(page_size=50), agency_code=agency)
    )
    return _page(
        request,
        "feedback_list.html",
        items=[open311(f) for f in reply.feedback],
        total=reply.total,
        agency=agency,
    )


@router.get("/feedback/{request_id}", response_class=HTMLResponse, include_in_schema=False)
async def feedback_page(request: Request, request_id: RequestId):
    public = await request.app.state.clients.feedback.GetFeedback(pb.GetFeedbackRequest(id=request_id))
    return _page(request, "feedback_case.html", f=open311(public))


@router.post("/feedback/{request_id}/flag", include_in_schema=False)
async def feedback_flag(request: Request, request_id: RequestId):
    form = await request.form(max_files=0, max_fields=10, max_part_size=limits.MEDIUM_TEXT * 4)
    if csrf_valid(request, str(form.get(CSRF_FIELD, ""))):
        await request.app.state.clients.feedback.FlagContent(
            pb.FlagContentRequest(
                feedback_id=request_id,
                reply_id=str(form.get("reply_id", ""))[:40],
                reason=str(form.get("reason", ""))[: limits.MEDIUM_TEXT],
            ),
            metadata=_metadata(request),
        )
    return RedirectResponse(f"/feedback/{request_id}?flagged=1", status_code=303)

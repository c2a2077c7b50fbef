"""Citizen feedback in the portal: a form that works without JavaScript, the
receipt, the tracking page, and the public list and case pages."""

from __future__ import annotations

import re
from pathlib import Path as FilePath

import grpc
from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from gateway import display, form_errors, problems
from gateway import open311 as open311_shapes
from gateway.feedback_submission import (
    CATEGORIES,
    NO_STORE,
    TARGET_TYPES,
    RequestId,
    _check_length,
    _from_form,
    _key,
    _metadata,
    _ProblemError,
    _read_form,
    _rest_field,
    open311,
    to_request,
    tracked,
)
from gateway.i18n import translator
from gateway.security import CSRF_FIELD, csrf_nonce, csrf_token, csrf_valid, set_csrf_cookie
from gongshi.v1 import common_pb2
from gongshi.v1 import feedback_pb2 as pb
from services.runtime import limits

router = APIRouter()
templates = Jinja2Templates(directory=FilePath(__file__).resolve().parent.parent / "templates")


def _readable(instant: str | None) -> str:
    """For pages: "2026-11-02 10:00" in China time (the markup keeps the full ISO value)."""
    local = open311_shapes.local_time(instant or "")
    return local[:16].replace("T", " ") if local else ""


templates.env.filters["local_time"] = _readable
display.install(templates.env)


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

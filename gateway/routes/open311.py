"""The Open311 GeoReport v2 endpoints: discovery, services, service
definitions, and service requests (submit, list, read), each as `.json` and
as `.xml` (the spec's required format). Errors on these paths take the spec's
shape (gateway/problems.py `answer`).

Gongshi's own citizen actions (tracking with the secret, rating, reopening)
stay in routes/feedback.py: the spec has no word for them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import grpc
from fastapi import APIRouter, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from gateway import open311, problems, schemas
from gateway.convert import enum_values
from gateway.feedback_submission import (
    _FORM_SCHEMA,
    _SUBMISSION_SCHEMA,
    NO_STORE,
    SAVE_NOTICE,
    RequestId,
    _error,
    _metadata,
    _problem_from_rpc,
    _ProblemError,
    _read_submission,
    to_request,
)
from gateway.queries import page_request
from gongshi.v1 import feedback_pb2 as pb
from services.runtime import limits
from services.runtime.clock import CHINA_TZ

router = APIRouter()
TAG = "feedback (Open311)"
STATUSES = enum_values(pb.FeedbackStatus.DESCRIPTOR)
ServiceCode = Annotated[
    str, Path(pattern="^(" + "|".join(open311.CATEGORIES) + ")$", description="a service_code")
]


def spec_route(method: str, stem: str, *, root: str, item: str | None, schema: dict, **options):
    """Register one handler at `stem.json` and `stem.xml`, each documented with its format."""

    def register(handler):
        status = options.pop("status_code", 200)
        for fmt, content in (("json", schemas.json_content(schema)), ("xml", schemas.xml_content(root))):
            router.api_route(
                f"{stem}.{fmt}",
                methods=[method],
                tags=[TAG],
                status_code=status,
                response_class=Response,
                responses={status: {"description": "OK", "content": content}, **schemas.open311_errors()},
                **options,
            )(handler)
        return handler

    return register


@spec_route(
    "GET",
    "/api/v1/discovery",
    root="discovery",
    item=None,
    schema=schemas.OPEN311_DISCOVERY,
    summary="Service discovery (Open311): the endpoint, its formats and changeset",
)
async def discovery(request: Request) -> Response:
    return open311.respond(request, open311.discovery(str(request.base_url)), "discovery", None)


@spec_route(
    "GET",
    "/api/v1/services",
    root="services",
    item="service",
    schema=schemas.OPEN311_SERVICES,
    summary="Feedback categories (Open311 service list)",
)
async def services(request: Request) -> Response:
    return open311.respond(request, open311.services(), "services", "service")


@spec_route(
    "GET",
    "/api/v1/services/{service_code}",
    root="service_definition",
    item=None,
    schema=schemas.OPEN311_DEFINITION,
    summary="What to say about the target (Open311 service definition)",
)
async def service_definition(request: Request, service_code: ServiceCode) -> Response:
    """The attributes a client may send as `attribute[code]=value`: the target's type and id.
    Without them the request is a general complaint that the platform assigns."""
    return open311.respond(request, open311.service_definition(service_code), "service_definition", None)


@spec_route(
    "POST",
    "/api/v1/requests",
    root="service_requests",
    item="request",
    schema=schemas.OPEN311_CREATED,
    status_code=201,
    summary="Submit feedback (Open311 POST service request)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": _FORM_SCHEMA},
                "application/json": {"schema": _SUBMISSION_SCHEMA},
                "multipart/form-data": {"schema": _FORM_SCHEMA},
            },
        }
    },
)
async def submit(request: Request) -> Response:
    """Anonymous by default: contact details are optional and never published.
    The answer carries the tracking code (`service_request_id`) and a `secret`
    shown only once; both are needed to follow the case. Identical text about
    the same record within minutes is linked to the earlier case (`linked`)."""
    try:
        submission, files = await _read_submission(request)
    except _ProblemError as exc:
        return problems.answer(request, exc.status, exc.detail)
    message = to_request(submission, files)
    try:
        reply = await request.app.state.clients.feedback.SubmitFeedback(message, metadata=_metadata(request))
    except grpc.aio.AioRpcError as exc:
        return _problem_from_rpc(exc, request)
    body = [
        {
            "service_request_id": reply.tracking_code,
            "secret": reply.secret,
            "linked": reply.linked,
            "service_notice": SAVE_NOTICE,
            "account_id": None,
            "token": None,
            "expected_datetime": open311.end_of(reply.feedback.acceptance_due),
        }
    ]
    return open311.respond(request, body, "service_requests", "request", 201, NO_STORE)


def _instant(name: str, value: str | None, end: bool) -> dt.datetime | None:
    """The spec's start_date/end_date: a datetime with offset, or (ours) a China date."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            moment = dt.time.max if end else dt.time.min
            return dt.datetime.combine(day, moment, CHINA_TZ)
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RequestValidationError([_error(name, "is not an ISO 8601 date or datetime")]) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA_TZ)


def _split(name: str, value: str | None, allowed) -> list[str]:
    items = [v.strip() for v in (value or "").split(",") if v.strip()]
    wrong = [v for v in items if v not in allowed]
    if wrong:
        raise RequestValidationError(
            [_error(name, f"unknown value {wrong[0]!r}: one of " + ", ".join(allowed))]
        )
    return items


@spec_route(
    "GET",
    "/api/v1/requests",
    root="service_requests",
    item="request",
    schema=schemas.OPEN311_REQUESTS,
    summary="List feedback (Open311 GET service requests)",
)
async def list_requests(
    request: Request,
    service_request_id: Annotated[
        str | None,
        Query(
            max_length=41 * limits.OPEN311_MAX_REQUEST_IDS,
            description="comma-separated ids: when given, every other filter is ignored",
        ),
    ] = None,
    agency_responsible: Annotated[
        str | None, Query(pattern=limits.AGENCY_CODE_PATTERN, description="agency code")
    ] = None,
    service_code: Annotated[str | None, Query(pattern="^(" + "|".join(open311.CATEGORIES) + ")$")] = None,
    status: Annotated[str | None, Query(max_length=40, description="open, closed or open,closed")] = None,
    status_detail: Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$")] = None,
    target_type: Annotated[str | None, Query(pattern="^(" + "|".join(open311.TARGET_TYPES) + ")$")] = None,
    target_id: Annotated[str | None, Query(max_length=limits.SHORT_TEXT)] = None,
    start_date: Annotated[
        str | None,
        Query(max_length=40, description="received at or after (ISO 8601 datetime, or a China date)"),
    ] = None,
    end_date: Annotated[
        str | None,
        Query(max_length=40, description="received at or before (ISO 8601 datetime, or a China date)"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=limits.MAX_PAGE_SIZE)] = limits.DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Newest first. Without start_date and end_date, the last 90 days (the spec's default).
    The spec returns a bare array: the total is in `X-Total-Count` and the next page in a
    `Link: <...>; rel="next"` header (at most 200 per page, within the spec's 1,000)."""
    if service_request_id is not None:
        return await _by_ids(request, service_request_id)
    statuses = set(_split("status", status, ("open", "closed")))
    start, end = _instant("start_date", start_date, False), _instant("end_date", end_date, True)
    if start is None and end is None:
        start = dt.datetime.now(CHINA_TZ) - dt.timedelta(days=limits.OPEN311_DEFAULT_WINDOW_DAYS)
    stub = request.app.state.clients.feedback
    reply = await stub.ListFeedback(
        pb.ListFeedbackRequest(
            page=page_request(limit, cursor),
            agency_code=agency_responsible or "",
            category=open311.CATEGORIES[service_code] if service_code else 0,
            status=STATUSES[status_detail] if status_detail else 0,
            target_type=open311.TARGET_TYPES[target_type] if target_type else 0,
            target_id=target_id or "",
            received_from=start.astimezone(CHINA_TZ).date().isoformat() if start else "",
            received_to=end.astimezone(CHINA_TZ).date().isoformat() if end else "",
            open_only=statuses == {"open"},
            open_only_set=len(statuses) == 1,
        )
    )
    # The service filters on China dates; a datetime bound is exact.
    found = [
        f
        for f in reply.feedback
        if (start is None or _received(f) >= start) and (end is None or _received(f) <= end)
    ]
    headers = {"X-Total-Count": str(reply.total)}
    if reply.next_page_token:
        next_url = request.url.include_query_params(cursor=reply.next_page_token)
        headers["Link"] = f'<{next_url}>; rel="next"'
    body = [open311.service_request(f) for f in found]
    return open311.respond(request, body, "service_requests", "request", headers=headers)


def _received(f: pb.PublicFeedback) -> dt.datetime:
    return dt.datetime.fromisoformat(f.received_at.replace("Z", "+00:00"))


async def _by_ids(request: Request, ids: str) -> Response:
    wanted = list(dict.fromkeys(v.strip() for v in ids.split(",") if v.strip()))
    if len(wanted) > limits.OPEN311_MAX_REQUEST_IDS:
        raise RequestValidationError(
            [
                _error(
                    "service_request_id",
                    f"names {len(wanted)} ids; the limit is {limits.OPEN311_MAX_REQUEST_IDS}",
                )
            ]
        )
    found = []
    for request_id in wanted:
        try:
            found.append(
                await request.app.state.clients.feedback.GetFeedback(pb.GetFeedbackRequest(id=request_id))
            )
        except grpc.aio.AioRpcError as exc:
            if exc.code() not in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
                raise
    body = [open311.service_request(f) for f in found]
    return open311.respond(
        request, body, "service_requests", "request", headers={"X-Total-Count": str(len(body))}
    )


@spec_route(
    "GET",
    "/api/v1/requests/{request_id}",
    root="service_requests",
    item="request",
    schema=schemas.OPEN311_REQUESTS,
    summary="One feedback case, public view (Open311)",
)
async def get_request(request: Request, request_id: RequestId) -> Response:
    """The spec answers with a one-element array. Only public data: masked text, replies, history."""
    found = await request.app.state.clients.feedback.GetFeedback(pb.GetFeedbackRequest(id=request_id))
    return open311.respond(request, [open311.service_request(found)], "service_requests", "request")

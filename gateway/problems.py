"""HTTP problem details (RFC 9457) for every error the gateway returns."""

from __future__ import annotations

import logging

import grpc
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from starlette.exceptions import HTTPException

from gateway import open311

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)

_HTTP_BY_GRPC = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Content Too Large",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def problem(status: int, detail: str, errors: list[dict] | None = None) -> JSONResponse:
    body: dict = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def answer(request: Request, status: int, detail: str, errors: list[dict] | None = None) -> Response:
    """Problem details, except on the Open311 paths, which answer in the spec's error shape."""
    return answer_for(request.url.path, status, detail, errors)


def answer_for(path: str, status: int, detail: str, errors: list[dict] | None = None) -> Response:
    if open311.is_spec_path(path):
        return open311.errors_response(path, status, detail, errors)
    return problem(status, detail, errors)


# Request fields every list shares, named as the REST client sent them.
_REST_NAMES = {"page.page_token": "cursor", "page.page_size": "limit"}


def field_errors(exc: grpc.aio.AioRpcError) -> list[dict]:
    """The google.rpc.BadRequest field violations a service attached, if any,
    with the shared paging fields named as the REST client sent them."""
    status = rpc_status.from_call(exc)
    errors = []
    for detail in status.details if status else []:
        bad_request = error_details_pb2.BadRequest()
        if detail.Unpack(bad_request):
            errors.extend(
                {"field": _REST_NAMES.get(v.field, v.field), "description": v.description}
                for v in bad_request.field_violations
            )
    return errors


async def grpc_error_handler(request: Request, exc: grpc.aio.AioRpcError) -> Response:
    status = _HTTP_BY_GRPC.get(exc.code(), 500)
    detail = exc.details() if status < 500 or status in (503, 504) else "internal error"
    for service_name, rest_name in _REST_NAMES.items():
        detail = (detail or "").replace(f"{service_name}:", f"{rest_name}:")
    return answer(request, status, detail or exc.code().name, field_errors(exc))


async def validation_error_handler(request: Request, exc: RequestValidationError) -> Response:
    errors = [
        {"field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]), "description": e["msg"]}
        for e in exc.errors()
    ]
    return answer(request, 400, "the request has invalid parameters", errors)


# What FastAPI says when a body is not JSON (or not the declared content type).
_UNPARSEABLE_BODY = "There was an error parsing the body"


async def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    """Even a bug answers in the documented error shape, without internals."""
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return answer(request, 500, "internal error; it has been logged")


async def http_error_handler(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 400 and exc.detail == _UNPARSEABLE_BODY:
        # Every 400 names the field it refuses; here it is the body as a whole.
        errors = [{"field": "body", "description": "is not a valid JSON document of the declared shape"}]
        return answer(request, 400, "the request body cannot be parsed", errors)
    if exc.status_code == 400 and "multipart" in str(exc.detail).lower():
        # Starlette's form parser ("Missing boundary in multipart." ...).
        return answer(request, 400, str(exc.detail), [{"field": "body", "description": str(exc.detail)}])
    return answer(request, exc.status_code, str(exc.detail))

"""What the ex-ante publicity routes (gateway/routes/duties.py,
duties_pages.py and procedures.py) share: query parameter types, the JSON list
and version-history shapes, portal page rendering (a list page with its
filters, a record page with its versions), and soft parsing of portal filters
(a page never fails on a bad filter; it ignores it)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path as FsPath
from typing import Annotated, Any

import grpc
from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from google.protobuf.descriptor import EnumDescriptor

from gateway import agencies, display
from gateway.convert import enum_values, listing, to_json
from gateway.i18n import translator
from gateway.queries import page_request
from gongshi.v1 import common_pb2
from services.runtime import limits

templates = Jinja2Templates(directory=FsPath(__file__).resolve().parent / "templates")
assert templates.env.autoescape, "every page escapes output"
display.install(templates.env)

AgencyCode = Annotated[str, Path(pattern=limits.AGENCY_CODE_PATTERN, description="agency code")]
RecordCode = Annotated[str, Path(pattern=limits.RECORD_CODE_PATTERN, description="the record's code")]
AgencyFilter = Annotated[str | None, Query(pattern=limits.AGENCY_CODE_PATTERN, description="agency code")]
RegionFilter = Annotated[str | None, Query(pattern=r"^\d{6}$", description="6-digit region code")]
TextQuery = Annotated[str | None, Query(max_length=limits.SHORT_TEXT, description="substring of the name")]
Version = Annotated[
    int, Query(ge=0, le=2**31 - 1, description="a version number; 0 or absent: the current version")
]


def enum_query(enum: EnumDescriptor) -> type:
    names = enum_values(enum)
    return Annotated[
        str | None, Query(description="one of: " + ", ".join(names), pattern="^(" + "|".join(names) + ")$")
    ]


def record_request(agency: str, code: str, version: int = 0) -> common_pb2.GetRecordRequest:
    return common_pb2.GetRecordRequest(agency_code=agency, code=code, version=version)


def versions_request(
    agency: str, code: str, limit: int, cursor: str | None
) -> common_pb2.ListVersionsRequest:
    return common_pb2.ListVersionsRequest(agency_code=agency, code=code, page=page_request(limit, cursor))


async def version_listing(list_versions, agency: str, code: str, limit: int, cursor: str | None) -> dict:
    """A record's version history as a REST list (every .../versions route)."""
    reply = await list_versions(versions_request(agency, code, limit, cursor))
    return listing(reply.versions, reply.total, limit, reply.next_page_token)


# ---- portal ------------------------------------------------------------------

REGION = r"^\d{6}$"
ANY = r"^.*$"
PORTAL_PAGE_SIZE = 50


def language(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    return lang if lang in ("zh", "en") else "zh"


def render(request: Request, template: str, status_code: int = 200, **values) -> HTMLResponse:
    lang = language(request)
    context = {"request": request, "lang": lang, "t": translator(lang), **values}
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
    return response


def not_found(request: Request, exc: grpc.aio.AioRpcError) -> HTMLResponse:
    if exc.code() != grpc.StatusCode.NOT_FOUND:
        raise exc
    return render(request, "duties_not_found.html", status_code=404, detail=exc.details())


def soft(request: Request, name: str, pattern: str, max_len: int = limits.SHORT_TEXT) -> str:
    """A portal filter value, or "" when it is not valid."""
    value = request.query_params.get(name, "").strip()
    return value if len(value) <= max_len and re.match(pattern, value) else ""


def soft_enum(request: Request, name: str, enum: EnumDescriptor) -> tuple[str, int]:
    value = request.query_params.get(name, "").strip()
    number = enum_values(enum).get(value, 0)
    return (value if number else ""), number


def soft_version(request: Request) -> int:
    value = request.query_params.get("version", "")
    return int(value) if value.isdigit() and len(value) < 9 else 0


def options(enum: EnumDescriptor, key_prefix: str, lang: str) -> list[tuple[str, str]]:
    t = translator(lang)
    return [(name, t(f"{key_prefix}.{name}")) for name in enum_values(enum)]


def soft_cursor(request: Request) -> str:
    return soft(request, "cursor", r"^[A-Za-z0-9_=-]*$", 200)


def portal_page(request: Request) -> common_pb2.PageRequest:
    """The page a portal list asks for: PORTAL_PAGE_SIZE rows from the cursor in its URL."""
    return page_request(PORTAL_PAGE_SIZE, soft_cursor(request))


def next_url(request: Request, token: str) -> str:
    """The URL of the next page: this page's query with the next cursor."""
    if not token:
        return ""
    return str(request.url.replace_query_params(**{**request.query_params, "cursor": token}))


# A list page's filters: the label is a text key, translated when the page renders.
def text_filter(name: str, label: str, value: str) -> dict:
    return {"name": name, "label": label, "value": value, "kind": "text"}


def select_filter(name: str, label: str, value: str, enum: EnumDescriptor, key_prefix: str) -> dict:
    """A choice among an enum's values, each shown as the text `<key_prefix>.<value>`."""
    return {"name": name, "label": label, "value": value, "kind": "select", "options": (enum, key_prefix)}


def checkbox_filter(name: str, label: str, value: bool) -> dict:
    return {"name": name, "label": label, "value": value, "kind": "checkbox"}


def agency_cell(code: str) -> dict:
    """A list cell naming an agency by its code, linked to the agency's page."""
    return {"text": code, "href": f"/agencies/{code}"}


def list_page(
    request: Request,
    template: str,
    name: str,
    reply,
    rows: list,
    filters: list[dict],
    headers: list[str],
    **values,
) -> HTMLResponse:
    """A portal list page of `reply` (a List... reply): title and intro are the
    texts ex.<name> and ex.<name>_intro, `headers` are text keys; then the
    total and the link to the next page."""
    lang = language(request)
    t = translator(lang)
    shown_filters = []
    for f in filters:
        shown = {**f, "label": t(f["label"])}
        if f["kind"] == "select":
            shown["options"] = options(*f["options"], lang)
        shown_filters.append(shown)
    return render(
        request,
        template,
        title=t(f"ex.{name}"),
        intro=t(f"ex.{name}_intro"),
        filters=shown_filters,
        headers=[t(key) for key in headers],
        rows=rows,
        total=reply.total,
        next_url=next_url(request, reply.next_page_token),
        **values,
    )


async def fetch_versioned(request: Request, get, list_versions, agency: str, code: str) -> tuple:
    """One record as the page shows it (?version=N, else current) and its whole history."""
    shown = await get(record_request(agency, code, soft_version(request)))
    history = await list_versions(versions_request(agency, code, limits.MAX_PAGE_SIZE, None))
    return shown, [to_json(v) for v in history.versions]


async def record_page(
    request: Request,
    get,
    list_versions,
    agency: str,
    code: str,
    template: str,
    name: str,
    base_url: str,
    *,
    names_agency: bool = True,
    more: Callable[[Any], Awaitable[dict]] | None = None,
) -> HTMLResponse:
    """The detail page of a versioned ex-ante record (?version=N, else the
    current one) with its history; NOT_FOUND becomes the 404 page. `more`
    reads what else the page shows about the record shown."""
    try:
        shown, versions = await fetch_versioned(request, get, list_versions, agency, code)
    except grpc.aio.AioRpcError as exc:
        return not_found(request, exc)
    if names_agency:
        await agencies.ensure(request.app.state.clients, [agency])  # the page names its agency
    extra = await more(shown) if more is not None else {}
    return render(request, template, **{name: to_json(shown)}, **extra, versions=versions, base_url=base_url)

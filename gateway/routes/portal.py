"""The public portal: server-rendered pages that work without JavaScript."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import grpc
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from gateway import cache
from gateway.charts import bar_chart, stacked_chart
from gateway.convert import to_json
from gateway.i18n import translator
from gateway.problems import field_errors
from gateway.queries import (
    CATEGORIES,
    PENALTY_KINDS,
    SEARCHABLE_STATUSES,
    SORTS,
    ResultFilters,
    search_request,
)
from gateway.reports import report_view, wan_yuan
from gongshi.v1 import feedback_pb2
from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb
from services.runtime import limits

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")
assert templates.env.autoescape, "every page escapes output"

RECORD_TYPES = ("results", "duty_items", "procedures")
FORM_FIELDS = (
    "q",
    "type",
    "agency",
    "region",
    "category",
    "penalty_kind",
    "status",
    "decided_from",
    "decided_to",
    "sort",
)


def _context(request: Request, **values) -> dict:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    lang = lang if lang in ("zh", "en") else "zh"
    return {"request": request, "lang": lang, "t": translator(lang), "wan_yuan": wan_yuan, **values}


def _render(request: Request, template: str, status_code: int = 200, **values) -> HTMLResponse:
    context = _context(request, **values)
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie("lang", context["lang"], max_age=365 * 86400, samesite="lax")
    return response


def _form(request: Request) -> tuple[dict, list[str]]:
    """The search form's values, keeping only valid ones (a portal page never fails on a bad field)."""
    raw = {k: request.query_params.get(k, "").strip() for k in FORM_FIELDS}
    errors = []
    checks = {
        "category": CATEGORIES,
        "penalty_kind": PENALTY_KINDS,
        "status": SEARCHABLE_STATUSES,
        "sort": SORTS,
        "type": RECORD_TYPES,
    }
    for name, allowed in checks.items():
        if raw[name] and raw[name] not in allowed:
            errors.append(name)
            raw[name] = ""
    for name in ("decided_from", "decided_to"):
        if raw[name]:
            try:
                dt.date.fromisoformat(raw[name])
            except ValueError:
                errors.append(name)
                raw[name] = ""
    if len(raw["q"]) > limits.MAX_SEARCH_QUERY_CHARS:
        errors.append("q")
        raw["q"] = raw["q"][: limits.MAX_SEARCH_QUERY_CHARS]
    return raw, errors


def _filters(form: dict) -> ResultFilters:
    try:
        return ResultFilters(
            form["agency"] or None,
            form["region"] or None,
            form["category"] or None,
            dt.date.fromisoformat(form["decided_from"]) if form["decided_from"] else None,
            dt.date.fromisoformat(form["decided_to"]) if form["decided_to"] else None,
        )
    except (ValueError, ValidationError):
        return ResultFilters()


def _options(t) -> dict:
    return {
        "categories": [(c, t("cat." + c)) for c in CATEGORIES],
        "penalty_kinds": [(k, t("pk." + k)) for k in PENALTY_KINDS],
        "statuses": [(s, t("status." + s)) for s in SEARCHABLE_STATUSES],
        "sorts": [(s, t("sort." + s)) for s in SORTS],
        "types": [(r, t("type." + r)) for r in RECORD_TYPES],
    }


@router.get("/", response_class=HTMLResponse)
async def home(request: Request):
    query = request.app.state.clients.results_query
    latest = await query.SearchResults(
        search_request(
            ResultFilters(), q=None, penalty_kind=None, status=None, sort="newest", limit=10, cursor=None
        )
    )
    stats = await cache.statistics(request.app.state.clients, qpb.StatisticsRequest())
    return _render(
        request,
        "home.html",
        latest=[to_json(h.result) for h in latest.hits],
        stats=stats,
        options=_options(translator(_context(request)["lang"])),
    )


@router.get("/search", response_class=HTMLResponse)
async def search_page(request: Request):
    form, errors = _form(request)
    cursor = request.query_params.get("cursor", "")[:200] or None
    t = translator(_context(request)["lang"])
    if form["type"] in ("duty_items", "procedures"):
        return await _search_ex_ante_page(request, form, errors, cursor, t)
    refusal = ""
    try:
        reply = await request.app.state.clients.results_query.SearchResults(
            search_request(
                _filters(form),
                q=form["q"] or None,
                penalty_kind=form["penalty_kind"] or None,
                status=form["status"] or None,
                sort=form["sort"] or None,
                limit=limits.DEFAULT_PAGE_SIZE,
                cursor=cursor,
            )
        )
    except grpc.aio.AioRpcError as exc:
        if exc.code() != grpc.StatusCode.INVALID_ARGUMENT:
            raise
        # Say why (e.g. a sort refused over too many matches) instead of an empty page.
        violations = field_errors(exc)
        refusal = "; ".join(v["description"] for v in violations) or exc.details() or ""
        reply = qpb.SearchResultsResponse()
        errors = [*errors, *(v["field"] for v in violations)] if violations else [*errors, "cursor"]
    kept = {k: v for k, v in form.items() if v}
    return _render(
        request,
        "search.html",
        form=form,
        errors=errors,
        refusal=refusal,
        hits=[{**to_json(h.result), "snippet": h.snippet} for h in reply.hits],
        total=reply.total,
        lower_bound=reply.total_is_lower_bound,
        next_cursor=reply.next_page_token,
        kept=kept,
        options=_options(t),
    )


async def _search_ex_ante(request: Request, form: dict, cursor: str | None):
    from gateway.routes.search import _search_ex_ante as search_ex_ante

    return await search_ex_ante(
        request,
        form["type"],
        form["q"] or None,
        form["agency"] or None,
        form["region"] or None,
        form["category"] or None,
        limits.DEFAULT_PAGE_SIZE,
        cursor,
    )


async def _search_ex_ante_page(request: Request, form: dict, errors: list[str], cursor, t) -> HTMLResponse:
    try:
        found = await _search_ex_ante(request, form, cursor)
    except grpc.aio.AioRpcError as exc:
        if exc.code() != grpc.StatusCode.INVALID_ARGUMENT:
            raise
        found, errors = {"data": [], "total": 0, "next_cursor": None}, [*errors, "cursor"]
    path = "duty-items" if form["type"] == "duty_items" else "procedures"
    records = [{**r, "href": f"/{path}/{r['agency_code']}/{r['code']}"} for r in found["data"]]
    return _render(
        request,
        "search.html",
        form=form,
        errors=errors,
        hits=[],
        records=records,
        total=found["total"],
        lower_bound=False,
        next_cursor=found["next_cursor"],
        kept={k: v for k, v in form.items() if v},
        options=_options(t),
    )


@router.get("/statistics", response_class=HTMLResponse)
async def statistics_page(request: Request):
    form, errors = _form(request)
    t = translator(_context(request)["lang"])
    stats = await cache.statistics(
        request.app.state.clients, qpb.StatisticsRequest(**_filters(form).fields())
    )
    months: dict[str, int] = {}
    by_category: dict[str, dict[str, int]] = {}
    for row in stats.per_month:
        months[row.month] = months.get(row.month, 0) + row.decisions
        name = pb.DecisionCategory.Name(row.category).removeprefix("DECISION_CATEGORY_").lower()
        by_category.setdefault(name, {})[row.month] = row.decisions
    month_chart = stacked_chart(t("per_month"), sorted(months)[-24:], by_category)
    kinds = [(t("pk." + PENALTY_NAMES[k.kind]), k.decisions, str(k.decisions)) for k in stats.penalty_kinds]
    kind_chart = bar_chart(t("penalty_kinds"), kinds, colour_by_index=True)
    amounts = [(g.key, g.fine_amount_fen + g.confiscation_amount_fen) for g in stats.by_region[:12]]
    region_chart = bar_chart(t("by_region"), [(key, fen, wan_yuan(fen)) for key, fen in amounts])
    feedback = await _feedback_figures(request, form)
    return _render(
        request,
        "statistics.html",
        missing_reports=await _missing_annual_reports(request, form),
        feedback=feedback,
        form=form,
        errors=errors,
        stats=stats,
        month_chart=month_chart,
        category_label=lambda name: t("cat." + name),
        kind_chart=kind_chart,
        region_chart=region_chart,
        by_category=by_category,
        months=sorted(months),
        penalty_names=PENALTY_NAMES,
        options=_options(t),
    )


PENALTY_NAMES = {number: name for name, number in PENALTY_KINDS.items()}


async def _feedback_figures(request: Request, form: dict) -> list | None:
    """Feedback reply rate and time per agency, from the feedback service; the page
    still shows everything else when that service cannot answer."""
    try:
        reply = await request.app.state.clients.feedback.GetStatistics(
            feedback_pb2.FeedbackStatisticsRequest(
                agency_code=form["agency"],
                received_from=form["decided_from"],
                received_to=form["decided_to"],
            ),
            timeout=5,
        )
    except grpc.aio.AioRpcError:
        return None
    return list(reply.agencies)[: limits.MAX_STATISTICS_GROUPS]


async def _missing_annual_reports(request: Request, form: dict):
    """Last year's annual reports past their deadline (DOMAIN.md I1, I5), for
    oversight; the page shows everything else when results cannot answer."""
    try:
        return await request.app.state.clients.annual_reports.ListMissingAnnualReports(
            pb.ListMissingAnnualReportsRequest(region_code=form["region"]), timeout=5
        )
    except grpc.aio.AioRpcError:
        return None


@router.get("/reports/annual", response_class=HTMLResponse)
async def annual_report_page(request: Request):
    agency = request.query_params.get("agency", "").strip()[:40]
    today = dt.date.today()
    try:
        year = int(request.query_params.get("year", today.year - 1))
    except ValueError:
        year = today.year - 1
    year = min(max(year, 1950), 9999)
    report, missing = None, False
    if agency:
        try:
            report = report_view(
                await request.app.state.clients.results_query.AnnualReport(
                    qpb.AnnualReportRequest(agency_code=agency, year=year)
                )
            )
        except grpc.aio.AioRpcError as exc:
            if exc.code() not in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
                raise
            missing = True
    return _render(
        request,
        "annual_report.html",
        status_code=404 if missing else 200,
        agency=agency,
        year=year,
        report=report,
        missing=missing,
    )


@router.get("/results/{result_id}", response_class=HTMLResponse)
async def result_page(request: Request, result_id: str):
    result = await request.app.state.clients.results.GetResult(pb.GetResultRequest(id=result_id))
    ended = result.status in (pb.RESULT_STATUS_EXPIRED, pb.RESULT_STATUS_REPAIRED)
    # A record taken out of publication shows its tombstone, answered as 410 Gone.
    gone = ended or result.status == pb.RESULT_STATUS_WITHDRAWN
    return _render(request, "result.html", status_code=410 if gone else 200, r=to_json(result), ended=ended)

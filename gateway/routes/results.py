"""Enforcement results at the gateway: the public REST API (records, history,
takedown log, hash chain and its verification, replies and credit repair
applications), the agency API for writes, and the portal pages of a record.

Records taken out of publication answer **410 Gone** with their tombstone
(JSON on the API, a page on the portal): the record existed and its reason and
date stay public, but its content does not (see docs/results.md).

Agency writes pass the caller's `Authorization: Bearer <token>` through as
gRPC metadata, so the results service checks the same credential with the
same code as a direct gRPC call; validation errors come back field by field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from gateway import record_json
from gateway.agency_api import BadBody, bad_body, parse
from gateway.agency_api import bearer as _bearer
from gateway.convert import enum_values, listing, to_json
from gateway.queries import CursorParam, LimitParam, page_request
from gateway.routes.portal import _render
from gongshi.v1 import results_pb2 as pb
from services.runtime import limits

router = APIRouter(tags=["results"])

CATEGORIES = enum_values(pb.DecisionCategory.DESCRIPTOR)
WITHDRAWAL_REASONS = enum_values(pb.WithdrawalReason.DESCRIPTOR)
REPLY_STATUSES = enum_values(pb.ReplyStatus.DESCRIPTOR)
REPAIR_STATUSES = enum_values(pb.RepairStatus.DESCRIPTOR)
CategoryName = Annotated[
    str | None,
    Query(description="one of: " + ", ".join(CATEGORIES), pattern="^(" + "|".join(CATEGORIES) + ")$"),
]
ResultId = Annotated[str, Path(max_length=40, pattern=r"^[0-9a-z]+$")]
AgencyCode = Annotated[str, Path(pattern=limits.AGENCY_CODE_PATTERN)]
GONE = {410: {"description": "No longer published: the body is the record's tombstone"}}


def _results(request: Request):
    return request.app.state.clients.results


def _record(result: pb.Result) -> Response:
    gone = result.status in (
        pb.RESULT_STATUS_WITHDRAWN,
        pb.RESULT_STATUS_EXPIRED,
        pb.RESULT_STATUS_REPAIRED,
    )
    body = record_json.records.encode(result)
    return Response(body, status_code=410 if gone else 200, media_type="application/json")


def _decision(data: dict, field: str = "decision") -> pb.Decision:
    """Proto JSON of gongshi.v1.Decision (field names in camelCase or snake_case,
    enums by full name, e.g. "DECISION_CATEGORY_PENALTY")."""
    return parse(data, pb.Decision(), field)


def _bad(exc: BadBody) -> JSONResponse:
    return bad_body(exc, "the request body is not a valid decision")


# ---------------------------------------------------------------- public API


@router.get("/api/v1/results", summary="List published enforcement results")
async def list_results(
    request: Request,
    agency: Annotated[str | None, Query(pattern=limits.AGENCY_CODE_PATTERN)] = None,
    region: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    category: CategoryName = None,
    decided_from: dt.date | None = None,
    decided_to: dt.date | None = None,
    limit: LimitParam = limits.DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> dict:
    """Newest decisions first (decision date, then id): a stable order for cursor paging.
    Withdrawn, expired and repaired records are not listed. `total` is exact up to 1000,
    beyond it `total_is_lower_bound` is true."""
    reply = await _results(request).ListResults(
        pb.ListResultsRequest(
            page=page_request(limit, cursor),
            agency_code=agency or "",
            region_code=region or "",
            category=CATEGORIES[category] if category else 0,
            decided_from=decided_from.isoformat() if decided_from else "",
            decided_to=decided_to.isoformat() if decided_to else "",
        )
    )
    # Spliced from each record's JSON, encoded once per version (gateway/record_json.py).
    body = record_json.page(
        [record_json.records.encode(r) for r in reply.results],
        total=reply.total,
        total_is_lower_bound=reply.total_is_lower_bound,
        limit=limit,
        next_cursor=reply.next_page_token or None,
    )
    return Response(body, media_type="application/json")


@router.get("/api/v1/results/{result_id}", summary="One published enforcement result", responses=GONE)
async def get_result(request: Request, result_id: ResultId):
    """The record with its publication deadline and on-time flag, the under-appeal
    flag and the party's approved reply. A withdrawn record answers 410 with its
    tombstone (reason, statement, date); an expired or repaired one 410 with
    only the date its publication ended."""
    return _record(await _results(request).GetResult(pb.GetResultRequest(id=result_id)))


@router.get("/api/v1/results/{result_id}/history", summary="Every published version and change of a record")
async def get_history(request: Request, result_id: ResultId) -> dict:
    """Versions oldest first (a correction keeps the old version readable) and the
    record's links in its agency's hash chain. After withdrawal, expiry or repair
    only the changes remain."""
    return to_json(await _results(request).GetResultHistory(pb.GetResultHistoryRequest(id=result_id)))


@router.get("/api/v1/takedowns", summary="The public takedown log: every withdrawal, newest first")
async def list_takedowns(
    request: Request,
    agency: Annotated[str | None, Query(pattern=limits.AGENCY_CODE_PATTERN)] = None,
    limit: LimitParam = limits.DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> dict:
    reply = await _results(request).ListTakedowns(
        pb.ListTakedownsRequest(page=page_request(limit, cursor), agency_code=agency or "")
    )
    return listing(reply.takedowns, reply.total, limit, reply.next_page_token)


@router.get("/api/v1/agencies/{code}/chain", summary="An agency's tamper-evident hash chain")
async def get_chain(
    request: Request, code: AgencyCode, limit: LimitParam = 200, cursor: CursorParam = None
) -> dict:
    """Links oldest first. hash = SHA-256 of the link's deterministic protobuf
    encoding with `hash` empty; each link carries the previous link's hash."""
    reply = await _results(request).GetChain(
        pb.GetChainRequest(agency_code=code, page=page_request(limit, cursor))
    )
    return {
        "data": [to_json(e) for e in reply.entries],
        "length": reply.length,
        "head_hash": reply.head_hash,
        "limit": limit,
        "next_cursor": reply.next_page_token or None,
    }


@router.get(
    "/api/v1/agencies/{code}/chain/verify", summary="Verify an agency's chain and every stored record"
)
async def verify_chain(request: Request, code: AgencyCode) -> dict:
    """Recomputes every link and checks every stored record and version against
    the link that signed it; `intact` is false with the problems listed otherwise."""
    return to_json(await _results(request).VerifyChain(pb.VerifyChainRequest(agency_code=code)))


class ReplyIn(BaseModel):
    text: str = Field(max_length=limits.MAX_REPLY_CHARS, description="shown with the record once approved")
    contact: str = Field(default="", max_length=limits.SHORT_TEXT, description="never published")


@router.post(
    "/api/v1/results/{result_id}/replies", status_code=202, summary="The party's reply (shown once approved)"
)
async def submit_reply(request: Request, result_id: ResultId, body: ReplyIn) -> dict:
    reply = await _results(request).SubmitReply(
        pb.SubmitReplyRequest(result_id=result_id, text=body.text, contact=body.contact)
    )
    return to_json(reply)


class RepairIn(BaseModel):
    applicant_name: str = Field(max_length=limits.SHORT_TEXT)
    uscc: str = Field(default="", max_length=limits.SHORT_TEXT)
    contact: str = Field(default="", max_length=limits.SHORT_TEXT, description="never published")
    correction_proof: str = Field(max_length=limits.MEDIUM_TEXT, description="纠正失信行为的证明")
    credit_commitment: str = Field(max_length=limits.MEDIUM_TEXT, description="信用承诺书")


@router.post(
    "/api/v1/results/{result_id}/repair-applications",
    status_code=201,
    summary="Apply for credit repair (信用修复)",
    responses={409: {"description": "Not yet possible: the detail names the date it becomes possible"}},
)
async def apply_for_repair(request: Request, result_id: ResultId, body: RepairIn) -> dict:
    application = await _results(request).ApplyForRepair(
        pb.ApplyForRepairRequest(result_id=result_id, **body.model_dump())
    )
    return to_json(application)


@router.get("/api/v1/repair-applications/{application_id}", summary="Where a repair application stands")
async def get_repair(request: Request, application_id: ResultId) -> dict:
    return to_json(
        await _results(request).GetRepairApplication(pb.GetRepairApplicationRequest(id=application_id))
    )


# ---------------------------------------------------------------- agency API (Authorization: Bearer)

AGENCY = ["agency"]


@router.post(
    "/api/v1/agency/results",
    tags=AGENCY,
    summary="Publish a decision (idempotent by document number)",
    responses={200: {"description": "A retry: the stored record"}, 201: {"description": "Published"}},
)
async def publish(request: Request, decision: Annotated[dict, Body(description="gongshi.v1.Decision")]):
    """Body: proto JSON of gongshi.v1.Decision (see protos/gongshi/v1/results.proto).
    Publishing a registered (pending) decision publishes it."""
    try:
        message = _decision(decision)
    except BadBody as exc:
        return _bad(exc)
    reply = await _results(request).PublishDecision(
        pb.PublishDecisionRequest(decision=message), metadata=_bearer(request)
    )
    return JSONResponse(
        {"result": to_json(reply.result), "created": reply.created}, status_code=201 if reply.created else 200
    )


@router.post(
    "/api/v1/agency/results/pending", tags=AGENCY, summary="Register a decision ahead of publication"
)
async def register(request: Request, decision: Annotated[dict, Body(description="gongshi.v1.Decision")]):
    """Stored as pending (never public); if its publication deadline passes
    before it is published, a ResultOverdue event is raised."""
    try:
        message = _decision(decision)
    except BadBody as exc:
        return _bad(exc)
    reply = await _results(request).RegisterDecision(
        pb.RegisterDecisionRequest(decision=message), metadata=_bearer(request)
    )
    return JSONResponse(
        {"result": to_json(reply.result), "created": reply.created}, status_code=201 if reply.created else 200
    )


class CorrectionIn(BaseModel):
    decision: dict = Field(description="the whole corrected gongshi.v1.Decision (same document number)")
    reason: str = Field(max_length=limits.MEDIUM_TEXT, description="public reason (更正说明)")


@router.post(
    "/api/v1/agency/results/{result_id}/corrections", tags=AGENCY, summary="Correct a published record"
)
async def correct(request: Request, result_id: ResultId, body: CorrectionIn):
    try:
        message = _decision(body.decision)
    except BadBody as exc:
        return _bad(exc)
    result = await _results(request).CorrectResult(
        pb.CorrectResultRequest(id=result_id, decision=message, reason=body.reason), metadata=_bearer(request)
    )
    return to_json(result)


class WithdrawalIn(BaseModel):
    reason: str = Field(
        pattern="^(" + "|".join(WITHDRAWAL_REASONS) + ")$", description=", ".join(WITHDRAWAL_REASONS)
    )
    statement: str = Field(max_length=limits.MEDIUM_TEXT, description="public statement of the reason")
    grounds_date: dt.date | None = Field(
        default=None, description="when the grounds arose; the withdrawal is due 3 working days later"
    )


@router.post("/api/v1/agency/results/{result_id}/withdrawal", tags=AGENCY, summary="Withdraw (撤下) a record")
async def withdraw(request: Request, result_id: ResultId, body: WithdrawalIn) -> dict:
    """Takes the record out of every public list, search, export and feed at
    once; answers with its tombstone."""
    result = await _results(request).WithdrawResult(
        pb.WithdrawResultRequest(
            id=result_id,
            reason=WITHDRAWAL_REASONS[body.reason],
            statement=body.statement,
            grounds_date=body.grounds_date.isoformat() if body.grounds_date else "",
        ),
        metadata=_bearer(request),
    )
    return to_json(result)


class AppealIn(BaseModel):
    under_appeal: bool
    note: str = Field(default="", max_length=limits.SHORT_TEXT)


@router.put(
    "/api/v1/agency/results/{result_id}/appeal", tags=AGENCY, summary="Set or clear the under-appeal flag"
)
async def set_appeal(request: Request, result_id: ResultId, body: AppealIn) -> dict:
    result = await _results(request).SetUnderAppeal(
        pb.SetUnderAppealRequest(id=result_id, under_appeal=body.under_appeal, note=body.note),
        metadata=_bearer(request),
    )
    return to_json(result)


@router.get("/api/v1/agency/replies", tags=AGENCY, summary="Replies to the agency's records, for moderation")
async def list_replies(
    request: Request,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(REPLY_STATUSES) + ")$")] = None,
    limit: LimitParam = limits.DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> dict:
    reply = await _results(request).ListReplies(
        pb.ListRepliesRequest(
            page=page_request(limit, cursor), status=REPLY_STATUSES[status] if status else 0
        ),
        metadata=_bearer(request),
    )
    return {"data": [to_json(r) for r in reply.replies], "next_cursor": reply.next_page_token or None}


class ModerationIn(BaseModel):
    approve: bool
    reason: str = Field(default="", max_length=limits.MEDIUM_TEXT)


@router.post("/api/v1/agency/replies/{reply_id}/decision", tags=AGENCY, summary="Approve or reject a reply")
async def moderate_reply(request: Request, reply_id: ResultId, body: ModerationIn) -> dict:
    reply = await _results(request).ModerateReply(
        pb.ModerateReplyRequest(reply_id=reply_id, approve=body.approve, reason=body.reason),
        metadata=_bearer(request),
    )
    return to_json(reply)


@router.get("/api/v1/agency/repairs", tags=AGENCY, summary="Credit repair applications to the agency")
async def list_repairs(
    request: Request,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(REPAIR_STATUSES) + ")$")] = None,
    limit: LimitParam = limits.DEFAULT_PAGE_SIZE,
    cursor: CursorParam = None,
) -> dict:
    reply = await _results(request).ListRepairApplications(
        pb.ListRepairApplicationsRequest(
            page=page_request(limit, cursor), status=REPAIR_STATUSES[status] if status else 0
        ),
        metadata=_bearer(request),
    )
    return {"data": [to_json(a) for a in reply.applications], "next_cursor": reply.next_page_token or None}


class RepairDecisionIn(BaseModel):
    grant: bool
    reason: str = Field(max_length=limits.MEDIUM_TEXT)


@router.post(
    "/api/v1/agency/repairs/{application_id}/decision", tags=AGENCY, summary="Grant or refuse a repair"
)
async def decide_repair(request: Request, application_id: ResultId, body: RepairDecisionIn) -> dict:
    application = await _results(request).DecideRepair(
        pb.DecideRepairRequest(application_id=application_id, grant=body.grant, reason=body.reason),
        metadata=_bearer(request),
    )
    return to_json(application)


# ---------------------------------------------------------------- portal pages

# The record page itself (/results/{id}, result.html: the record or its
# tombstone with 410) is served by gateway/routes/portal.py.


@router.get("/results/{result_id}/history", response_class=HTMLResponse, include_in_schema=False)
async def history_page(request: Request, result_id: ResultId):
    history = await _results(request).GetResultHistory(pb.GetResultHistoryRequest(id=result_id))
    return _render(request, "result_history.html", h=to_json(history))


@router.get("/takedowns", response_class=HTMLResponse, include_in_schema=False)
async def takedowns_page(request: Request):
    cursor = request.query_params.get("cursor", "")[:200]
    reply = await _results(request).ListTakedowns(
        pb.ListTakedownsRequest(page=page_request(limits.DEFAULT_PAGE_SIZE, cursor))
    )
    return _render(
        request,
        "takedowns.html",
        takedowns=[to_json(t) for t in reply.takedowns],
        total=reply.total,
        next_cursor=reply.next_page_token,
    )


@router.get("/agencies/{code}/chain", response_class=HTMLResponse, include_in_schema=False)
async def chain_page(request: Request, code: AgencyCode):
    verdict = await _results(request).VerifyChain(pb.VerifyChainRequest(agency_code=code))
    chain = await _results(request).GetChain(pb.GetChainRequest(agency_code=code, page=page_request(50, "")))
    return _render(
        request,
        "result_chain.html",
        code=code,
        verdict=to_json(verdict),
        entries=[to_json(e) for e in chain.entries],
    )

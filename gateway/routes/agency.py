"""The agency console API: duties, procedures and the agency side of feedback
over REST, for systems that cannot speak gRPC (the results writes live in
gateway/routes/results.py).

Same operations, credentials and validation as gRPC: a body is the proto JSON
of the RPC's request message (e.g. PUT /api/v1/agency/duty-items takes
gongshi.v1.PutDutyItemRequest), the caller's `Authorization: Bearer <token>`
goes through as gRPC metadata, and the service checks it and validates; its
errors come back as problem JSON naming each field (gateway/problems.py).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request
from google.protobuf.message import Message

from gateway.agency_api import BadBody, bad_body, bearer, parse
from gateway.convert import enum_values, listing, to_json
from gateway.exante import AgencyFilter
from gateway.queries import CursorParam, LimitParam, page_request
from gongshi.v1 import common_pb2, duties_pb2, feedback_pb2, procedures_pb2, results_pb2

router = APIRouter(prefix="/api/v1/agency", tags=["agency"])

ProtoBody = Annotated[dict, Body(description="proto JSON of the RPC's request message")]
OptionalBody = Annotated[dict | None, Body(description="proto JSON of the RPC's request message")]
FeedbackId = Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9-]+$", description="the tracking code")]
# Publish and retire: which service keeps each kind of record.
KINDS = {
    "duties": ("officer", "duty_item", "legal_basis"),
    "procedures": ("procedure", "supervision_channel", "inspection_item"),
}
_KIND_NUMBERS = enum_values(common_pb2.RecordKind.DESCRIPTOR)
ServiceName = Annotated[str, Path(pattern="^(duties|procedures)$", description="duties or procedures")]
KindName = Annotated[
    str,
    Path(pattern="^(" + "|".join(_KIND_NUMBERS) + ")$", description="one of: " + ", ".join(_KIND_NUMBERS)),
]
# Officers are keyed by certificate number, the others by record code: both fit this.
AnyRecordCode = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="code")]
FeedbackStatusName = Annotated[
    str | None, Query(pattern="^(" + "|".join(enum_values(feedback_pb2.FeedbackStatus.DESCRIPTOR)) + ")$")
]


def _snake(rpc: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", rpc).lower()


async def _call(request: Request, service: str, rpc: str, message: Message) -> dict:
    stub = getattr(request.app.state.clients, service)
    return to_json(await getattr(stub, rpc)(message, metadata=bearer(request)))


# ---- writes whose body is the whole request message (a table: one route each)

# (HTTP method, path, service, RPC, request type, summary)
_WRITES = [
    (
        "PUT",
        "/officers",
        "duties",
        "PutOfficer",
        duties_pb2.PutOfficerRequest,
        "Create or revise an officer (執法人員)",
    ),
    (
        "PUT",
        "/legal-bases",
        "duties",
        "PutLegalBasis",
        duties_pb2.PutLegalBasisRequest,
        "Create or revise a legal basis (執法依據)",
    ),
    (
        "PUT",
        "/duty-items",
        "duties",
        "PutDutyItem",
        duties_pb2.PutDutyItemRequest,
        "Create or revise a duty item (權責清單事項)",
    ),
    (
        "POST",
        "/legal-bases/repeal",
        "duties",
        "RepealInstrument",
        duties_pb2.RepealInstrumentRequest,
        "Record an instrument's repeal and flag the duty items citing it",
    ),
    (
        "PUT",
        "/procedures",
        "procedures",
        "PutProcedure",
        procedures_pb2.PutProcedureRequest,
        "Create or revise a procedure (執法程序)",
    ),
    (
        "PUT",
        "/supervision-channels",
        "procedures",
        "PutSupervisionChannel",
        procedures_pb2.PutSupervisionChannelRequest,
        "Create or revise a supervision channel (監督途徑)",
    ),
    (
        "PUT",
        "/inspection-items",
        "procedures",
        "PutInspectionItem",
        procedures_pb2.PutInspectionItemRequest,
        "Create or revise a random-inspection item (抽查事項)",
    ),
]


def _write_route(method: str, path: str, service: str, rpc: str, request_type: type[Message], summary: str):
    async def endpoint(request: Request, body: ProtoBody):
        try:
            message = parse(body, request_type())
        except BadBody as exc:
            return bad_body(exc)
        return await _call(request, service, rpc, message)

    endpoint.__doc__ = f"Body: proto JSON of {request_type.DESCRIPTOR.full_name}; RPC {service}.{rpc}."
    router.add_api_route(path, endpoint, methods=[method], summary=summary, name=_snake(rpc))


for _write in _WRITES:
    _write_route(*_write)

# The yearly enforcement data report (DOMAIN.md I1): the agency confirms a finished
# year with its 情况说明; the figures are stored as they are at that moment.
_write_route(
    "POST",
    "/annual-reports",
    "annual_reports",
    "ConfirmAnnualReport",
    results_pb2.ConfirmAnnualReportRequest,
    "Confirm (publish) the annual enforcement data report of a year with its 情况说明",
)


@router.post(
    "/results/masking-preview",
    summary="Dry run: what masking would hide in a decision before it is pushed (脫敏預覽)",
)
async def preview_masking(request: Request, body: Annotated[dict, Body(description="gongshi.v1.Decision")]):
    """Body: proto JSON of gongshi.v1.Decision, as for publishing; nothing is stored.
    Answers gongshi.v1.MaskingPreview: the masked decision and each hidden name."""
    try:
        decision = parse(body, results_pb2.Decision(), "decision")
    except BadBody as exc:
        return bad_body(exc, "the request body is not a valid decision")
    return await _call(
        request, "results", "PreviewMasking", results_pb2.PublishDecisionRequest(decision=decision)
    )


@router.post("/duty-items/import", summary="Import duty items in bulk (each row checked on its own)")
async def import_duty_items(
    request: Request,
    rows: Annotated[list[dict], Body(description="proto JSON of gongshi.v1.PutDutyItemRequest, one per row")],
):
    """Streams the rows to duties.ImportDutyItems: good rows are kept, refused
    ones are listed by index with their field errors."""
    messages = []
    for index, row in enumerate(rows):
        try:
            messages.append(parse(row, duties_pb2.PutDutyItemRequest()))
        except BadBody as exc:
            return bad_body(BadBody(f"[{index}].{exc.field}", exc.description))
    reply = await request.app.state.clients.duties.ImportDutyItems(iter(messages), metadata=bearer(request))
    return to_json(reply)


# ---- publish and retire (both services keep versioned records the same way)


async def _change_status(request: Request, rpc: str, service: str, kind: str, code: str, body: dict | None):
    if kind not in KINDS[service]:
        return bad_body(BadBody("kind", f"{service} keeps only: {', '.join(KINDS[service])}"))
    try:
        message = parse(body or {}, common_pb2.ChangeStatusRequest())
    except BadBody as exc:
        return bad_body(exc)
    message.kind, message.code = _KIND_NUMBERS[kind], code
    return await _call(request, service, rpc, message)


@router.post("/records/{service}/{kind}/{code}/publish", summary="Publish a record's latest draft")
async def publish_record(
    request: Request, service: ServiceName, kind: KindName, code: AnyRecordCode, body: OptionalBody = None
):
    """Body (optional): {"reason": ..., "agency_code": ...}; the reason defaults to the draft's."""
    return await _change_status(request, "PublishRecord", service, kind, code, body)


@router.post("/records/{service}/{kind}/{code}/retire", summary="Retire a record's published version")
async def retire_record(
    request: Request, service: ServiceName, kind: KindName, code: AnyRecordCode, body: OptionalBody = None
):
    """Body: {"reason": ...} (required by the service); the history stays readable."""
    return await _change_status(request, "RetireRecord", service, kind, code, body)


# ---- feedback, agency side (the handling agency's credential)


@router.get("/feedback", summary="Feedback to the agency, with contact details (never public)")
async def list_feedback(
    request: Request,
    status: FeedbackStatusName = None,
    pending_review_only: bool = False,
    agency: AgencyFilter = None,
    limit: LimitParam = 20,
    cursor: CursorParam = None,
) -> dict:
    statuses = enum_values(feedback_pb2.FeedbackStatus.DESCRIPTOR)
    reply = await request.app.state.clients.feedback.ListAgencyFeedback(
        feedback_pb2.ListAgencyFeedbackRequest(
            page=page_request(limit, cursor),
            agency_code=agency or "",
            status=statuses[status] if status else 0,
            pending_review_only=pending_review_only,
        ),
        metadata=bearer(request),
    )
    return listing(reply.feedback, reply.total, limit, reply.next_page_token)


@router.get("/feedback/{feedback_id}", summary="One feedback case, unmasked, for its handling agency")
async def get_feedback(request: Request, feedback_id: FeedbackId) -> dict:
    return await _call(
        request,
        "feedback",
        "GetAgencyFeedback",
        feedback_pb2.GetAgencyFeedbackRequest(feedback_id=feedback_id),
    )


# (path action, RPC, request type, summary); the body is the request without feedback_id.
_ACTIONS = [
    ("accept", "AcceptFeedback", feedback_pb2.AcceptFeedbackRequest, "Accept a case (受理)"),
    (
        "reject",
        "RejectFeedback",
        feedback_pb2.RejectFeedbackRequest,
        "Refuse a case with a reason (不予受理)",
    ),
    (
        "transfer",
        "TransferFeedback",
        feedback_pb2.TransferFeedbackRequest,
        "Transfer a case to the competent agency (轉辦)",
    ),
    ("reply", "ReplyFeedback", feedback_pb2.ReplyFeedbackRequest, "Answer a case (答覆)"),
    (
        "extension",
        "ExtendDeadline",
        feedback_pb2.ExtendDeadlineRequest,
        "Extend the deadline once, with the recorded approval",
    ),
    ("close", "CloseFeedback", feedback_pb2.CloseFeedbackRequest, "Close a case (辦結)"),
    (
        "objection-decision",
        "DecideObjection",
        feedback_pb2.DecideObjectionRequest,
        "Decide an objection to a published result",
    ),
    (
        "flag-review",
        "ReviewFlagged",
        feedback_pb2.ReviewFlaggedRequest,
        "Restore or keep hidden flagged content",
    ),
]


def _action_route(action: str, rpc: str, request_type: type[Message], summary: str):
    async def endpoint(request: Request, feedback_id: FeedbackId, body: OptionalBody = None):
        try:
            message = parse(body or {}, request_type())
        except BadBody as exc:
            return bad_body(exc)
        message.feedback_id = feedback_id
        return await _call(request, "feedback", rpc, message)

    endpoint.__doc__ = f"Body: proto JSON of {request_type.DESCRIPTOR.full_name} (feedback_id from the path)."
    router.add_api_route(
        f"/feedback/{{feedback_id}}/{action}", endpoint, methods=["POST"], summary=summary, name=_snake(rpc)
    )


for _action in _ACTIONS:
    _action_route(*_action)

"""Citizen feedback: the public REST API, modelled on Open311 GeoReport v2
service requests (so civic-tech clients can read it): tracking, more
information, rating, reopening, flags, attachments and figures.

Public reads show only public data (masked text, no contact details). The
tracking view, reached with the tracking code AND the secret, is the only
response that ever carries the citizen's contact details back; the secret
travels in request bodies only, never in a URL.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated
from urllib.parse import quote

import grpc
from fastapi import APIRouter, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from gateway.convert import to_json
from gateway.feedback_submission import (
    NO_STORE,
    AttachmentIn,
    RequestId,
    _error,
    _key,
    _metadata,
    _problem_from_rpc,
    tracked,
)
from gongshi.v1 import feedback_pb2 as pb
from services.runtime import limits

router = APIRouter()


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

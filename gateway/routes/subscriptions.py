"""Subscriptions: the live event stream (SSE) and webhooks."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field
from sqlmodel import func, select

from gateway.subscriptions.events import OVERSIGHT_DOMAINS, EventFilter, is_oversight_only
from gateway.subscriptions.hub import SubscriptionHub, is_oversight
from gateway.subscriptions.store import DeliveryRow, WebhookRow
from gateway.subscriptions.stream import event_stream
from gateway.subscriptions.webhooks import UnsafeTarget, check_target
from services.runtime import limits
from services.runtime.auth import Principal, parse_bearer
from services.runtime.errors import Unauthenticated
from services.runtime.ids import new_id

router = APIRouter(prefix="/api/v1", tags=["subscriptions"])
DOMAIN_PATTERN = "^(" + "|".join(OVERSIGHT_DOMAINS) + ")$"
EVENT_PATTERN = r"^[a-z0-9_]{1,60}$"

Domain = Annotated[
    str | None,
    Query(
        pattern=DOMAIN_PATTERN, description="results, duties, procedures, feedback; deadletter (oversight)"
    ),
]
Event = Annotated[
    str | None, Query(pattern=EVENT_PATTERN, description="event name, e.g. published, withdrawn")
]
Agency = Annotated[str | None, Query(pattern=limits.AGENCY_CODE_PATTERN)]
Region = Annotated[str | None, Query(pattern=r"^\d{6}$")]


def _hub(request: Request) -> SubscriptionHub:
    hub: SubscriptionHub = request.app.state.hub
    if not hub.ready.is_set():
        raise HTTPException(503, "the event bus is not reachable yet; try again shortly")
    return hub


async def _principal(request: Request, authorization: str | None) -> Principal | None:
    try:
        token = parse_bearer(authorization)
        return await request.app.state.hub.principal(token) if token else None
    except Unauthenticated as exc:
        raise HTTPException(401, exc.message) from exc


def _filter(domain, event, agency, region, *, oversight: bool) -> EventFilter:
    flt = EventFilter(domain or "", event or "", agency or "", region or "")
    probe = f"gongshi.{flt.domain or 'results'}.{flt.event or 'any'}.x"
    if not oversight and (flt.domain or flt.event) and is_oversight_only(probe):
        raise HTTPException(403, f"{flt.domain}.{flt.event or '*'} events need an oversight credential")
    return flt


@router.get(
    "/events/stream",
    summary="Live events as Server-Sent Events, resumable with Last-Event-ID",
    responses={200: {"content": {"text/event-stream": {}}}},
    response_class=StreamingResponse,
)
async def stream(
    request: Request,
    domain: Domain = None,
    event: Event = None,
    agency: Agency = None,
    region: Region = None,
    last_event_id: Annotated[
        int | None, Query(ge=0, description="resume after this stream sequence (or send Last-Event-ID)")
    ] = None,
    last_event_id_header: Annotated[int | None, Header(alias="Last-Event-ID", ge=0)] = None,
    authorization: Annotated[str | None, Header()] = None,
):
    """Each event's `id` is its JetStream sequence: reconnect with `Last-Event-ID` and the
    stream continues right after it. Without one, only new events are sent. Oversight
    credentials (Bearer token) also receive oversight events (overdue, dead letters)."""
    principal = await _principal(request, authorization)
    oversight = is_oversight(principal)
    flt = _filter(domain, event, agency, region, oversight=oversight)
    hub = _hub(request)
    after = last_event_id_header if last_event_id_header is not None else last_event_id
    return StreamingResponse(
        event_stream(
            hub, flt, oversight=oversight, after_sequence=after, is_disconnected=request.is_disconnected
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


class WebhookIn(BaseModel):
    url: str = Field(max_length=limits.MAX_WEBHOOK_URL_CHARS, description="http(s) URL that receives POSTs")
    domain: str | None = Field(default=None, pattern=DOMAIN_PATTERN)
    event: str | None = Field(default=None, pattern=EVENT_PATTERN)
    agency: str | None = Field(default=None, pattern=limits.AGENCY_CODE_PATTERN)
    region: str | None = Field(default=None, pattern=r"^\d{6}$")


def _webhook_view(row: WebhookRow) -> dict:
    return {
        "id": row.id,
        "url": row.url,
        "filters": EventFilter(row.domain, row.event, row.agency, row.region).as_dict(),
        "oversight": row.oversight,
        "created_at": row.created_at.isoformat(),
    }


@router.post("/webhooks", status_code=201, summary="Register a webhook (returns its signing secret once)")
async def create_webhook(
    request: Request, body: WebhookIn, authorization: Annotated[str | None, Header()] = None
) -> dict:
    """Deliveries are POSTed with `Gongshi-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`,
    retried with exponential back-off. Manage the webhook with `Authorization: Bearer <secret>`."""
    principal = await _principal(request, authorization)
    oversight = is_oversight(principal)
    flt = _filter(body.domain, body.event, body.agency, body.region, oversight=oversight)
    hub: SubscriptionHub = request.app.state.hub
    try:
        host = check_target(
            body.url,
            allow_private=hub.settings.webhook_allow_private_targets,
            loopback_only=hub.settings.webhook_loopback_only,
        )
    except UnsafeTarget as exc:
        raise HTTPException(400, f"url {exc}") from exc
    row = WebhookRow(
        id=new_id(),
        url=body.url,
        secret="whsec_" + secrets.token_urlsafe(32),
        domain=flt.domain,
        event=flt.event,
        agency=flt.agency,
        region=flt.region,
        oversight=oversight,
        host=host.lower(),
        created_at=hub.clock.now(),
    )
    async with hub.db.transaction("webhooks.create") as session:
        count = await session.scalar(
            select(func.count())
            .select_from(WebhookRow)
            .where(WebhookRow.host == row.host, WebhookRow.deleted_at.is_(None))
        )
        if count >= limits.MAX_WEBHOOKS_PER_HOST:
            raise HTTPException(429, f"at most {limits.MAX_WEBHOOKS_PER_HOST} webhooks per receiving host")
        session.add(row)
    return {**_webhook_view(row), "secret": row.secret}


async def _owned(request: Request, webhook_id: WebhookId, authorization: str | None) -> WebhookRow:
    hub: SubscriptionHub = request.app.state.hub
    try:
        secret = parse_bearer(authorization)
    except Unauthenticated as exc:
        raise HTTPException(401, exc.message) from exc
    if not secret:
        raise HTTPException(401, "send the webhook's secret as 'Authorization: Bearer <secret>'")
    async with hub.db.reader() as session:
        row = await session.get(WebhookRow, webhook_id)
    if row is None or row.deleted_at is not None or not secrets.compare_digest(row.secret, secret):
        raise HTTPException(404, f"no webhook {webhook_id} with that secret")
    return row


WebhookId = Annotated[str, Path(max_length=40, pattern=r"^[0-9a-z]{1,40}$")]


@router.get("/webhooks/{webhook_id}", summary="A webhook's settings")
async def get_webhook(
    request: Request, webhook_id: WebhookId, authorization: Annotated[str | None, Header()] = None
) -> dict:
    return _webhook_view(await _owned(request, webhook_id, authorization))


@router.delete("/webhooks/{webhook_id}", status_code=204, summary="Stop a webhook", response_class=Response)
async def delete_webhook(
    request: Request, webhook_id: WebhookId, authorization: Annotated[str | None, Header()] = None
):
    row = await _owned(request, webhook_id, authorization)
    hub: SubscriptionHub = request.app.state.hub
    async with hub.db.transaction("webhooks.delete") as session:
        stored = await session.get(WebhookRow, row.id)
        stored.deleted_at = hub.clock.now()
        session.add(stored)
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries", summary="A webhook's delivery log, newest first")
async def deliveries(
    request: Request,
    webhook_id: WebhookId,
    limit: Annotated[int, Query(ge=1, le=limits.MAX_WEBHOOK_DELIVERIES_LISTED)] = 50,
    authorization: Annotated[str | None, Header()] = None,
) -> dict:
    row = await _owned(request, webhook_id, authorization)
    hub: SubscriptionHub = request.app.state.hub
    async with hub.db.reader() as session:
        rows = (
            await session.exec(
                select(DeliveryRow)
                .where(DeliveryRow.webhook_id == row.id)
                .order_by(DeliveryRow.id.desc())
                .limit(limit)
            )
        ).all()
    return {"data": [_delivery_view(d) for d in rows], "limit": limit}


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _delivery_view(d: DeliveryRow) -> dict:
    return {
        "id": d.id,
        "event_id": d.event_id,
        "subject": d.subject,
        "sequence": d.stream_sequence,
        "status": d.status,
        "attempts": d.attempts,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "created_at": _iso(d.created_at),
        "last_attempt_at": _iso(d.last_attempt_at),
        "next_attempt_at": _iso(d.next_attempt_at) if d.status == "pending" else None,
        "delivered_at": _iso(d.delivered_at),
    }

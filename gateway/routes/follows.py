"""Follows by e-mail: the API (no account; tokens from the mails stand for the
address, which no answer ever contains) and the portal's pages around it."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from gateway.follows.book import FollowBook, FollowRequest, Invalid, NotFound, TooMany, view
from gateway.follows.interest import KINDS, BadInterest, Interest
from gateway.follows.mailer import FolderTransport
from services.runtime import limits

router = APIRouter(prefix="/api/v1", tags=["follows"])
pages = APIRouter(include_in_schema=False)
Token = Annotated[str, Query(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
FollowId = Annotated[str, Path(max_length=40, pattern=r"^[0-9a-z]{1,40}$")]


def _book(request: Request) -> FollowBook:
    return request.app.state.hub.follows


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class FollowIn(BaseModel):
    email: str = Field(max_length=limits.MAX_EMAIL_CHARS, description="where mails go; never shown again")
    kind: Literal["party", "agency", "region", "category", "search"]
    value: str | None = Field(
        default=None,
        max_length=limits.SHORT_TEXT,
        description="party: unified social credit code; agency: code; region: 6 digits; category: name",
    )
    q: str | None = Field(default=None, max_length=limits.MAX_SEARCH_QUERY_CHARS, description="search only")
    agency: str | None = Field(default=None, max_length=40, description="search only")
    region: str | None = Field(default=None, max_length=6, description="search only")
    category: str | None = Field(default=None, max_length=40, description="search only")
    cadence: Literal["immediate", "daily", "weekly"] = "immediate"
    lang: Literal["zh", "en"] = "zh"


class ConfirmIn(BaseModel):
    token: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


def _interest(kind: str, value, q, agency, region, category) -> Interest:
    if kind == "search":
        return Interest.parse(
            "search", agency=agency or "", region=region or "", category=category or "", q=q or ""
        )
    return Interest.parse(kind, value or "")


async def ask(book: FollowBook, body: FollowIn, client: str):
    try:
        interest = _interest(body.kind, body.value, body.q, body.agency, body.region, body.category)
        return await book.ask(FollowRequest(body.email, interest, body.cadence, body.lang), client)
    except (BadInterest, Invalid) as exc:
        raise HTTPException(400, f"{exc.field} {exc.message}") from exc
    except TooMany as exc:
        raise HTTPException(429, str(exc)) from exc


@router.post(
    "/follows", status_code=202, summary="Follow a party, agency, region, category or search by e-mail"
)
async def create_follow(request: Request, body: FollowIn) -> dict:
    """Double opt-in: a confirmation mail goes to `email`, and nothing else is sent until
    its link is followed; unconfirmed follows are deleted after 48 hours. Limits per
    address and per client address answer 429. The address never appears in an answer."""
    follow = await ask(_book(request), body, _client(request))
    return view(follow)


@router.post("/follows/confirm", summary="Confirm a follow with the token of its confirmation mail")
async def confirm_follow(request: Request, body: ConfirmIn) -> dict:
    try:
        return view(await _book(request).confirm(body.token))
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc


@router.post(
    "/follows/{follow_id}/unsubscribe",
    summary="One-click unsubscribe (RFC 8058), the List-Unsubscribe address of every mail",
)
async def unsubscribe(request: Request, follow_id: FollowId, token: Token) -> dict:
    """Mail clients POST `List-Unsubscribe=One-Click` here; the body is not needed."""
    try:
        await _book(request).unsubscribe(follow_id, token)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return {"id": follow_id, "status": "unsubscribed"}


@router.get("/follows", summary="All follows of one address, with the manage token of its mails")
async def list_follows(request: Request, token: Token) -> dict:
    try:
        follows = await _book(request).follows_of(token)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return {"data": [view(f) for f in follows]}


@router.delete(
    "/follows", status_code=204, response_class=Response, summary="Erase every follow and the address"
)
async def erase_follows(request: Request, token: Token):
    try:
        await _book(request).erase(token)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return Response(status_code=204)


# ---------------------------------------------------------------- portal pages


def _render(request: Request, status_code: int = 200, **values) -> HTMLResponse:
    from gateway.routes.portal import _render as render

    transport = request.app.state.hub.mail_transport
    local = transport.describe() if isinstance(transport, FolderTransport) else ""
    return render(request, "follow.html", status_code, local_mail=local, kinds=KINDS, **values)


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    return lang if lang in ("zh", "en") else "zh"


@pages.get("/follow", response_class=HTMLResponse)
async def follow_form(request: Request):
    wanted = {
        k: request.query_params.get(k, "") for k in ("kind", "value", "q", "agency", "region", "category")
    }
    try:
        interest = _interest(wanted["kind"] or "search", **{k: v for k, v in wanted.items() if k != "kind"})
    except BadInterest as exc:
        return _render(request, 400, step="invalid", error=f"{exc.field}: {exc.message}")
    return _render(request, step="form", wanted=wanted, interest=interest)


@pages.post("/follow", response_class=HTMLResponse)
async def follow_submit(request: Request):
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        body = FollowIn(**{k: v for k, v in form.items() if k in FollowIn.model_fields and v})
        await ask(_book(request), body, _client(request))
    except HTTPException as exc:
        return _render(request, exc.status_code, step="invalid", error=exc.detail)
    except ValueError as exc:
        return _render(request, 400, step="invalid", error=str(exc))
    return _render(request, step="asked", hours=limits.FOLLOW_CONFIRM_HOURS)


@pages.get("/follow/confirm", response_class=HTMLResponse)
async def confirm_page(request: Request, token: str = ""):
    # A page with a button: mail scanners that open links must not confirm for the reader.
    return _render(request, step="confirm", token=token)


@pages.post("/follow/confirm", response_class=HTMLResponse)
async def confirm_submit(request: Request):
    token = str((await request.form()).get("token", ""))
    try:
        follow = await _book(request).confirm(token)
    except NotFound:
        return _render(request, 404, step="invalid", error=None)
    follower_token = await _manage_token(request, follow.follower_id)
    return _render(request, step="confirmed", manage_token=follower_token)


async def _manage_token(request: Request, follower_id: str) -> str:
    from gateway.follows.store import FollowerRow

    async with request.app.state.hub.db.reader() as session:
        follower = await session.get(FollowerRow, follower_id)
    return follower.manage_token if follower else ""


@pages.get("/follow/unsubscribe", response_class=HTMLResponse)
async def unsubscribe_page(request: Request, id: str = "", token: str = ""):
    return _render(request, step="unsubscribe", follow_id=id, token=token)


@pages.post("/follow/unsubscribe", response_class=HTMLResponse)
async def unsubscribe_submit(request: Request):
    form = await request.form()
    try:
        await _book(request).unsubscribe(str(form.get("id", "")), str(form.get("token", "")))
    except NotFound:
        return _render(request, 404, step="invalid", error=None)
    manage = str(form.get("manage", ""))
    if manage:
        return RedirectResponse(f"/follow/manage?token={manage}&lang={_lang(request)}", status_code=303)
    return _render(request, step="unsubscribed")


@pages.get("/follow/manage", response_class=HTMLResponse)
async def manage_page(request: Request, token: str = ""):
    try:
        follows = await _book(request).follows_of(token)
    except NotFound:
        return _render(request, 404, step="invalid", error=None)
    return _render(request, step="manage", follows=[(f, view(f)) for f in follows], manage_token=token)


@pages.get("/follow/manage/export")
async def export(request: Request, token: str = ""):
    try:
        data = await _book(request).export(token)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="gongshi-follows.json"',
            "Cache-Control": "no-store",
        },
    )


@pages.post("/follow/manage/erase", response_class=HTMLResponse)
async def erase_submit(request: Request):
    try:
        await _book(request).erase(str((await request.form()).get("token", "")))
    except NotFound:
        return _render(request, 404, step="invalid", error=None)
    return _render(request, step="erased")

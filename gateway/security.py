"""Security helpers of the portal. CSRF protection for forms that work without
JavaScript: a signed double-submit token.

The browser gets a random nonce in an HttpOnly, SameSite=Lax cookie; each form
carries `<issued-at>.<HMAC(key, nonce.issued-at)>`. A forged cross-site post has
neither the cookie's nonce nor a valid signature, and a stolen page's token is
useless without the cookie. The key comes from GONGSHI_CSRF_KEY, else it is
derived from the administrator token (shared by every gateway replica), else it
is random for this process.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from functools import cache

from fastapi import Request, Response

from gateway import problems
from services.runtime import limits

CSRF_COOKIE = "gongshi_csrf"
CSRF_FIELD = "csrf_token"
CSRF_MAX_AGE_SECONDS = 2 * 3600


@cache
def _key() -> bytes:
    explicit = os.environ.get("GONGSHI_CSRF_KEY", "")
    if explicit:
        return explicit.encode()
    admin = os.environ.get("GONGSHI_ADMIN_TOKEN", "")
    if admin:
        # A derived key: the token itself never signs anything a browser sees.
        return hmac.new(admin.encode(), b"gongshi-csrf-v1", hashlib.sha256).digest()
    return secrets.token_bytes(32)


def _sign(nonce: str, issued_at: int) -> str:
    return hmac.new(_key(), f"{nonce}.{issued_at}".encode(), hashlib.sha256).hexdigest()


def csrf_nonce(request: Request) -> str:
    """The browser's nonce, or a new one (set it with `set_csrf_cookie`)."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    return nonce if 16 <= len(nonce) <= 64 else secrets.token_urlsafe(24)


def csrf_token(nonce: str, now: float | None = None) -> str:
    issued_at = int(now if now is not None else time.time())
    return f"{issued_at}.{_sign(nonce, issued_at)}"


def set_csrf_cookie(request: Request, response: Response, nonce: str) -> None:
    response.set_cookie(
        CSRF_COOKIE,
        nonce,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=CSRF_MAX_AGE_SECONDS * 12,
    )


def csrf_valid(request: Request, token: str, now: float | None = None) -> bool:
    nonce = request.cookies.get(CSRF_COOKIE, "")
    issued, _, signature = token.partition(".")
    if not nonce or not issued.isdigit() or not signature:
        return False
    age = int(now if now is not None else time.time()) - int(issued)
    if not 0 <= age <= CSRF_MAX_AGE_SECONDS:
        return False
    return hmac.compare_digest(signature, _sign(nonce, int(issued)))


# -- response headers ----------------------------------------------------------

# The portal renders on the server and ships no inline script or style, so the
# policy can forbid both: an injected <script> or on*= attribute never runs.
PORTAL_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# FastAPI's Swagger UI page loads its bundle from a CDN and starts it inline.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class SecurityHeadersMiddleware:
    """Adds CSP, nosniff, Referrer-Policy and framing rules to every response
    (pure ASGI, so streamed responses such as SSE pass through untouched); a
    header a route set itself is kept."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope.get("path", "").startswith("/api/docs") else PORTAL_CSP
        wanted = {**SECURITY_HEADERS, "content-security-policy": csp}

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.decode("latin-1").lower() for name, _ in headers}
                headers += [(k.encode(), v.encode()) for k, v in wanted.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


# -- request size --------------------------------------------------------------


def body_limit(path: str) -> int:
    """Bytes a request body may have: feedback (with attachments) has its own, larger limit."""
    if path.startswith(("/feedback", "/api/v1/requests")):
        return limits.FEEDBACK_MAX_HTTP_BODY_BYTES
    return limits.MAX_HTTP_BODY_BYTES


class BodyLimitMiddleware:
    """Refuses a body over the limit with 413 before a route reads it: by its
    Content-Length, or while a chunked body streams in."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope.get("path", ""))
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(scope, receive, send, limit)
            return
        received, started, refused = 0, False, False

        async def counted_receive():
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit and not refused:
                    # Answer 413 now; the route sees a client that went away,
                    # and whatever it answers to that is dropped.
                    refused = True
                    if not started:
                        await _too_large(scope, receive, send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send(message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted_receive, tracked_send)


async def _too_large(scope, receive, send, limit: int) -> None:
    errors = [{"field": "body", "description": f"at most {limit} bytes"}]
    detail = f"the request body is over the limit of {limit} bytes"
    await problems.answer_for(scope.get("path", ""), 413, detail, errors)(scope, receive, send)

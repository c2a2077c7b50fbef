"""Cursors the public API hands out are sealed to the list that made them.

The services page with their own tokens (a sort key, an agency code, an id),
which say nothing about which list they belong to: a results cursor would be
taken by the takedown log, and a made-up one by the agency list. The gateway
seals each `next_cursor` (and Open311's `Link: rel="next"`) as
`<token, base64url>.<HMAC(key, path, token)>` on the way out and opens it on
the way in, so a cursor from another list, or none the gateway made, is
refused with 400 naming `cursor` before any service sees it.

One middleware for every list: route code keeps using the service's token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode

from gateway import problems, security

PARAMETER = "cursor"
_SIGNATURE_BYTES = 12
_NEXT_CURSOR = re.compile(rb'"next_cursor":\s*"((?:[^"\\]|\\.)*)"')
_LINK_CURSOR = re.compile(r"([?&]cursor=)([^&>]*)")


def _signature(path: str, token: str) -> str:
    key = hmac.new(security._key(), b"gongshi-cursor-v1", hashlib.sha256).digest()
    digest = hmac.new(key, f"{path}\0{token}".encode(), hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def seal(path: str, token: str) -> str:
    return f"{_b64(token.encode())}.{_signature(path, token)}"


def open_(path: str, cursor: str) -> str | None:
    """The service's token, or None when this list did not make the cursor."""
    encoded, _, signature = cursor.partition(".")
    try:
        token = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return token if hmac.compare_digest(signature, _signature(path, token)) else None


class CursorMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/api/"):
            await self.app(scope, receive, send)
            return
        if b"cursor=" in scope.get("query_string", b""):
            query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            opened = []
            for name, value in query:
                if name == PARAMETER and value:
                    token = open_(path, value)
                    if token is None:
                        refusal = problems.answer_for(
                            path,
                            400,
                            "the cursor was not made by this list",
                            [
                                {
                                    "field": PARAMETER,
                                    "description": "is not a next_cursor this list handed out",
                                }
                            ],
                        )
                        await refusal(scope, receive, send)
                        return
                    value = token
                opened.append((name, value))
            scope = {**scope, "query_string": urlencode(opened).encode("latin-1")}
        await self.app(scope, receive, _Sealing(path, send))


class _Sealing:
    """Seals the cursors of a JSON body and of a Link header on their way out."""

    def __init__(self, path: str, send) -> None:
        self.path, self.send = path, send
        self.start: dict | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, self._link(v) if k.lower() == b"link" else v) for k, v in message["headers"]]
            message = {**message, "headers": headers}
            content_type = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
            if content_type.startswith(b"application/json"):
                self.start = message  # held until the body is whole
                return
            await self.send(message)
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(self.chunks)
        if b'"next_cursor"' in body:
            body = _NEXT_CURSOR.sub(self._sealed, body)
        headers = [(k, v) for k, v in self.start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})

    def _sealed(self, match: re.Match) -> bytes:
        token = match.group(1).decode()
        return b'"next_cursor": "' + seal(self.path, token).encode() + b'"'

    def _link(self, value: bytes) -> bytes:
        def sealed(match: re.Match) -> str:
            return match.group(1) + quote(seal(self.path, unquote(match.group(2))), safe="")

        return _LINK_CURSOR.sub(sealed, value.decode("latin-1")).encode("latin-1")

"""Anonymous public reads answered from memory, with validators for browsers
and proxies (ASGI middleware in front of the routes).

Which pages: the result list, a record (JSON and page), search of results
(JSON and page) and the home page — everything the results events describe.
A request with an `Authorization` header is never answered from the cache, and
a response that sets a cookie (the portal's language switch, CSRF nonces) or
says `no-store`/`private` is never stored. Only 200 and 410 (a tombstone) are
held; errors always go to the route.

Every such response gets a strong `ETag` (a hash of its bytes) and
`Cache-Control: public, no-cache`: a browser or a reverse proxy may keep it
but must revalidate each time, which costs a 304 and keeps a withdrawal
visible at once everywhere (a max-age would let a withdrawn record live on in
caches we cannot reach). HTML pages vary by the language cookie.

Writes through this gateway (any POST/PUT/PATCH/DELETE answered below 400) drop the
cache before their reply leaves, so the writer's next read is fresh; changes
made elsewhere arrive as events (gateway/read_invalidation.py).

`X-Cache: hit|miss|bypass` tells operators (and tests) which one answered;
`bypass` means the cache is off because its event subscription is not live.
"""

from __future__ import annotations

import asyncio
import re
import time
from urllib.parse import parse_qsl

from opentelemetry.metrics import CallbackOptions, Observation
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.cache import STATISTICS_TTL_SECONDS
from gateway.read_cache import Entry, ReadCache, etag_matches, etag_of
from services.runtime.metrics import meter, setup_metrics

JSON_PATHS = re.compile(r"^/api/v1/(results(/[0-9a-z]{1,40})?|search)$")
HTML_PATHS = re.compile(r"^/(|search|results/[0-9a-z]{1,40})$")
SEARCH_PATHS = ("/api/v1/search", "/search")  # cached for record type "results" only
# The home page shows platform-wide statistics, themselves cached for a while
# (gateway/cache.py): it is held no longer than they are.
MAX_AGE_SECONDS = {"/": STATISTICS_TTL_SECONDS}
CACHEABLE_STATUSES = (200, 410)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CACHE_CONTROL = b"public, no-cache"
# Headers of a stored response that are ours to set on every answer.
_OWN = frozenset({b"etag", b"cache-control", b"vary", b"x-cache"})


def cache_key(path: str, query: bytes, headers: dict[bytes, bytes]):
    """(path, query parameters in a canonical order, language) or None when not cacheable."""
    html = JSON_PATHS.match(path) is None
    if html and HTML_PATHS.match(path) is None:
        return None
    if b"authorization" in headers:
        return None
    params = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    if path in SEARCH_PATHS and any(k == "type" and v != "results" for k, v in params):
        return None  # duty items and procedures: not described by results events
    # Sorted by name only: repeated parameters keep their order (the last one wins in the route).
    params.sort(key=lambda kv: kv[0])
    lang = ""
    if html:
        lang = cookie_parser(headers.get(b"cookie", b"").decode("latin-1")).get("lang", "")
    return (path, tuple(params), lang, html)


class CachedReadsMiddleware:
    def __init__(self, app: ASGIApp, cache: ReadCache) -> None:
        self.app = app
        self.cache = cache
        self._pending: dict[object, tuple[int, asyncio.Future]] = {}  # key -> (generation, its page)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method in UNSAFE_METHODS:
            await self.app(scope, receive, self._invalidating(send))
            return
        if method != "GET":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = cache_key(scope["path"], scope["query_string"], headers)
        if key is None:
            await self.app(scope, receive, send)
            return
        if_none_match = headers.get(b"if-none-match")
        if self.cache.serving():
            entry = self.cache.get(key) or await self._computed_meanwhile(key)
            if entry is not None:
                self.cache.answers["hit"] += 1
                await _answer(send, entry, b"hit", if_none_match)
                return
            outcome = b"miss"
        else:
            outcome = b"bypass"
        self.cache.answers[outcome.decode()] += 1
        generation, stored = self.cache.generation, False
        if outcome == b"miss":
            pending = asyncio.get_running_loop().create_future()
            self._pending[key] = (generation, pending)
        try:
            entry = await self._compute(scope, receive, send, key[3])
            stored = entry is not None and outcome == b"miss" and self.cache.put(key, entry, generation)
        finally:
            if outcome == b"miss":
                if self._pending.get(key, (0, None))[1] is pending:
                    del self._pending[key]
                pending.set_result(entry if stored else None)
        if entry is None:
            return  # already sent as it was
        await _answer(send, entry, outcome, if_none_match)

    async def _computed_meanwhile(self, key) -> Entry | None:
        """The page another request is computing right now, in this generation:
        wait for it rather than ask the services again, so a burst of reads after
        a change costs one call. None when there is none or it could not be held."""
        pending = self._pending.get(key)
        if pending is None or pending[0] != self.cache.generation:
            return None
        return await asyncio.shield(pending[1])

    async def _compute(self, scope: Scope, receive: Receive, send: Send, html: bool) -> Entry | None:
        """Run the route; a response that may be cached comes back as an Entry,
        any other is passed through unchanged (and None returned)."""
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def capture(message: Message) -> None:
            nonlocal start, passing
            if passing:
                await send(message)
            elif message["type"] == "http.response.start":
                start = message
                if not _storable(message):
                    passing = True
                    await send(message)
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        if passing or start is None:
            return None
        body = b"".join(chunks)
        etag = etag_of(body)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in _OWN]
        headers += [(b"etag", etag), (b"cache-control", CACHE_CONTROL)]
        if html:
            headers.append((b"vary", b"Cookie"))
        ttl = MAX_AGE_SECONDS.get(scope["path"])
        expires = time.monotonic() + ttl if ttl is not None else None
        return Entry(start["status"], headers, body, etag, expires)

    def _invalidating(self, send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            # Success or a redirect after a form post; a refusal changed nothing.
            if message["type"] == "http.response.start" and message["status"] < 400:
                self.cache.invalidate()  # before the writer hears back
            await send(message)

        return wrapped


def _storable(start: Message) -> bool:
    if start["status"] not in CACHEABLE_STATUSES:
        return False
    for name, value in start.get("headers", []):
        name = name.lower()
        if name == b"set-cookie":
            return False
        if name == b"cache-control" and (b"no-store" in value or b"private" in value):
            return False
    return True


async def _answer(send: Send, entry: Entry, outcome: bytes, if_none_match: bytes | None) -> None:
    if if_none_match is not None and etag_matches(if_none_match, entry.etag):
        # RFC 9110 15.4.5: the validators and caching headers of the 200, no body.
        kept = [(k, v) for k, v in entry.headers if k.lower() not in (b"content-length", b"content-type")]
        headers = [*kept, (b"x-cache", outcome)]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [*entry.headers, (b"x-cache", outcome)]
    await send({"type": "http.response.start", "status": entry.status, "headers": headers})
    await send({"type": "http.response.body", "body": entry.body})


def register_metrics(cache: ReadCache) -> None:
    """Answers by outcome, entries and bytes held, read at scrape time (a hit records nothing)."""
    setup_metrics("gateway")

    def answers(_: CallbackOptions):
        return [Observation(n, {"outcome": outcome}) for outcome, n in cache.answers.items()]

    def held(_: CallbackOptions):
        return [
            Observation(len(cache), {"measure": "entries"}),
            Observation(cache.bytes, {"measure": "bytes"}),
        ]

    meter().create_observable_counter(
        "gongshi_read_cache_responses",
        callbacks=[answers],
        description="cacheable GETs by how they were answered",
    )
    meter().create_observable_gauge(
        "gongshi_read_cache_held", callbacks=[held], description="pages held by the read cache"
    )

"""The gateway's read cache (gateway/read_cache.py, cached_reads.py,
read_invalidation.py, record_json.py) on a small app: what is held, for how
long, its bounds, validators and 304s, and when it must not answer at all."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway import cached_reads
from gateway.read_cache import Entry, ReadCache, etag_matches, etag_of
from gateway.read_invalidation import CacheInvalidator
from gateway.record_json import EncodedRecords, page, with_fields
from gongshi.v1 import results_pb2 as pb
from services.runtime import limits


def entry(body: bytes = b"x", status: int = 200) -> Entry:
    return Entry(status, [], body, etag_of(body))


# ------------------------------------------------------------------ the store


def test_defaults_are_the_named_limits():
    cache = ReadCache()
    assert cache.max_entries == limits.READ_CACHE_MAX_ENTRIES
    assert cache.max_bytes == limits.READ_CACHE_MAX_BYTES
    assert cache.max_entry_bytes == limits.READ_CACHE_MAX_ENTRY_BYTES
    assert EncodedRecords().max_entries == limits.READ_CACHE_MAX_RECORDS


def test_entry_count_is_bounded_least_recently_used_first():
    cache = ReadCache(max_entries=3)
    for key in "abc":
        assert cache.put(key, entry(), cache.generation)
    cache.get("a")  # used: "b" is now the oldest
    cache.put("d", entry(), cache.generation)
    assert len(cache) == 3
    assert cache.get("b") is None
    assert all(cache.get(k) is not None for k in "acd")


def test_bytes_are_bounded_and_counted():
    cache = ReadCache(max_bytes=10)
    cache.put("a", entry(b"12345"), 0)
    cache.put("b", entry(b"12345"), 0)
    assert cache.bytes == 10
    cache.put("c", entry(b"123"), 0)
    assert cache.get("a") is None and cache.bytes == 8
    cache.put("b", entry(b"1"), 0)  # replacing an entry counts its new size only
    assert cache.bytes == 4


def test_an_entry_over_the_entry_limit_is_not_held():
    cache = ReadCache(max_entry_bytes=4)
    assert not cache.put("a", entry(b"12345"), 0)
    assert cache.get("a") is None and cache.bytes == 0


def test_a_change_drops_everything_and_refuses_pages_computed_before_it():
    cache = ReadCache()
    cache.put("a", entry(), cache.generation)
    started = cache.generation
    cache.invalidate()
    assert len(cache) == 0 and cache.bytes == 0
    assert not cache.put("b", entry(), started)  # computed while the change came in
    assert cache.put("b", entry(), cache.generation)


def test_an_expired_entry_is_not_served(monkeypatch):
    cache = ReadCache()
    cache.put("a", Entry(200, [], b"x", b'"t"', expires=100.0), 0)
    monkeypatch.setattr("gateway.read_cache.time.monotonic", lambda: 99.0)
    assert cache.get("a") is not None
    monkeypatch.setattr("gateway.read_cache.time.monotonic", lambda: 100.0)
    assert cache.get("a") is None and cache.bytes == 0


def test_etag_comparison():
    tag = etag_of(b"body")
    assert tag.startswith(b'"') and tag.endswith(b'"') and tag == etag_of(b"body") != etag_of(b"other")
    assert etag_matches(tag, tag)
    assert etag_matches(b"W/" + tag, tag)
    assert etag_matches(b'"nope", ' + tag, tag)
    assert etag_matches(b"*", tag)
    assert not etag_matches(b'"nope"', tag)


# ------------------------------------------------------------------ records' JSON


def test_a_record_is_encoded_once_per_version():
    records = EncodedRecords()
    result = pb.Result(id="r1", version=1, facts="事实", status=pb.RESULT_STATUS_PUBLISHED)
    first = records.encode(result)
    assert json.loads(first)["facts"] == "事实" and json.loads(first)["status"] == "published"
    assert records.encode(pb.Result.FromString(result.SerializeToString())) is first
    assert records.encoded == 1
    result.under_appeal = True  # any change is another key, never the old JSON
    assert json.loads(records.encode(result))["under_appeal"] is True
    assert records.encoded == 2


def test_encoded_records_are_bounded():
    records = EncodedRecords(max_entries=2)
    for n in range(5):
        records.encode(pb.Result(id=f"r{n}"))
    assert len(records) == 2


def test_pages_are_spliced_as_valid_json():
    items = [b'{"id":"a"}', with_fields(b'{"id":"b"}', snippet="某<b>公司</b>")]
    assert json.loads(page(items, total=2, next_cursor=None)) == {
        "data": [{"id": "a"}, {"id": "b", "snippet": "某<b>公司</b>"}],
        "total": 2,
        "next_cursor": None,
    }
    assert json.loads(page([])) == {"data": []}
    assert json.loads(with_fields(b"{}", snippet="")) == {"snippet": ""}


# ------------------------------------------------------------------ the middleware


class Counting:
    """A stand-in for the routes: counts how often each was really asked."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}
        self.status = 200
        self.gate: asyncio.Event | None = None  # holds the results route until set
        self.entered = asyncio.Event()  # the results route was asked

    def app(self, cache: ReadCache):
        async def results(request):
            self.calls["results"] = self.calls.get("results", 0) + 1
            self.entered.set()
            if self.gate is not None:
                await self.gate.wait()
            return JSONResponse({"data": list(request.query_params.multi_items())}, status_code=self.status)

        async def home(request):
            self.calls["home"] = self.calls.get("home", 0) + 1
            response = Response(f"<p>{request.cookies.get('lang', 'zh')}</p>", media_type="text/html")
            if request.query_params.get("lang"):
                response.set_cookie("lang", request.query_params["lang"])
            return response

        async def write(request):
            return JSONResponse({}, status_code=int(request.query_params.get("status", "200")))

        routes = [
            Route("/api/v1/results", results),
            Route("/api/v1/search", results),
            Route("/api/v1/results/{rid}/history", results),
            Route("/", home),
            Route("/api/v1/agency/results/{rid}/withdrawal", write, methods=["POST"]),
        ]
        return cached_reads.CachedReadsMiddleware(Starlette(routes=routes), cache)


@pytest.fixture
def served():
    cache, routes = ReadCache(), Counting()
    cache.link = lambda: True
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=routes.app(cache)), base_url="http://gw")
    return cache, routes, client


async def test_second_read_is_a_hit_with_the_same_bytes_and_validators(served):
    _cache, routes, client = served
    first = await client.get("/api/v1/results?limit=20")
    second = await client.get("/api/v1/results?limit=20")
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert first.content == second.content and routes.calls["results"] == 1
    assert first.headers["etag"] == second.headers["etag"] == etag_of(first.content).decode()
    assert second.headers["cache-control"] == "public, no-cache"
    assert second.headers["content-type"] == "application/json"
    assert "vary" not in second.headers


async def test_if_none_match_answers_304_on_hit_and_miss(served):
    cache, _routes, client = served
    tag = (await client.get("/api/v1/results")).headers["etag"]
    hit = await client.get("/api/v1/results", headers={"If-None-Match": tag})
    assert hit.status_code == 304 and hit.content == b"" and hit.headers["etag"] == tag
    assert hit.headers["cache-control"] == "public, no-cache"
    cache.invalidate()
    miss = await client.get("/api/v1/results", headers={"If-None-Match": f'W/{tag}, "x"'})
    assert miss.status_code == 304 and miss.headers["x-cache"] == "miss"
    stale = await client.get("/api/v1/results", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.content


async def test_query_order_is_normalised_but_repeated_parameters_keep_theirs(served):
    _cache, _routes, client = served
    await client.get("/api/v1/results?limit=5&agency=A")
    assert (await client.get("/api/v1/results?agency=A&limit=5")).headers["x-cache"] == "hit"
    await client.get("/api/v1/results?category=a&category=b")
    other = await client.get("/api/v1/results?category=b&category=a")  # the route takes the last
    assert other.headers["x-cache"] == "miss" and other.json()["data"] == [
        ["category", "b"],
        ["category", "a"],
    ]


async def test_what_is_never_answered_from_memory(served):
    cache, _routes, client = served
    for _ in range(2):
        authorised = await client.get("/api/v1/results", headers={"Authorization": "Bearer t"})
        other_type = await client.get("/api/v1/search?type=procedures")
        history = await client.get("/api/v1/results/r1/history")
        with_cookie = await client.get("/?lang=en")
    for response in (authorised, other_type, history, with_cookie):
        assert "x-cache" not in response.headers and "etag" not in response.headers
    assert "set-cookie" in with_cookie.headers
    assert len(cache) == 0


async def test_errors_are_not_held_but_tombstones_are(served):
    _cache, routes, client = served
    routes.status = 404
    await client.get("/api/v1/results")
    assert (await client.get("/api/v1/results")).headers.get("x-cache") is None
    routes.status = 410
    await client.get("/api/v1/results")
    gone = await client.get("/api/v1/results")
    assert gone.status_code == 410 and gone.headers["x-cache"] == "hit"


async def test_html_pages_vary_by_language_cookie(served):
    _cache, routes, client = served
    zh = await client.get("/")
    en = await client.get("/", headers={"Cookie": "lang=en"})
    assert (zh.text, en.text) == ("<p>zh</p>", "<p>en</p>")
    assert (await client.get("/", headers={"Cookie": "lang=en"})).headers["x-cache"] == "hit"
    assert zh.headers["vary"] == "Cookie" and routes.calls["home"] == 2


async def test_a_write_through_the_gateway_drops_the_cache_before_its_reply(served):
    cache, _routes, client = served
    await client.get("/api/v1/results")
    refused = await client.post("/api/v1/agency/results/r1/withdrawal?status=403")
    assert refused.status_code == 403 and len(cache) == 1  # nothing changed
    seen = []
    inner = cache.invalidate
    cache.invalidate = lambda: (seen.append(len(cache)), inner())  # type: ignore[method-assign]
    done = await client.post("/api/v1/agency/results/r1/withdrawal")
    assert done.status_code == 200 and seen == [1] and len(cache) == 0
    assert (await client.get("/api/v1/results")).headers["x-cache"] == "miss"


async def test_while_changes_cannot_be_heard_nothing_is_served_or_stored(served):
    cache, routes, client = served
    await client.get("/api/v1/results")
    cache.link = lambda: False
    for _ in range(2):
        response = await client.get("/api/v1/results")
        assert response.headers["x-cache"] == "bypass" and response.headers["etag"]
    assert routes.calls["results"] == 3 and len(cache) == 1  # the old entry is not served either
    cache.link = lambda: True
    assert (await client.get("/api/v1/results")).headers["x-cache"] == "hit"


async def test_a_burst_of_misses_asks_the_route_once(served):
    _cache, routes, client = served
    routes.gate = asyncio.Event()
    burst = [asyncio.create_task(client.get("/api/v1/results?limit=3")) for _ in range(5)]
    await routes.entered.wait()
    await asyncio.sleep(0.05)  # the other four are waiting for that one
    routes.gate.set()
    answers = await asyncio.gather(*burst)
    assert routes.calls["results"] == 1
    assert sorted(r.headers["x-cache"] for r in answers) == ["hit", "hit", "hit", "hit", "miss"]
    assert len({r.content for r in answers}) == 1


async def test_a_change_during_a_computation_sends_its_waiters_to_the_route(served):
    cache, routes, client = served
    routes.gate = asyncio.Event()
    first = asyncio.create_task(client.get("/api/v1/results"))
    await routes.entered.wait()
    waiting = asyncio.create_task(client.get("/api/v1/results"))
    await asyncio.sleep(0.05)
    cache.invalidate()  # the page being computed may predate this change
    late = asyncio.create_task(client.get("/api/v1/results"))  # arrives after the change
    await asyncio.sleep(0.05)
    routes.gate.set()
    answers = await asyncio.gather(first, waiting, late)
    assert routes.calls["results"] == 3 and all(r.headers["x-cache"] == "miss" for r in answers)


# ------------------------------------------------------------------ the link to NATS


class FakeNats:
    def __init__(self) -> None:
        self.stats = {"reconnects": 0}
        self.is_connected = True
        self.flushes = 0
        self.subscribed: list[str] = []

    async def subscribe(self, subject, cb):
        self.subscribed.append(subject)
        self.cb = cb
        return object()

    async def flush(self, timeout):  # noqa: ASYNC109 (nats-py's signature)
        self.flushes += 1
        if not self.is_connected:
            raise TimeoutError


class FakeBus:
    def __init__(self) -> None:
        self.nc = FakeNats()

    @property
    def connected(self) -> bool:
        return self.nc.is_connected


async def test_the_cache_serves_only_while_its_subscription_is_confirmed():
    cache, bus = ReadCache(), FakeBus()
    invalidator = CacheInvalidator(cache, bus)
    assert not cache.serving()  # not yet subscribed
    ready = asyncio.Event()
    ready.set()
    await invalidator.start(ready)
    assert bus.nc.subscribed == ["gongshi.results.>"] and cache.serving()
    cache.put("a", entry(), cache.generation)
    await bus.nc.cb(None)  # any results event
    assert len(cache) == 0

    cache.put("a", entry(), cache.generation)
    bus.nc.is_connected = False
    assert not cache.serving()
    bus.nc.is_connected, bus.nc.stats["reconnects"] = True, 1  # back, maybe after missing events
    assert not cache.serving()  # until the subscription is confirmed again
    await invalidator._confirming
    assert cache.serving() and len(cache) == 0  # emptied: what was missed is not served

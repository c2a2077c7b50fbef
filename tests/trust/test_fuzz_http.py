"""Property-based bad input for every gateway endpoint: every operation in the
OpenAPI document and every portal page, with random path segments, query
parameters, headers and bodies (random JSON, random bytes, wrong content
types). No 5xx, API refusals are RFC 9457 problem documents (a 400 names the
offending fields), and refused writes store nothing."""

from __future__ import annotations

import asyncio
import json
import os
import urllib.parse
import uuid

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from gateway.app import create_app
from gateway.open311 import is_spec_path
from services.runtime.db import Database
from services.runtime.settings import SERVICE_NAMES, Settings
from tests.support.fuzz_tally import TRIED
from tests.support.platform import register_agency
from tests.trust.fuzz import _TEXT

EXAMPLES = int(os.environ.get("GONGSHI_FUZZ_EXAMPLES", "15"))
PORTAL_PAGES = [
    ("GET", "/", []),
    ("GET", "/search", ["q", "type", "agency", "region", "category", "page", "lang"]),
    ("GET", "/statistics", ["agency", "region", "category", "decided_from", "decided_to"]),
    ("GET", "/reports/annual", ["agency", "year"]),
    ("GET", "/results/{result_id}", ["lang"]),
    ("GET", "/results/{result_id}/history", []),
    ("GET", "/takedowns", ["agency", "cursor"]),
    ("GET", "/agencies/{code}", ["version"]),
    ("GET", "/agencies/{code}/chain", ["cursor"]),
    ("GET", "/duty-items/{agency}/{code}", ["version"]),
    ("GET", "/legal-bases/{agency}/{code}", ["version"]),
    ("GET", "/procedures/{agency}/{code}", ["version"]),
    ("GET", "/supervision-channels/{agency}/{code}", ["version"]),
    ("GET", "/inspection-items/{agency}/{code}", ["version"]),
    ("GET", "/officers/check", ["certificate"]),
    ("GET", "/feedback", ["status", "agency", "cursor"]),
    ("GET", "/feedback/new", ["target_type", "target_id"]),
    ("GET", "/feedback/{request_id}", []),
    ("POST", "/feedback/new", ["text", "category", "target_type", "target_id", "csrf_token"]),
    ("POST", "/feedback/track", ["tracking_code", "secret", "csrf_token"]),
    ("POST", "/feedback/{request_id}/flag", ["reason", "csrf_token"]),
]


def operations() -> list[tuple[str, str, list[str]]]:
    spec = create_app(Settings()).openapi()
    found = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            query = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
            found.append((method.upper(), path, query))
    return sorted(found) + PORTAL_PAGES


_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), _TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_TEXT, children, max_size=5)),
    max_leaves=12,
)
_BODY = st.one_of(
    st.tuples(st.just("application/json"), _JSON.map(lambda v: json.dumps(v).encode())),
    st.tuples(st.just("application/json"), st.binary(max_size=200)),
    st.tuples(
        st.just("application/x-www-form-urlencoded"),
        st.dictionaries(_TEXT, _TEXT, max_size=5).map(lambda d: urllib.parse.urlencode(d).encode()),
    ),
    st.tuples(
        st.sampled_from(["text/plain", "multipart/form-data", "application/xml"]), st.binary(max_size=200)
    ),
)


class Gateway:
    def __init__(self, running, settings, token: str) -> None:
        self.http = httpx.Client(base_url=running.gateway.address, timeout=30)
        self.token = token
        self.loop = asyncio.new_event_loop()
        self.dbs = [Database(settings.db_url(name)) for name in SERVICE_NAMES]

    def stored(self) -> tuple[int, ...]:
        """Audit entries and outbox rows of every service: any write adds to them."""

        async def count() -> tuple[int, ...]:
            totals = []
            for db in self.dbs:
                async with db.engine.connect() as conn:
                    totals.append((await conn.execute(text("SELECT count(*) FROM audit_log"))).scalar())
                    totals.append((await conn.execute(text("SELECT count(*) FROM outbox"))).scalar())
            return tuple(totals)

        return self.loop.run_until_complete(count())

    def close(self) -> None:
        self.http.close()
        for db in self.dbs:
            self.loop.run_until_complete(db.dispose())
        self.loop.close()


@pytest.fixture(scope="module")
def gateway(platform):
    running, settings = platform
    token = register_agency(settings, f"HTF-{uuid.uuid4().hex[:6]}")
    built = Gateway(running, settings, token)
    yield built
    built.close()


def check_response(method: str, path: str, response: httpx.Response) -> None:
    assert response.status_code < 500, f"{method} {path} -> {response.status_code}: {response.text[:300]}"
    if is_spec_path(response.url.path) and response.status_code >= 400:
        # Open311's own paths answer in its error shape (docs/api.md), one entry per refused field.
        if response.url.path.endswith(".xml"):
            assert response.headers["content-type"].startswith("text/xml"), response.text[:200]
            assert b"<errors><error><code>" in response.content, response.text[:200]
            return
        errors = response.json()
        assert errors and all(e["code"] == response.status_code and e["description"] for e in errors)
        return
    if path.startswith("/api/") and response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json"), response.text[:200]
        problem = response.json()
        assert problem["status"] == response.status_code and problem["title"]
        if response.status_code == 400:
            fields = [e.get("field") for e in problem.get("errors", [])]
            assert fields and all(fields), f"{method} {path}: a 400 that names no field: {problem}"


@pytest.mark.parametrize(
    ("method", "path", "query"), operations(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_random_http_input_is_refused_cleanly(gateway, method, path, query):
    if path == "/api/v1/events/stream":
        pytest.skip("an endless stream: tests/integration/test_stream.py covers its refusals")
    segments = st.text(min_size=1, max_size=30).map(lambda s: urllib.parse.quote(s, safe=""))
    names = [n.strip("{}") for n in path.split("/") if n.startswith("{")]
    writes = method in ("POST", "PUT", "DELETE", "PATCH")
    outcomes: list[int] = []
    before = gateway.stored() if writes else None

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        params=st.fixed_dictionaries({}, optional={name: _TEXT for name in query}),
        values=st.fixed_dictionaries({name: segments for name in names}),
        body=_BODY,
        authorised=st.booleans(),
    )
    def one(params, values, body, authorised) -> None:
        url = path
        for name, value in values.items():
            url = url.replace("{" + name + "}", value)
        headers = {"authorization": f"Bearer {gateway.token}"} if authorised else {}
        content = None
        if writes:
            headers["content-type"], content = body
        TRIED["HTTP"][f"{method} {path}"] += 1
        response = gateway.http.request(method, url, params=params, headers=headers, content=content)
        outcomes.append(response.status_code)
        check_response(method, path, response)

    one()
    if writes and all(code >= 400 for code in outcomes):
        assert gateway.stored() == before, f"{method} {path}: a refused request stored something"

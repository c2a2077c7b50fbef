"""The public API as a contract: the OpenAPI document is valid, names every
endpoint, and property-based requests (schemathesis) against the live gateway
never produce a server error and get only what the document promises: its
status codes, content types and response schemas, also along its links."""

from __future__ import annotations

import importlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import grpc
import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from gongshi.v1 import results_pb2_grpc
from services.runtime import limits
from tests.integration.gateway_support import publish
from tests.support.decisions import penalty
from tests.support.platform import register_agency

# The live stream never ends by itself; tests/integration/test_stream.py exercises it.
STREAMING = "/api/v1/events/stream"
EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MINE = {
    ("GET", "/api/v1/search"),
    ("GET", "/api/v1/statistics"),
    ("GET", "/api/v1/reports/annual/{agency}/{year}"),
    ("GET", "/api/v1/exports/results.csv"),
    ("GET", "/api/v1/exports/results.ndjson"),
    ("GET", "/feeds/results.atom"),
    ("GET", STREAMING),
    ("POST", "/api/v1/webhooks"),
    ("GET", "/api/v1/webhooks/{webhook_id}"),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"),
}


@pytest.fixture(scope="module")
def running(subscription_platform):
    platform = subscription_platform
    code = f"SCJG-{uuid.uuid4().hex[:8]}"
    token = register_agency(platform.settings, code)
    with grpc.insecure_channel(platform.settings.grpc_addr("results")) as channel:
        stub = results_pb2_grpc.ResultsServiceStub(channel)
        for _ in range(3):
            publish(stub, token, penalty())
    return platform


@pytest.fixture(scope="module")
def openapi(running) -> dict:
    return httpx.get(f"{running.gateway.address}/openapi.json", timeout=10).json()


@pytest.fixture(scope="module")
def api_schema(running):
    return schemathesis.openapi.from_url(f"{running.gateway.address}/openapi.json").exclude(path=STREAMING)


def test_openapi_document_is_valid_and_documents_every_public_endpoint(openapi):
    from jsonschema import Draft202012Validator

    assert openapi["openapi"].startswith("3.")
    operations = {(m.upper(), p) for p, item in openapi["paths"].items() for m in item if m != "parameters"}
    assert operations >= MINE
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
    # Every schema in the document is itself a valid JSON Schema.
    for name, schema in openapi.get("components", {}).get("schemas", {}).items():
        Draft202012Validator.check_schema(schema), name
    search = openapi["paths"]["/api/v1/search"]["get"]
    limit = next(p for p in search["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == limits.MAX_PAGE_SIZE  # the page-size cap is documented


def test_every_documented_endpoint_answers_without_a_server_error(running, openapi):
    """One plain request per operation (schemathesis below varies them)."""
    with httpx.Client(base_url=running.gateway.address, timeout=20) as http:
        for path, item in openapi["paths"].items():
            for method in item:
                if path == STREAMING:
                    continue
                response = http.request(method.upper(), path.format_map(_Samples()))
                assert response.status_code < 500, (method, path, response.status_code, response.text[:300])


class _Samples(dict):
    """A plausible value for any path parameter."""

    def __missing__(self, key):
        return {"agency": "SCJG-0001", "code": "SCJG-0001", "year": "2025"}.get(key, "0" * 26)


def _documented_operations() -> list[tuple[str, str]]:
    # The document as the app builds it (no servers needed), so each operation is its own test.
    from gateway.app import create_app

    document = create_app().openapi()
    return sorted(
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if path != STREAMING and method != "parameters"
    )


@pytest.mark.parametrize(("method", "path"), _documented_operations())
def test_generated_requests_get_what_the_document_promises(api_schema, method, path):
    """Generated requests, valid and invalid, never make the gateway fail, and every
    answer has a documented status, content type and schema. (Driven by hand:
    schemathesis' pytest plugin does not run under this pytest version.)"""
    operation = api_schema.find_operation_by_path(method, path)
    assert operation is not None, f"{method} {path} is missing from the live document"

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy())
    def call(case):
        case.call_and_validate(checks=CHECKS, timeout=20)

    call()


def test_the_stateful_phase_follows_the_declared_links(api_schema, openapi):
    """Schemathesis' stateful phase on the Open311 requests: submit feedback, then read
    and track it through the links the document declares, with the same checks. Each
    call comes from its own address (X-Forwarded-For from the local proxy), so the
    per-address submission limit leaves room for the links to be followed."""
    links = openapi["paths"]["/api/v1/requests.json"]["post"]["responses"]["201"]["links"]
    assert {"ReadRequest", "TrackRequest"} <= set(links)
    followed: Counter[str] = Counter()
    base = api_schema.include(path_regex=r"^/api/v1/requests").as_state_machine()

    class Machine(base):
        def get_call_kwargs(self, case):
            calls = sum(followed.values())
            return {"headers": {"X-Forwarded-For": f"198.51.{calls // 250 % 250}.{calls % 250 + 1}"}}

        def after_call(self, response, case):
            followed[f"{case.operation.method.upper()} {case.operation.path} {response.status_code}"] += 1

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Machine.run(
        settings=settings(
            max_examples=15,
            stateful_step_count=4,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
    assert followed["POST /api/v1/requests.json 201"], followed
    assert followed["GET /api/v1/requests/{request_id}.json 200"], followed
    assert followed["POST /api/v1/requests/{request_id}/tracking.json 200"], followed


def test_a_generated_typed_client_lists_searches_reads_and_submits(running, tmp_path):
    """openapi-python-client builds a typed client from the live /openapi.json; its
    models parse what the gateway answers (a wrong schema fails here)."""
    spec = tmp_path / "openapi.json"
    spec.write_bytes(httpx.get(f"{running.gateway.address}/openapi.json", timeout=10).content)
    output = tmp_path / "gongshi_client"
    bin_dir = str(Path(sys.executable).parent)  # the generator formats with ruff from the venv
    subprocess.run(
        [f"{bin_dir}/openapi-python-client", "generate", "--path", str(spec), "--meta", "none",
         "--output-path", str(output)],
        check=True, timeout=240, capture_output=True,
        env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
    )  # fmt: skip
    _import_unset_where_used(output)
    sys.path.insert(0, str(tmp_path))
    try:
        api = importlib.import_module("gongshi_client")
        results = importlib.import_module("gongshi_client.api.results")
        models = importlib.import_module("gongshi_client.models")
        # Its own address: the generated-request tests used up the local one's submissions.
        client = api.Client(
            base_url=running.gateway.address,
            raise_on_unexpected_status=True,
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
        list_results = importlib.import_module(f"{results.__name__}.list_results_api_v1_results_get")
        get_result = importlib.import_module(f"{results.__name__}.get_result_api_v1_results_result_id_get")
        search = importlib.import_module("gongshi_client.api.search.search_api_v1_search_get")
        submit = importlib.import_module(
            "gongshi_client.api.feedback_open_311.submit_api_v1_requests_json_post"
        )

        page = list_results.sync(client=client, limit=2)
        assert isinstance(page, models.ListResultsApiV1ResultsGetResponse200)
        assert len(page.data) == 2 and page.total >= 3 and isinstance(page.next_cursor, str)
        first = page.data[0]
        assert isinstance(first, models.Result) and first.party.name and first.agency_code
        following = list_results.sync(client=client, limit=2, cursor=page.next_cursor)
        assert following.data[0].id not in {r.id for r in page.data}

        record = get_result.sync(first.id, client=client)
        assert isinstance(record, models.Result) and record.document_number == first.document_number

        deadline = time.monotonic() + 15
        while not (found := search.sync(client=client, q=first.party.name[:4])).data:
            assert time.monotonic() < deadline, "the search index never listed the published results"
            time.sleep(0.2)
        assert found.total >= 1

        submission = models.SubmitApiV1RequestsJsonPostJsonFeedbackSubmission
        body = submission(
            service_code=models.SubmitApiV1RequestsJsonPostJsonFeedbackSubmissionServiceCode.SUGGESTION,
            description="公示信息清晰，建议增加英文版。",
            target_type="result",
            target_id=first.id,
        )
        created = submit.sync(client=client, body=body)
        assert created[0].service_request_id.startswith("GS-") and created[0].secret
        blank = submission(service_code=body.service_code, description="   ")
        refused = submit.sync_detailed(client=client, body=blank)
        assert refused.status_code == 400 and refused.parsed[0].description.startswith("description: ")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == "gongshi_client" or n.startswith("gongshi_client.")]:
            del sys.modules[name]


def _import_unset_where_used(package: Path) -> None:
    """openapi-python-client 0.29.1 annotates a required body that has several content
    types (our Open311 POST: form, JSON, multipart) with `| Unset` but does not import
    `Unset` (openapi-generators/openapi-python-client#1451, fix pending in #1478). Add
    the import it forgot; nothing else in the generated code is touched."""
    for module in (package / "api").rglob("*.py"):
        text = module.read_text()
        if "| Unset" in text and "from ...types import UNSET, Response\n" in text:
            module.write_text(
                text.replace(
                    "from ...types import UNSET, Response\n", "from ...types import UNSET, Response, Unset\n"
                )
            )


@pytest.mark.parametrize(
    "raw",
    [
        b"GET /api/v1/results?q=" + b"a" * 200_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"NOT HTTP AT ALL\r\n\r\n",
    ],
    ids=["over-long request line", "not a request"],
)
def test_requests_the_server_cannot_parse_get_problem_details(running, raw):
    host, port = running.gateway.address.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(raw)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ") and b"content-type: application/problem+json" in head.lower()
    problem = json.loads(body)
    assert problem["status"] == 400 and problem["errors"][0]["field"] == "request"


def test_a_cursor_works_only_on_the_list_that_made_it(running):
    with httpx.Client(base_url=running.gateway.address, timeout=20) as http:
        first = http.get("/api/v1/results", params={"limit": 1}).json()
        cursor = first["next_cursor"]
        following = http.get("/api/v1/results", params={"limit": 1, "cursor": cursor})
        assert following.status_code == 200 and following.json()["data"][0]["id"] != first["data"][0]["id"]
        for path, bad in [
            ("/api/v1/takedowns", cursor),  # made by /api/v1/results
            ("/api/v1/agencies", "SCJG-0001"),  # a raw agency code is no cursor
            ("/api/v1/agencies", "not-a-cursor"),
            ("/api/v1/results", cursor[:-2] + "AA"),  # tampered
        ]:
            refused = http.get(path, params={"cursor": bad})
            assert refused.status_code == 400, (path, bad, refused.text)
            assert refused.headers["content-type"] == "application/problem+json"
            assert [e["field"] for e in refused.json()["errors"]] == ["cursor"], refused.json()

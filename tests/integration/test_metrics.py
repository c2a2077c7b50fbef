"""Prometheus metrics on every service's metrics port and on the gateway."""

from __future__ import annotations

import time
import urllib.request
import uuid

import grpc
import httpx
import pytest

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from tests.support.decisions import penalty
from tests.support.platform import auth, register_agency


@pytest.fixture(scope="module")
def platform(shared_platform):
    """The session's platform: these tests work under agencies of their own."""
    return shared_platform


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return response.read().decode()


def has_sample(text: str, name: str, **labels: str) -> bool:
    """A sample line of `name` carrying every given label (others may be present)."""
    wanted = [f'{key}="{value}"' for key, value in labels.items()]
    return any(line.startswith(name + "{") and all(w in line for w in wanted) for line in text.splitlines())


def test_services_and_gateway_expose_metrics(platform):
    running, settings = platform
    code = f"MET-{uuid.uuid4().hex[:8]}"
    token = register_agency(settings, code)
    with grpc.insecure_channel(settings.grpc_addr("results")) as channel:
        results_pb2_grpc.ResultsServiceStub(channel).PublishDecision(
            pb.PublishDecisionRequest(decision=penalty()), metadata=auth(token), timeout=10
        )

    text = scrape(settings.metrics_port("results"))
    route = "/gongshi.v1.ResultsService/PublishDecision"
    assert has_sample(text, "gongshi_rpc_requests_total", code="OK", route=route)
    # register_agency's readiness probe was refused as bad input:
    assert has_sample(text, "gongshi_rpc_requests_total", code="INVALID_ARGUMENT", route=route)
    assert "gongshi_outbox_backlog" in text and "gongshi_outbox_oldest_age_seconds" in text
    assert has_sample(text, "gongshi_consumer_applied", consumer="results-credentials")
    # Publication timeliness per agency (the decision was pushed after its deadline).
    for _ in range(40):
        text = scrape(settings.metrics_port("results"))
        if has_sample(text, "gongshi_publication_on_time_ratio", agency=code):
            break
        time.sleep(0.25)
    ratio = next(
        line
        for line in text.splitlines()
        if line.startswith("gongshi_publication_on_time_ratio{") and f'agency="{code}"' in line
    )
    assert float(ratio.rsplit(" ", 1)[1]) == 0.0
    for name in ("duties", "procedures", "feedback"):
        assert "gongshi_outbox_backlog" in scrape(settings.metrics_port(name))

    with httpx.Client(base_url=running.gateway.address) as http:
        http.get("/api/v1/results")
        body = http.get("/metrics").text
    assert has_sample(body, "gongshi_http_requests_total", route="GET /api/v1/results", code="200")
    assert "gongshi_http_duration_seconds_bucket" in body
    # Latency buckets are in seconds: a fast request falls in a sub-second bucket, not "<= 5".
    assert has_sample(body, "gongshi_http_duration_seconds_bucket", route="GET /api/v1/results", le="0.5")

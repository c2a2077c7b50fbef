"""Webhooks: signed deliveries, retries with back-off, a delivery log, and
delivery of events that arrive while the gateway is down."""

from __future__ import annotations

import uuid

import grpc
import httpx
import pytest

from gateway.subscriptions.webhooks import SIGNATURE_HEADER, verify
from gongshi.v1 import results_pb2_grpc
from tests.integration.gateway_support import Receiver, publish, start_subscription_platform
from tests.support.decisions import penalty
from tests.support.platform import register_agency


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    platform = start_subscription_platform(tmp_path_factory.mktemp("webhooks"))
    yield platform
    platform.stop()


@pytest.fixture(scope="module")
def results(running):
    channel = grpc.insecure_channel(running.settings.grpc_addr("results"))
    yield results_pb2_grpc.ResultsServiceStub(channel)
    channel.close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def ids_of(bodies: list[dict]) -> list[str]:
    return [b["data"]["result"]["id"] for b in bodies]


def test_signed_retried_and_surviving_a_gateway_restart(running, results, receiver):
    code = f"SCJG-{uuid.uuid4().hex[:8]}"
    token = register_agency(running.settings, code)
    http = httpx.Client(base_url=running.gateway.address, timeout=10)
    created = http.post("/api/v1/webhooks", json={"url": receiver.url, "domain": "results", "agency": code})
    assert created.status_code == 201, created.text
    hook = created.json()
    secret = hook["secret"]
    assert hook["filters"] == {"domain": "results", "agency": code} and not hook["oversight"]

    first = publish(results, token, penalty()).id
    receiver.wait_for(lambda b: ids_of(b) == [first])
    headers, body = receiver.received[0]
    assert verify(secret, headers[SIGNATURE_HEADER], body)
    assert not verify(secret, headers[SIGNATURE_HEADER], body + b" ")
    assert not verify("whsec_other", headers[SIGNATURE_HEADER], body)
    assert headers["Gongshi-Webhook-Id"] == hook["id"]

    # The receiver fails twice: the delivery is retried until it succeeds.
    receiver.fail_next = 2
    second = publish(results, token, penalty()).id
    receiver.wait_for(lambda b: ids_of(b) == [first, second])

    # Events published while the gateway is down are delivered after it restarts.
    running.gateway.stop()
    third = publish(results, token, penalty()).id
    running.gateway.start()
    running.gateway.wait_healthy(30)
    fourth = publish(results, token, penalty()).id
    receiver.wait_for(lambda b: sorted(ids_of(b)) == sorted([first, second, third, fourth]), timeout=30)
    assert len(ids_of(receiver.bodies())) == 4  # none twice
    for headers, body in receiver.received:
        assert verify(secret, headers[SIGNATURE_HEADER], body)

    log = http.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers={"Authorization": f"Bearer {secret}"})
    assert log.status_code == 200
    entries = log.json()["data"]
    assert len(entries) == 4 and all(e["status"] == "delivered" for e in entries)
    retried = next(e for e in entries if e["event_id"] == receiver.bodies()[1]["id"])
    assert retried["attempts"] == 3 and retried["last_status_code"] == 204

    assert http.get(f"/api/v1/webhooks/{hook['id']}/deliveries").status_code == 401
    wrong = http.get(f"/api/v1/webhooks/{hook['id']}", headers={"Authorization": "Bearer whsec_wrong"})
    assert wrong.status_code == 404
    mine = http.get(f"/api/v1/webhooks/{hook['id']}", headers={"Authorization": f"Bearer {secret}"})
    assert mine.json()["url"] == receiver.url
    assert (
        http.delete(
            f"/api/v1/webhooks/{hook['id']}", headers={"Authorization": f"Bearer {secret}"}
        ).status_code
        == 204
    )
    http.close()


def test_registration_is_validated(running):
    with httpx.Client(base_url=running.gateway.address, timeout=10) as http:
        for body in (
            {"url": "ftp://127.0.0.1/x"},
            {"url": "not a url"},
            {"url": "http://user:pw@127.0.0.1/x"},
            {"url": "http://127.0.0.1/x", "domain": "nonsense"},
        ):
            response = http.post("/api/v1/webhooks", json=body)
            assert response.status_code == 400, (body, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
        oversight_only = http.post(
            "/api/v1/webhooks", json={"url": "http://127.0.0.1/x", "domain": "deadletter"}
        )
        assert oversight_only.status_code == 403


def test_a_region_filter_delivers_only_that_regions_events(running, results, receiver):
    """The intake reads each agency's region (from duties) for region filters."""
    here, elsewhere = f"SCJG-{uuid.uuid4().hex[:8]}", f"SCJG-{uuid.uuid4().hex[:8]}"
    region = f"{uuid.uuid4().int % 900000 + 100000}"
    token_here = register_agency(running.settings, here, region=region)
    token_elsewhere = register_agency(running.settings, elsewhere, region="440305")
    with httpx.Client(base_url=running.gateway.address, timeout=10) as http:
        created = http.post(
            "/api/v1/webhooks", json={"url": receiver.url, "domain": "results", "region": region}
        )
        assert created.status_code == 201, created.text
        secret = created.json()["secret"]
        skipped = publish(results, token_elsewhere, penalty()).id
        wanted = publish(results, token_here, penalty()).id
        receiver.wait_for(lambda b: wanted in ids_of(b))
        assert skipped not in ids_of(receiver.bodies())
        hook = created.json()["id"]
        assert (
            http.delete(f"/api/v1/webhooks/{hook}", headers={"Authorization": f"Bearer {secret}"}).status_code
            == 204
        )

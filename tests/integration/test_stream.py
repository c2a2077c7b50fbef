"""The live event stream: resumable with Last-Event-ID without gaps or
repeats; oversight events only for oversight credentials."""

from __future__ import annotations

import asyncio
import time
import uuid

import grpc
import httpx
import pytest

from gongshi.v1 import results_pb2_grpc
from tests.integration.gateway_support import (
    issue_oversight_token,
    publish,
    read_events,
)
from tests.support.decisions import penalty
from tests.support.platform import register_agency


@pytest.fixture(scope="module")
def running(subscription_platform):
    return subscription_platform


@pytest.fixture(scope="module")
def agency(running):
    code = f"SCJG-{uuid.uuid4().hex[:8]}"
    return code, register_agency(running.settings, code)


@pytest.fixture(scope="module")
def results(running):
    channel = grpc.insecure_channel(running.settings.grpc_addr("results"))
    yield results_pb2_grpc.ResultsServiceStub(channel)
    channel.close()


def test_resume_with_last_event_id_misses_nothing(running, agency, results):
    code, token = agency
    base = running.gateway.address
    params = {"domain": "results", "agency": code}
    first_ids: list[str] = []

    def publish_three():
        first_ids.extend(publish(results, token, penalty()).id for _ in range(3))

    first = asyncio.run(read_events(base, params, 3, on_connected=publish_three))
    assert [e["data"]["data"]["result"]["id"] for e in first] == first_ids
    assert all(e["event"] == "results.published" and e["data"]["agency_code"] == code for e in first)
    sequences = [e["id"] for e in first]
    assert sequences == sorted(sequences) and sequences == [e["data"]["sequence"] for e in first]

    # While nobody listens, two more are published.
    later_ids = [publish(results, token, penalty()).id for _ in range(2)]
    resumed = asyncio.run(read_events(base, params, 2, headers={"Last-Event-ID": str(sequences[-1])}))
    assert [e["data"]["data"]["result"]["id"] for e in resumed] == later_ids

    # Resuming from an earlier point replays exactly what followed it.
    replay = asyncio.run(read_events(base, {**params, "last_event_id": sequences[0]}, 4))
    assert [e["data"]["data"]["result"]["id"] for e in replay] == [*first_ids[1:], *later_ids]


def test_oversight_events_need_an_oversight_credential(running, agency):
    base = running.gateway.address
    with httpx.Client(base_url=base, timeout=10) as http:
        refused = http.get("/api/v1/events/stream", params={"domain": "deadletter"})
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert http.get("/api/v1/events/stream", params={"event": "overdue"}).status_code == 403
        bad = http.get("/api/v1/events/stream", headers={"Authorization": "Bearer gs_nope_nope"})
        assert bad.status_code == 401

    token = issue_oversight_token(running.settings)
    deadline = time.monotonic() + 15
    while True:  # the gateway learns the credential from an event
        with httpx.Client(base_url=base, timeout=10) as http, http.stream(
            "GET", "/api/v1/events/stream", params={"domain": "deadletter"},
            headers={"Authorization": f"Bearer {token}"},
        ) as response:  # fmt: skip
            if response.status_code == 200:
                break
        assert time.monotonic() < deadline, "the gateway never accepted the oversight credential"
        time.sleep(0.2)

"""Crash test: the results service dies after a write commits but before its
event is published; after a restart the event is delivered exactly once."""

from __future__ import annotations

import asyncio
import time
import uuid

import grpc

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from tests.support.decisions import penalty
from tests.support.platform import auth, register_agency
from tests.support.results import events_for


def test_event_survives_a_crash_between_commit_and_publish(platform):
    running, settings = platform
    code = f"CRASH-{uuid.uuid4().hex[:8]}"
    token = register_agency(settings, code)

    # With NATS gone nothing can be published: the write commits, its event stays in the outbox.
    running.nats.kill()
    with grpc.insecure_channel(settings.grpc_addr("results")) as channel:
        reply = results_pb2_grpc.ResultsServiceStub(channel).PublishDecision(
            pb.PublishDecisionRequest(decision=penalty()), metadata=auth(token), timeout=10
        )
    assert reply.created
    running.services["results"].kill()  # SIGKILL: no shutdown flush

    running.nats.start()
    running.nats.wait_healthy()
    running.services["results"].start()
    running.services["results"].wait_healthy(60)

    subject = f"gongshi.results.published.{code}"
    messages = asyncio.run(events_for(running.nats.address, subject))
    time.sleep(1.5)  # leave room for a second (wrong) publish to show up
    messages = asyncio.run(events_for(running.nats.address, subject))
    ids = [pb.ResultPublished.FromString(m.data).result.id for m in messages]
    assert ids == [reply.result.id]

    # The record survived too, and a retry of the push still finds it.
    with grpc.insecure_channel(settings.grpc_addr("results")) as channel:
        stub = results_pb2_grpc.ResultsServiceStub(channel)
        assert stub.GetResult(pb.GetResultRequest(id=reply.result.id), timeout=10).id == reply.result.id

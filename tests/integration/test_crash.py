"""Crash test: the results service dies after a write commits but before its
event is published; after a restart the event is delivered exactly once."""

from __future__ import annotations

import asyncio
import time
import uuid

import grpc

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc, results_query_pb2_grpc
from gongshi.v1 import results_query_pb2 as qpb
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


def test_a_record_committed_but_not_yet_indexed_is_searchable_once_after_a_crash(platform):
    """The search row is written after the publishing transaction (index_queue.py): a crash
    in between leaves the queue row, and the restarted service indexes the record once."""
    running, settings = platform
    code = f"INDEX-{uuid.uuid4().hex[:8]}"
    token = register_agency(settings, code)
    results = running.services["results"]
    number = f"沪黄市监罚〔2026〕索引{uuid.uuid4().hex[:6]}号"

    results.stop()
    results.env["GONGSHI_RESULTS_INDEX_PAUSED"] = "1"  # committed, never indexed
    results.start()
    results.wait_healthy(60)
    try:
        with grpc.insecure_channel(settings.grpc_addr("results")) as channel:
            reply = results_pb2_grpc.ResultsServiceStub(channel).PublishDecision(
                pb.PublishDecisionRequest(decision=penalty(document_number=number)),
                metadata=auth(token),
                timeout=10,
            )
            assert reply.created
            assert _search_ids(channel, number) == []  # stored, not in the index yet
        results.kill()  # SIGKILL between the commit and the index
    finally:
        del results.env["GONGSHI_RESULTS_INDEX_PAUSED"]
    results.start()
    results.wait_healthy(60)

    with grpc.insecure_channel(settings.grpc_addr("results")) as channel:
        deadline = time.monotonic() + 30  # a loaded CI machine restarts slowly
        while (found := _search_ids(channel, number)) == [] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert found == [reply.result.id]
        time.sleep(0.5)  # a second (wrong) application would show as a second hit
        assert _search_ids(channel, number) == [reply.result.id]
        # The statistics read model counts it once too.
        stats = results_query_pb2_grpc.ResultsQueryServiceStub(channel).Statistics(
            qpb.StatisticsRequest(agency_code=code), timeout=10
        )
        assert stats.decisions == 1


def _search_ids(channel, number: str) -> list[str]:
    reply = results_query_pb2_grpc.ResultsQueryServiceStub(channel).SearchResults(
        qpb.SearchResultsRequest(query=number), timeout=10
    )
    return [hit.result.id for hit in reply.hits]

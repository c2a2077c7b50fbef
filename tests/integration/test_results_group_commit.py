"""Concurrent PublishDecision calls are committed in groups (services/results/
group_commit.py): over real gRPC, a burst of calls with retries, bad input,
two agencies and the publication of registered records must still give
every caller its own answer, store each decision once, raise one event per
created decision, and record each call's own credential and trace."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from tests.support.decisions import penalty
from tests.support.platform import auth, register_agency
from tests.support.results import events_for, field_violations, sql


@pytest.fixture(scope="module")
def agencies(platform) -> dict[str, tuple[str, str]]:
    _, settings = platform
    return {
        name: (code, register_agency(settings, code))
        for name, code in (("a", f"GC-A-{uuid.uuid4().hex[:8]}"), ("b", f"GC-B-{uuid.uuid4().hex[:8]}"))
    }


async def _burst(address: str, calls: list[tuple[str, pb.PublishDecisionRequest]]) -> list:
    """Every call at once on one channel; each answer or error, in call order."""
    async with grpc.aio.insecure_channel(address) as channel:
        stub = results_pb2_grpc.ResultsServiceStub(channel)
        await channel.channel_ready()
        return await asyncio.gather(
            *(stub.PublishDecision(request, metadata=auth(token), timeout=30) for token, request in calls),
            return_exceptions=True,
        )


def test_a_burst_of_single_publications_answers_each_caller_and_stores_each_decision_once(platform, agencies):
    running, settings = platform
    (code_a, token_a), (code_b, token_b) = agencies["a"], agencies["b"]
    tag = uuid.uuid4().hex[:6]

    def number(kind: str, i: int) -> str:
        return f"沪黄市监罚〔2026〕{tag}{kind}{i}号"

    # Registered ahead (PENDING): published in the burst, keeping their ids.
    registered = {}
    with grpc.insecure_channel(settings.grpc_addr("results")) as channel:
        stub = results_pb2_grpc.ResultsServiceStub(channel)
        for i in range(2):
            reply = stub.RegisterDecision(
                pb.RegisterDecisionRequest(decision=penalty(number("R", i))),
                metadata=auth(token_a),
                timeout=10,
            )
            assert reply.created and reply.result.status == pb.RESULT_STATUS_PENDING
            registered[number("R", i)] = reply.result.id

    calls: list[tuple[str, str, pb.PublishDecisionRequest]] = []  # (expectation, token, request)
    for i in range(28):
        calls.append(("new", token_a, pb.PublishDecisionRequest(decision=penalty(number("N", i)))))
    for i in range(4):  # each sent three times at once: one creates, two are retries
        for _ in range(3):
            calls.append(("dup", token_a, pb.PublishDecisionRequest(decision=penalty(number("D", i)))))
    for i in range(3):  # another agency's calls in the same burst
        calls.append(("other", token_b, pb.PublishDecisionRequest(decision=penalty(number("B", i)))))
    for number_, _id in registered.items():
        calls.append(("registered", token_a, pb.PublishDecisionRequest(decision=penalty(number_))))
    bad = [
        ({"conclusion": ""}, "decision.conclusion"),
        ({"decision_date": "2026-13-40"}, "decision.decision_date"),
        ({"legal_basis": []}, "decision.legal_basis"),
        ({"category": 0}, "decision.category"),
    ]
    for i, (change, field) in enumerate(bad):
        request = pb.PublishDecisionRequest(decision=penalty(number("X", i), **change))
        calls.append((f"invalid {field}", token_a, request))
    for i in range(2):  # agency a's credential pushing for agency b
        request = pb.PublishDecisionRequest(decision=penalty(number("P", i)), agency_code=code_b)
        calls.append(("denied", token_a, request))
    assert len(calls) >= 50

    # Interleave the kinds so that every group mixes them.
    order = sorted(range(len(calls)), key=lambda k: (k * 7919) % len(calls))
    calls = [calls[k] for k in order]
    replies = asyncio.run(_burst(settings.grpc_addr("results"), [(t, r) for _, t, r in calls]))

    created: dict[str, str] = {}  # result id -> agency code
    by_number: dict[str, list[pb.PublishDecisionResponse]] = {}
    for (expect, _, request), reply in zip(calls, replies, strict=True):
        doc_number = request.decision.document_number
        if expect.startswith("invalid"):
            assert isinstance(reply, grpc.aio.AioRpcError), (expect, reply)
            assert reply.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert expect.removeprefix("invalid ") in field_violations(reply)
            continue
        if expect == "denied":
            assert (
                isinstance(reply, grpc.aio.AioRpcError) and reply.code() == grpc.StatusCode.PERMISSION_DENIED
            )
            continue
        assert isinstance(reply, pb.PublishDecisionResponse), (expect, doc_number, reply)
        assert reply.result.document_number == doc_number
        assert reply.result.status == pb.RESULT_STATUS_PUBLISHED and reply.result.chain_seq > 0
        assert reply.result.agency_code == (code_b if expect == "other" else code_a)
        by_number.setdefault(doc_number, []).append(reply)
        if expect in ("new", "other", "registered"):
            assert reply.created
        if expect == "registered":
            assert reply.result.id == registered[doc_number]
        if reply.created:
            created[reply.result.id] = reply.result.agency_code
    for doc_number, answers in by_number.items():
        # Exactly one call created each decision; its retries got the same record.
        assert sum(a.created for a in answers) == 1, doc_number
        assert len({a.result.id for a in answers}) == 1, doc_number
    assert len(created) == 28 + 4 + 3 + 2

    db_url = settings.db_url("results")
    stored = sql(
        db_url,
        "SELECT document_number, count(*) FROM results WHERE document_number LIKE :p "
        "GROUP BY document_number",
        p=f"%{tag}%",
    )
    assert {n: c for n, c in stored} == {n: 1 for n in by_number}

    # One event per created decision, each carrying its own caller's trace.
    traces: dict[str, str] = {}
    for code in (code_a, code_b):
        expected = sum(1 for a in created.values() if a == code)
        subject = f"gongshi.results.published.{code}"
        messages = asyncio.run(events_for(running.nats.address, subject, count_at_least=expected))
        ids = [pb.ResultPublished.FromString(m.data).result.id for m in messages]
        ids = [i for i in ids if i in created]
        assert sorted(ids) == sorted(i for i, a in created.items() if a == code)
        for m in messages:
            traces[pb.ResultPublished.FromString(m.data).result.id] = m.headers["traceparent"].split("-")[1]
    assert len({traces[i] for i in created}) == len(created)  # not one shared trace per group

    # The audit names each call's own credential, operation and trace.
    rows = sql(
        db_url,
        "SELECT record_id, agency_code, operation, trace_id FROM audit_log "
        "WHERE operation = 'PublishDecision'",
    )
    mine = [row for row in rows if row[0] in created]
    audited = {record_id: (agency, op, trace_id) for record_id, agency, op, trace_id in mine}
    assert len(mine) == len(audited) == len(created)
    for result_id, agency in created.items():
        assert audited[result_id] == (agency, "PublishDecision", traces[result_id])


def test_registering_in_a_burst_answers_each_caller(platform, agencies):
    _, settings = platform
    _, token = agencies["a"]
    tag = uuid.uuid4().hex[:6]
    numbers = [f"沪黄市监罚〔2026〕{tag}G{i % 10}号" for i in range(30)]  # each number three times

    async def burst() -> list:
        async with grpc.aio.insecure_channel(settings.grpc_addr("results")) as channel:
            stub = results_pb2_grpc.ResultsServiceStub(channel)
            return await asyncio.gather(
                *(
                    stub.RegisterDecision(
                        pb.RegisterDecisionRequest(decision=penalty(n)), metadata=auth(token), timeout=30
                    )
                    for n in numbers
                )
            )

    replies = asyncio.run(burst())
    for n in set(numbers):
        answers = [r for r, m in zip(replies, numbers, strict=True) if m == n]
        assert sum(r.created for r in answers) == 1 and len({r.result.id for r in answers}) == 1
        assert all(r.result.status == pb.RESULT_STATUS_PENDING for r in answers)
    rows = sql(
        settings.db_url("results"),
        "SELECT count(*) FROM audit_log WHERE operation = 'RegisterDecision' AND record_id IN "
        "(SELECT id FROM results WHERE document_number LIKE :p)",
        p=f"%{tag}%",
    )
    assert rows[0][0] == 10

"""A graceful stop answers UNAVAILABLE, never CANCELLED (issue #13, item 5):
under load, calls that finish within the grace period succeed, calls cut by
the stop and calls arriving during it end UNAVAILABLE, and no handler runs on
after the server stopped. A real grpc.aio server and channels, in process.

The one CANCELLED left is grpc core's own (grpc/grpc#41785): a call accepted by
core in the instant before its stop and never handed to Python. The test
allows it only for a call that never reached the service, with core's text."""

from __future__ import annotations

import asyncio
from collections import Counter

import grpc
import pytest

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from services.runtime.auth import Authenticator
from services.runtime.drain import STOPPING
from services.runtime.grpc_server import CallGuard, GrpcServer
from tests.unit.runtime.test_grpc_server_wrapping import AGENCY_TOKEN, _auth, _Credentials

GRACE = 0.5


class _Slow(results_pb2_grpc.ResultsServiceServicer):
    """A write takes as long as its document number says (in ms)."""

    def __init__(self) -> None:
        self.running = 0
        self.finished = 0
        self.started: set[int] = set()  # client numbers whose call reached the handler

    async def PublishDecision(self, request, context):
        self.running += 1
        millis, client = request.decision.document_number.split(":")
        self.started.add(int(client))
        try:
            await asyncio.sleep(int(millis) / 1000)
        finally:
            self.running -= 1
        self.finished += 1
        return pb.PublishDecisionResponse(created=True)


@pytest.mark.asyncio
async def test_a_stop_under_load_answers_unavailable_never_cancelled():
    server = GrpcServer(CallGuard(Authenticator(_Credentials(), "admin"), []))
    servicer = _Slow()
    server.add(results_pb2_grpc.add_ResultsServiceServicer_to_server, servicer, "gongshi.v1.ResultsService")
    port = await server.start("127.0.0.1", 0)
    codes: Counter = Counter()
    details: dict[int, str] = {}

    async def client(n: int, millis: int) -> None:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = results_pb2_grpc.ResultsServiceStub(channel)
            await asyncio.sleep(n * 0.01)  # arrivals spread over the stop
            try:
                request = pb.PublishDecisionRequest(decision=pb.Decision(document_number=f"{millis}:{n}"))
                await stub.PublishDecision(request, metadata=_auth(AGENCY_TOKEN), timeout=10)
                codes["OK"] += 1
            except grpc.aio.AioRpcError as exc:
                codes[exc.code().name] += 1
                details[n] = exc.details()

    # Short writes finish within the grace, long ones are cut, late ones are refused.
    clients = [asyncio.create_task(client(n, 100 if n % 2 else 5_000)) for n in range(120)]
    for _ in range(200):  # until a few long calls run (a loaded machine starts clients slowly)
        if len(servicer.started & set(range(0, 120, 2))) >= 5:
            break
        await asyncio.sleep(0.05)
    assert servicer.running > 0
    long_in_flight = {n for n in servicer.started if n % 2 == 0}
    await server.stop(GRACE)
    await asyncio.gather(*clients)
    assert servicer.running == 0, "a handler ran on after the stop"
    assert codes["OK"] > 0 and codes["UNAVAILABLE"] > 0
    core_cancelled = {n for n, text in details.items() if text == "CANCELLED"}
    assert codes["CANCELLED"] == len(core_cancelled), (codes, details)
    assert not core_cancelled & servicer.started, "a call that reached the service was cancelled"
    assert codes["CANCELLED"] <= 3, codes
    assert set(codes) <= {"OK", "UNAVAILABLE", "CANCELLED"}, codes
    # The long calls in flight were cut by the drain, and calls arriving while it
    # waited were refused by it: both say why, so a client knows to retry.
    cut = sorted(long_in_flight)
    assert all(details.get(n) == STOPPING for n in cut), {n: details.get(n) for n in cut}
    assert sum(1 for text in details.values() if text == STOPPING) > len(cut), (
        "no call refused while draining"
    )

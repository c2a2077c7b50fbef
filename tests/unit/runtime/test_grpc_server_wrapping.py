"""The gRPC server wraps each method once, when a servicer is added, instead of
running interceptors per call: the wrapped methods must still trace, count,
authenticate, refuse NUL and undecodable input, and map errors to rich
statuses exactly as before. A real grpc.aio server and channel, in process."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from services.runtime import errors, rpc_tracing
from services.runtime.auth import ROLE_AGENCY, Authenticator, CredentialRow, _digest
from services.runtime.grpc_server import CallGuard, GrpcServer, current_principal
from services.runtime.metrics import exposition, setup_metrics
from services.runtime.settings import Settings
from services.runtime.telemetry import setup_telemetry

ADMIN = "wrapping-admin-token"
AGENCY_TOKEN = "gs_c0ffee_secret"
SERVICE = "/gongshi.v1.ResultsService/"
REMOTE_TRACE = 0x0AF7651916CD43DD8448EB211C80319C
REMOTE_SPAN = 0xB7AD6B7169203331
TRACEPARENT = f"00-{REMOTE_TRACE:032x}-{REMOTE_SPAN:016x}-01"


class _Credentials:
    """Stands in for the database: one agency credential, nothing else."""

    def __init__(self) -> None:
        self.row = CredentialRow(
            credential_id="c0ffee",
            role=ROLE_AGENCY,
            agency_code="SH-HP",
            secret_sha256=_digest("secret"),
            issued_at=dt.datetime.now(dt.UTC),
        )

    @contextlib.asynccontextmanager
    async def reader(self):
        yield self

    async def get(self, _model, credential_id):
        return self.row if credential_id == self.row.credential_id else None


class _Servicer(results_pb2_grpc.ResultsServiceServicer):
    def __init__(self) -> None:
        self.seen: list = []

    async def PublishDecision(self, request, context):
        self.seen.append((request, current_principal()))
        return pb.PublishDecisionResponse(created=True)

    async def BulkPublish(self, request_iterator, context):
        count = 0
        async for request in request_iterator:
            self.seen.append((request, current_principal()))
            count += 1
        return pb.BulkPublishResponse(accepted=count)

    async def GetResult(self, request, context):  # public
        self.seen.append((request, current_principal()))
        raise errors.NotFound(f"no result {request.id}")

    async def ListResults(self, request, context):
        raise errors.InvalidArgument(
            [
                errors.FieldViolation("agency_code", "unknown"),
                errors.FieldViolation("decided_to", "not a date"),
            ]
        )

    async def GetResultHistory(self, request, context):
        raise RuntimeError("boom")

    async def GetChain(self, request, context):
        await context.abort(grpc.StatusCode.FAILED_PRECONDITION, "aborted by the handler itself")


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    setup_telemetry("tests", Settings())  # no-op when a provider is already installed
    setup_metrics("tests")
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


@pytest.fixture
async def served(spans):
    authenticator = Authenticator(_Credentials(), ADMIN)
    server = GrpcServer(CallGuard(authenticator, []))
    servicer = _Servicer()
    server.add(
        results_pb2_grpc.add_ResultsServiceServicer_to_server,
        servicer,
        "gongshi.v1.ResultsService",
        public_methods={SERVICE + "GetResult"},
    )
    port = await server.start("127.0.0.1", 0)
    await server.set_serving(True)
    spans.clear()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield servicer, channel
    await server.stop(0)


def _auth(token: str = AGENCY_TOKEN, **more: str) -> tuple:
    return (("authorization", f"Bearer {token}"), *more.items())


def _violations(error: grpc.aio.AioRpcError) -> dict[str, str]:
    status = rpc_status.from_call(error)
    assert status is not None, "no rich status"
    found = {}
    for detail in status.details:
        bad = error_details_pb2.BadRequest()
        assert detail.Unpack(bad)
        found |= {v.field: v.description for v in bad.field_violations}
    return found


def _server_spans(spans: InMemorySpanExporter, method: str) -> list:
    return [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER and s.name == SERVICE + method]


async def _finished(spans: InMemorySpanExporter, method: str, calls: int = 1) -> None:
    """Wait for the server side of `calls` calls to end: an aborted call's status reaches
    the client before the server's `finally` (span end, then the count) has run."""
    for _ in range(500):
        if len(_server_spans(spans, method)) >= calls:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{method}: {calls} server spans never ended")


def _count(route: str, code: str) -> float:
    for line in exposition().decode().splitlines():
        if line.startswith("gongshi_rpc_requests_total{") and f'route="{route}"' in line:
            if f'code="{code}"' in line:
                return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_a_call_is_authenticated_traced_from_the_callers_context_and_counted(served, spans):
    servicer, channel = served
    before = _count(SERVICE + "PublishDecision", "OK")
    stub = results_pb2_grpc.ResultsServiceStub(channel)
    request = pb.PublishDecisionRequest(agency_code="SH-HP", decision=pb.Decision(document_number="1号"))
    reply = await stub.PublishDecision(request, metadata=_auth(traceparent=TRACEPARENT))
    assert reply.created
    ((seen, principal),) = servicer.seen
    assert seen == request and principal.agency_code == "SH-HP" and principal.role == ROLE_AGENCY
    (span,) = _server_spans(spans, "PublishDecision")
    assert span.context.trace_id == REMOTE_TRACE and span.parent.span_id == REMOTE_SPAN
    assert span.attributes["rpc.system"] == "grpc"
    assert span.attributes["rpc.service"] == "gongshi.v1.ResultsService"
    assert span.attributes["rpc.method"] == "PublishDecision"
    assert span.attributes["rpc.grpc.status_code"] == 0
    assert span.attributes["net.peer.ip"] == "127.0.0.1" and span.attributes["net.peer.name"] == "localhost"
    assert "rpc.user_agent" in span.attributes
    assert _count(SERVICE + "PublishDecision", "OK") == before + 1
    # The principal does not leak out of the call.
    assert current_principal() is None


async def test_credentials_are_required_unless_the_method_is_public(served, spans):
    servicer, channel = served
    stub = results_pb2_grpc.ResultsServiceStub(channel)
    request = pb.PublishDecisionRequest(decision=pb.Decision(document_number="1号"))
    wrong = ((), _auth("gs_c0ffee_wrong"), _auth("gs_unknown_secret"), (("authorization", "Basic x"),))
    for metadata in wrong:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.PublishDecision(request, metadata=metadata)
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert servicer.seen == []
    await _finished(spans, "PublishDecision", calls=4)
    assert _count(SERVICE + "PublishDecision", "UNAUTHENTICATED") >= 4
    # A public method takes anonymous callers (and the administrator).
    for metadata in ((), _auth(ADMIN)):
        with pytest.raises(grpc.aio.AioRpcError) as missing:
            await stub.GetResult(pb.GetResultRequest(id="R1"), metadata=metadata)
        assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    (_, anonymous), (_, admin) = servicer.seen
    assert anonymous is None and admin.is_admin
    # A refused call is traced, with its status code.
    refused_spans = _server_spans(spans, "PublishDecision")
    assert len(refused_spans) == 4
    assert {s.attributes["rpc.grpc.status_code"] for s in refused_spans} == {
        grpc.StatusCode.UNAUTHENTICATED.value[0]
    }


async def test_domain_errors_are_rich_statuses_and_unexpected_ones_internal(served, spans):
    _, channel = served
    stub = results_pb2_grpc.ResultsServiceStub(channel)
    with pytest.raises(grpc.aio.AioRpcError) as bad:
        await stub.ListResults(pb.ListResultsRequest(), metadata=_auth())
    assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert _violations(bad.value) == {"agency_code": "unknown", "decided_to": "not a date"}
    await _finished(spans, "ListResults")
    assert _count(SERVICE + "ListResults", "INVALID_ARGUMENT") >= 1

    with pytest.raises(grpc.aio.AioRpcError) as internal:
        await stub.GetResultHistory(pb.GetResultHistoryRequest(), metadata=_auth())
    assert internal.value.code() == grpc.StatusCode.INTERNAL
    assert "boom" not in (internal.value.details() or "")
    await _finished(spans, "GetResultHistory")
    assert _count(SERVICE + "GetResultHistory", "INTERNAL") >= 1
    (span,) = _server_spans(spans, "GetResultHistory")
    assert span.status.status_code == StatusCode.ERROR
    assert span.attributes["rpc.grpc.status_code"] == grpc.StatusCode.INTERNAL.value[0]

    with pytest.raises(grpc.aio.AioRpcError) as aborted:
        await stub.GetChain(pb.GetChainRequest(), metadata=_auth())
    assert aborted.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert aborted.value.details() == "aborted by the handler itself"
    assert _count(SERVICE + "GetChain", "ABORTED_BY_HANDLER") >= 1


async def test_nul_in_any_text_field_is_refused_naming_the_field(served):
    servicer, channel = served
    stub = results_pb2_grpc.ResultsServiceStub(channel)
    request = pb.PublishDecisionRequest(
        agency_code="SH-HP",
        decision=pb.Decision(
            document_number="1号",
            party=pb.Party(name="张\x00三"),
            legal_basis=["《食品安全法》", "第\x00条"],
        ),
    )
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.PublishDecision(request, metadata=_auth())
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(_violations(refused.value)) == {"decision.party.name", "decision.legal_basis[1]"}
    assert servicer.seen == []
    # Still authenticated first: an anonymous caller learns nothing about its input.
    with pytest.raises(grpc.aio.AioRpcError) as anonymous:
        await stub.PublishDecision(request)
    assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_zero_bytes_that_are_not_text_pass(served):
    servicer, channel = served
    stub = results_pb2_grpc.ResultsServiceStub(channel)
    # An explicit enum 0 in a packed repeated field and an empty sub-message are 0x00 bytes.
    request = pb.PublishDecisionRequest(
        decision=pb.Decision(penalty_kinds=[0, 1], party=pb.Party(), legal_basis=[""])
    )
    assert b"\x00" in request.SerializeToString()
    assert (await stub.PublishDecision(request, metadata=_auth())).created
    assert servicer.seen[0][0] == request


async def test_bytes_that_are_not_the_request_message_are_invalid_argument(served):
    servicer, channel = served
    call = channel.unary_unary(SERVICE + "PublishDecision")  # raw bytes out, raw bytes back
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call(b"\xff\xff\xff\xff", metadata=_auth())
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(_violations(refused.value)) == {"request"}
    assert servicer.seen == []


async def test_client_streams_are_checked_item_by_item(served):
    servicer, channel = served
    stub = results_pb2_grpc.ResultsServiceStub(channel)
    good = pb.PublishDecisionRequest(decision=pb.Decision(document_number="1号"))
    reply = await stub.BulkPublish(iter([good, good]), metadata=_auth())
    assert reply.accepted == 2 and all(p.agency_code == "SH-HP" for _, p in servicer.seen)
    bad = pb.PublishDecisionRequest(decision=pb.Decision(document_number="2\x00号"))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.BulkPublish(iter([good, bad, good]), metadata=_auth())
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(_violations(refused.value)) == {"decision.document_number"}
    with pytest.raises(grpc.aio.AioRpcError) as anonymous:
        await stub.BulkPublish(iter([good]))
    assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert _count(SERVICE + "BulkPublish", "OK") >= 1


async def test_health_checks_are_neither_traced_nor_counted(served, spans):
    _, channel = served
    reply = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    assert not any("grpc.health" in s.name for s in spans.get_finished_spans())
    assert "grpc.health" not in exposition().decode()


def test_peer_addresses_become_net_peer_attributes():
    assert dict(rpc_tracing._peer_attributes("ipv4:127.0.0.1:57284")) == {
        "net.peer.ip": "127.0.0.1",
        "net.peer.port": "57284",
        "net.peer.name": "localhost",
    }
    assert dict(rpc_tracing._peer_attributes("ipv6:%5B::1%5D:4000")) == {
        "net.peer.ip": "[::1]",
        "net.peer.port": "4000",
        "net.peer.name": "localhost",
    }
    assert dict(rpc_tracing._peer_attributes("ipv4:10.0.0.7:1,127.0.0.1:2")) == {
        "net.peer.ip": "10.0.0.7",
        "net.peer.port": "1",
    }
    assert rpc_tracing._peer_attributes("unix:/tmp/socket") == ()


def test_spans_name_the_installed_grpc_instrumentation_version_without_importing_it():
    from opentelemetry.instrumentation.grpc.version import __version__

    from services.runtime.rpc_tracing import grpc_instrumentation_version

    assert grpc_instrumentation_version() == __version__ != ""

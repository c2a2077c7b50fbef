"""One trace per request across the bus: a push through the gateway yields one
trace holding the HTTP span, the gRPC client and server spans, the database
transaction, the outbox publish and the consumers' handling in other services.

Everything runs in this process (services, gateway, consumers) so the SDK's
in-memory exporter sees every span; gRPC and NATS still go over real sockets.
"""

from __future__ import annotations

import asyncio
import uuid

import grpc
import httpx
from grpc_health.v1 import health_pb2, health_pb2_grpc
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from gateway.app import create_app
from gongshi.v1 import common_pb2, duties_pb2, duties_pb2_grpc
from services.duties.main import build as build_duties
from services.feedback.main import build as build_feedback
from services.launcher import free_port
from services.results.main import build as build_results
from services.runtime.settings import SERVICE_NAMES, Settings
from services.runtime.telemetry import setup_telemetry
from tests.support.platform import ADMIN_TOKEN, auth

DECISION = {
    "documentNumber": "沪黄市监罚〔2026〕追踪1号",
    "category": "DECISION_CATEGORY_PENALTY",
    "party": {
        "type": "PARTY_TYPE_LEGAL_PERSON",
        "name": "上海某某餐饮管理有限公司",
        "uscc": "91310101MA1FPX1234",
    },
    "violationType": "经营超过保质期的食品",
    "facts": "经查，当事人经营超过保质期的食品。",
    "legalBasis": ["《中华人民共和国食品安全法》第一百二十四条"],
    "conclusion": "罚款人民币五万元",
    "penaltyKinds": ["PENALTY_KIND_FINE"],
    "decisionDate": "2026-11-20",
}


def in_memory_spans() -> InMemorySpanExporter:
    settings = Settings()
    setup_telemetry("tests", settings)  # no-op when a provider is already installed
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


async def wait_for(predicate, limit: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


async def test_a_push_is_one_trace_across_gateway_grpc_database_bus_and_consumers(tmp_path, nats_server):
    exporter = in_memory_spans()
    ports = {f"{name}_port": free_port() for name in SERVICE_NAMES}
    no_metrics = {f"{name}_metrics_port": 0 for name in SERVICE_NAMES}
    settings = Settings(
        data_dir=tmp_path,
        nats_url=nats_server.url,
        admin_token=ADMIN_TOKEN,
        outbox_poll_seconds=0.1,
        **ports,
        **no_metrics,
    )
    runtimes = [build_duties(settings), build_results(settings), build_feedback(settings)]
    for runtime in runtimes:
        await runtime.start()
    app = create_app(settings)
    code = f"TRACE-{uuid.uuid4().hex[:8]}"
    try:
        async with grpc.aio.insecure_channel(settings.grpc_addr("duties")) as channel:
            admin = duties_pb2_grpc.AdminServiceStub(channel)
            await admin.RegisterAgency(
                duties_pb2.RegisterAgencyRequest(
                    agency=duties_pb2.Agency(
                        code=code,
                        name="测试局",
                        region_code="310101",
                        kind=duties_pb2.AGENCY_KIND_ADMINISTRATIVE_ORGAN,
                    )
                ),
                metadata=auth(ADMIN_TOKEN),
            )
            token = (
                await admin.IssueCredential(
                    duties_pb2.IssueCredentialRequest(role=common_pb2.ROLE_AGENCY, agency_code=code),
                    metadata=auth(ADMIN_TOKEN),
                )
            ).token
            await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())

        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
                for _ in range(200):  # the credential and agency reach results by events
                    response = await http.post(
                        "/api/v1/agency/results", json=DECISION, headers={"authorization": f"Bearer {token}"}
                    )
                    if response.status_code not in (401, 409):
                        break
                    await asyncio.sleep(0.05)
                assert response.status_code == 201, response.text
        subject = f"gongshi.results.published.{code}"
        await wait_for(
            lambda: any(
                s.name == f"consume {subject}"
                and s.attributes.get("messaging.consumer.group.name") == "feedback-copies"
                for s in exporter.get_finished_spans()
            )
        )
    finally:
        for runtime in reversed(runtimes):
            await runtime.stop()

    spans = exporter.get_finished_spans()
    by_id = {s.context.span_id: s for s in spans}
    http_span = next(
        s
        for s in spans
        if s.kind == SpanKind.SERVER and s.name.startswith("POST /api/v1/agency/results") and s.parent is None
    )
    in_trace = [s for s in spans if s.context.trace_id == http_span.context.trace_id]

    def one(kind: SpanKind, name: str):
        found = [s for s in in_trace if s.kind == kind and s.name == name]
        assert found, f"no {kind.name} span named {name!r} in the trace: {[s.name for s in in_trace]}"
        return found[0]

    def parent_of(span):
        return by_id.get(span.parent.span_id) if span.parent else None

    def descends_from(span, ancestor) -> bool:
        while span is not None:
            if span.context.span_id == ancestor.context.span_id:
                return True
            span = parent_of(span)
        return False

    method = "/gongshi.v1.ResultsService/PublishDecision"
    client = one(SpanKind.CLIENT, method)
    server = one(SpanKind.SERVER, method)
    transaction = one(SpanKind.INTERNAL, "results.publish")
    publish = one(SpanKind.PRODUCER, f"publish {subject}")
    consumers = [s for s in in_trace if s.kind == SpanKind.CONSUMER and s.name == f"consume {subject}"]

    assert descends_from(client, http_span)
    assert parent_of(server) is client
    assert descends_from(transaction, server)
    # The relay runs later, in its own task: its span joins the request's trace
    # through the context stored with the outbox row.
    assert descends_from(publish, server) and publish.start_time >= transaction.start_time
    assert {s.attributes["messaging.consumer.group.name"] for s in consumers} >= {"feedback-copies"}
    assert all(parent_of(s) is publish for s in consumers)
    # Health checks are kept out of traces.
    assert not any("grpc.health" in s.name for s in spans)

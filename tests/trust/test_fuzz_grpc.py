"""Property-based bad input for every RPC of every service: random bytes and
random field values for each request type, sent by a caller allowed to call
the method (so validation, not the credential check, is what answers).

For every call: no INTERNAL / UNKNOWN (nothing crashed), an INVALID_ARGUMENT
names the offending field(s), and a refused call stored nothing (the
service's audit log and outbox did not grow). The services stay healthy."""

from __future__ import annotations

import asyncio
import os
import uuid

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from gongshi.v1 import common_pb2, duties_pb2, duties_pb2_grpc
from services.runtime.db import Database
from services.runtime.settings import SERVICE_NAMES
from tests.support.fuzz_tally import TRIED
from tests.support.platform import ADMIN_TOKEN, auth, register_agency
from tests.trust.fuzz import message_strategy
from tests.trust.matrix import ADMIN, AGENCY, READER, SAMPLES, load_all_protos, public_methods

EXAMPLES = int(os.environ.get("GONGSHI_FUZZ_EXAMPLES", "15"))
BYTES_EXAMPLES = max(3, EXAMPLES // 3)
CRASHES = {grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN, grpc.StatusCode.DATA_LOSS}


def all_methods() -> list[str]:
    pool = load_all_protos()
    found = set()
    for method in [*SAMPLES, *public_methods()]:
        found.add(method)
    # Every method of every gongshi.v1 service, public or not.
    for name in {m.strip("/").split("/")[0] for m in found}:
        service = pool.FindServiceByName(name)
        found |= {f"/{service.full_name}/{m.name}" for m in service.methods}
    return sorted(found)


class Target:
    """The running platform as the fuzzer sees it: who serves what, who may
    call what, and how to count what a service stored."""

    def __init__(self, settings, owner_code: str, owner: str, oversight: str) -> None:
        self.settings = settings
        self.owner_code = owner_code
        self.tokens = {AGENCY: owner, ADMIN: ADMIN_TOKEN, READER: oversight}
        self.loop = asyncio.new_event_loop()
        self.dbs = {name: Database(settings.db_url(name)) for name in SERVICE_NAMES}
        self.channels = {name: grpc.insecure_channel(settings.grpc_addr(name)) for name in SERVICE_NAMES}
        self.served: dict[str, str] = {}
        from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
            ProtoReflectionDescriptorDatabase,
        )

        for name, channel in self.channels.items():
            for service in ProtoReflectionDescriptorDatabase(channel).get_services():
                self.served.setdefault(service, name)

    def stored(self, service: str) -> tuple[int, int]:
        async def count() -> tuple[int, int]:
            async with self.dbs[service].engine.connect() as conn:
                audit = (await conn.execute(text("SELECT count(*) FROM audit_log"))).scalar()
                outbox = (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar()
            return audit, outbox

        return self.loop.run_until_complete(count())

    def close(self) -> None:
        for db in self.dbs.values():
            self.loop.run_until_complete(db.dispose())
        self.loop.close()
        for channel in self.channels.values():
            channel.close()


@pytest.fixture(scope="module")
def target(platform):
    _, settings = platform
    code = f"FUZ-{uuid.uuid4().hex[:6]}"
    owner = register_agency(settings, code)
    with grpc.insecure_channel(settings.grpc_addr("duties")) as channel:
        oversight = (
            duties_pb2_grpc.AdminServiceStub(channel)
            .IssueCredential(
                duties_pb2.IssueCredentialRequest(role=common_pb2.ROLE_OVERSIGHT), metadata=auth(ADMIN_TOKEN)
            )
            .token
        )
    built = Target(settings, code, owner, oversight)
    yield built
    built.close()


def field_violations(exc: grpc.RpcError) -> list[str]:
    status = rpc_status.from_call(exc)
    fields = []
    for detail in status.details if status else []:
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad):
            fields += [v.field for v in bad.field_violations]
    return fields


def check_call(target: Target, method: str, payload: bytes, streaming: bool, server_streaming: bool) -> None:
    service_name = method.strip("/").split("/")[0]
    service = target.served[service_name]
    sample = SAMPLES.get(method)
    token = target.tokens[sample.who] if sample else None
    channel = target.channels[service]
    identity = lambda raw: raw  # noqa: E731 - the payload is sent as it is
    if streaming:
        call = channel.stream_unary(method, request_serializer=identity, response_deserializer=identity)
    elif server_streaming:
        call = channel.unary_stream(method, request_serializer=identity, response_deserializer=identity)
    else:
        call = channel.unary_unary(method, request_serializer=identity, response_deserializer=identity)
    before = target.stored(service)
    TRIED["gRPC"][method] += 1
    try:
        reply = call(
            iter([payload, payload]) if streaming else payload,
            metadata=auth(token) if token else None,
            timeout=20,
        )
        if server_streaming:
            list(reply)
        return
    except grpc.RpcError as exc:
        code = exc.code()
        assert code not in CRASHES, f"{method} answered {code.name}: {exc.details()}"
        if code == grpc.StatusCode.INVALID_ARGUMENT:
            named = field_violations(exc)
            assert named and all(named), f"{method}: INVALID_ARGUMENT without a field: {exc.details()}"
    assert target.stored(service) == before, f"{method}: a refused call stored something"


def _request_strategy(target: Target, method: str):
    service_name, method_name = method.strip("/").split("/")
    descriptor = load_all_protos().FindServiceByName(service_name).methods_by_name[method_name]
    overrides = {}
    if "agency_code" in descriptor.input_type.fields_by_name:
        # Mostly the caller's own agency, so the request reaches validation.
        overrides["agency_code"] = st.one_of(st.just(target.owner_code), st.text(max_size=12))
    messages = message_strategy(descriptor.input_type, overrides=overrides).map(
        lambda m: m.SerializeToString()
    )
    return descriptor, messages


@pytest.mark.parametrize("method", all_methods())
def test_random_requests_are_refused_cleanly(target, method):
    service_name = method.strip("/").split("/")[0]
    if service_name not in target.served:
        pytest.skip(f"{service_name} is not served by any process yet")
    descriptor, messages = _request_strategy(target, method)
    streaming, server_streaming = descriptor.client_streaming, descriptor.server_streaming

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(messages)
    def random_fields(payload: bytes) -> None:
        check_call(target, method, payload, streaming, server_streaming)

    @settings(
        max_examples=BYTES_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(st.binary(min_size=1, max_size=256))
    def random_bytes(payload: bytes) -> None:
        check_call(target, method, payload, streaming, server_streaming)

    random_fields()
    random_bytes()
    # Still serving after all of it.
    service = target.served[service_name]
    reply = health_pb2_grpc.HealthStub(target.channels[service]).Check(
        health_pb2.HealthCheckRequest(), timeout=5
    )
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_undecodable_bytes_are_invalid_argument_not_internal(target):
    """gRPC itself answers INTERNAL to bytes it cannot decode; the runtime makes it the caller's error."""
    channel = target.channels["results"]
    identity = lambda raw: raw  # noqa: E731
    garbage = b"\xff\xff\xff\x0f"
    unary = channel.unary_unary(
        "/gongshi.v1.ResultsService/ListResults", request_serializer=identity, response_deserializer=identity
    )
    stream = channel.stream_unary(
        "/gongshi.v1.ResultsService/BulkPublish", request_serializer=identity, response_deserializer=identity
    )
    for call, payload in ((unary, garbage), (stream, iter([garbage]))):
        with pytest.raises(grpc.RpcError) as caught:
            call(payload, metadata=auth(target.tokens[AGENCY]), timeout=10)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert field_violations(caught.value) == ["request"]

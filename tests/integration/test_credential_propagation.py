"""Read-your-writes for credentials and agencies: the call after
IssueCredential (or RegisterAgency + IssueCredential, what `gongshi agency
create` does) succeeds at every service, with no waiting in between."""

from __future__ import annotations

import uuid

import grpc
import pytest

from gongshi.v1 import (
    audit_pb2,
    audit_pb2_grpc,
    common_pb2,
    duties_pb2,
    duties_pb2_grpc,
    results_pb2,
    results_pb2_grpc,
)
from services.runtime.settings import SERVICE_NAMES
from tests.support.decisions import penalty
from tests.support.platform import ADMIN_TOKEN, auth, register_agency

ROUNDS = 100


@pytest.fixture(scope="module")
def platform(shared_platform):
    """The session's platform: these tests work under agencies of their own."""
    return shared_platform


def test_an_issued_credential_is_verified_by_every_service_in_the_next_call(platform):
    _, settings = platform
    code = f"RYW-{uuid.uuid4().hex[:6]}"
    register_agency(settings, code)
    channels = {name: grpc.insecure_channel(settings.grpc_addr(name)) for name in SERVICE_NAMES}
    try:
        admin = duties_pb2_grpc.AdminServiceStub(channels["duties"])
        audits = {name: audit_pb2_grpc.AuditServiceStub(ch) for name, ch in channels.items()}
        refused: list[tuple[int, str, str]] = []
        for n in range(ROUNDS):
            token = admin.IssueCredential(
                duties_pb2.IssueCredentialRequest(role=common_pb2.ROLE_AGENCY, agency_code=code),
                metadata=auth(ADMIN_TOKEN),
                timeout=20,
            ).token
            for name, stub in audits.items():
                # An agency may not read the audit log: PERMISSION_DENIED proves the
                # service knew the credential; UNAUTHENTICATED that it did not yet.
                try:
                    stub.ListAudit(audit_pb2.ListAuditRequest(), metadata=auth(token), timeout=10)
                    code_seen = grpc.StatusCode.OK
                except grpc.RpcError as exc:
                    code_seen = exc.code()
                if code_seen != grpc.StatusCode.PERMISSION_DENIED:
                    refused.append((n, name, code_seen.name))
        assert refused == []
    finally:
        for channel in channels.values():
            channel.close()


def test_a_new_agency_publishes_in_the_call_after_it_was_created(platform):
    _, settings = platform
    with (
        grpc.insecure_channel(settings.grpc_addr("duties")) as duties,
        grpc.insecure_channel(settings.grpc_addr("results")) as results,
    ):
        admin = duties_pb2_grpc.AdminServiceStub(duties)
        publisher = results_pb2_grpc.ResultsServiceStub(results)
        for n in range(10):
            code = f"NEW-{uuid.uuid4().hex[:6]}"
            admin.RegisterAgency(
                duties_pb2.RegisterAgencyRequest(
                    agency=duties_pb2.Agency(
                        code=code,
                        name="新设局",
                        region_code="310101",
                        kind=duties_pb2.AGENCY_KIND_ADMINISTRATIVE_ORGAN,
                    )
                ),
                metadata=auth(ADMIN_TOKEN),
                timeout=20,
            )
            token = admin.IssueCredential(
                duties_pb2.IssueCredentialRequest(role=common_pb2.ROLE_AGENCY, agency_code=code),
                metadata=auth(ADMIN_TOKEN),
                timeout=20,
            ).token
            reply = publisher.PublishDecision(
                results_pb2.PublishDecisionRequest(decision=penalty(f"沪{code}罚〔2026〕{n}号")),
                metadata=auth(token),
                timeout=20,
            )
            assert reply.created

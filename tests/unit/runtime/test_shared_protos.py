"""The messages every service shares live outside any service's proto, and
moving them there changed nothing on the wire or in their names.

The versioned-record messages (common.proto) and the credential events
(events.proto) were in duties.proto until issue 17. Clients in other
languages and the NATS streams know them by full name and field number: the
bytes and names below were taken from the duties.proto definitions before the
move, so any renumbering, renaming or package change fails here.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import gongshi.v1
from gongshi.v1 import common_pb2, events_pb2
from services.runtime import events as ev
from services.runtime.auth import Authenticator

RUNTIME = Path(__file__).resolve().parents[3] / "services" / "runtime"
# The protos the runtime itself owns or shares; a service's proto (duties, procedures, ...) is not one.
RUNTIME_PROTOS = {"common_pb2", "events_pb2", "audit_pb2", "audit_pb2_grpc"}

# Encoded by duties_pb2 before the move (every field set, deterministic encoding).
GOLDEN = {
    events_pb2.CredentialIssued: (
        "0a06637265642d3110011a0b53434a472d3331303130312204000102032a19323032362d30312d30315430303a30"
        "303a30302b30383a3030"
    ),
    events_pb2.CredentialRevoked: (
        "0a06637265642d31120b53434a472d3331303130311a19323032362d30312d30325430303a30303a30302b30383a3030"
    ),
    common_pb2.ChangeStatusRequest: "0806120241311a03502d31220ce6b395e8a784e4bfaee8aea2",
    common_pb2.ChangeStatusResponse: "0a1c080210041a01722201632a01703201733a01744201784a01685201671001",
    common_pb2.GetRecordRequest: "0a0241311203502d311803",
    common_pb2.ListVersionsRequest: "0a0241311203502d311a050805120174",
}


def _samples() -> dict:
    return {
        events_pb2.CredentialIssued: events_pb2.CredentialIssued(
            credential_id="cred-1",
            role=common_pb2.ROLE_AGENCY,
            agency_code="SCJG-310101",
            secret_sha256=bytes(range(4)),
            issued_at="2026-01-01T00:00:00+08:00",
        ),
        events_pb2.CredentialRevoked: events_pb2.CredentialRevoked(
            credential_id="cred-1", agency_code="SCJG-310101", revoked_at="2026-01-02T00:00:00+08:00"
        ),
        common_pb2.ChangeStatusRequest: common_pb2.ChangeStatusRequest(
            kind=common_pb2.RECORD_KIND_INSPECTION_ITEM, agency_code="A1", code="P-1", reason="法规修订"
        ),
        common_pb2.ChangeStatusResponse: common_pb2.ChangeStatusResponse(
            changed=True,
            publication=common_pb2.Publication(
                version=2,
                status=common_pb2.PUBLICATION_STATUS_RETIRED,
                reason="r",
                created_at="c",
                published_at="p",
                superseded_at="s",
                retired_at="t",
                retire_reason="x",
                record_hash="h",
                previous_hash="g",
            ),
        ),
        common_pb2.GetRecordRequest: common_pb2.GetRecordRequest(agency_code="A1", code="P-1", version=3),
        common_pb2.ListVersionsRequest: common_pb2.ListVersionsRequest(
            agency_code="A1", code="P-1", page=common_pb2.PageRequest(page_size=5, page_token="t")
        ),
    }


@pytest.mark.parametrize("cls", list(GOLDEN), ids=lambda cls: cls.DESCRIPTOR.name)
def test_moved_messages_keep_their_full_name_and_bytes(cls):
    assert cls.DESCRIPTOR.full_name == f"gongshi.v1.{cls.DESCRIPTOR.name}"
    sample = _samples()[cls]
    assert sample.SerializeToString(deterministic=True).hex() == GOLDEN[cls]
    assert cls.FromString(bytes.fromhex(GOLDEN[cls])) == sample


def test_moved_enums_keep_their_numbers():
    assert dict(common_pb2.PublicationStatus.items()) == {
        "PUBLICATION_STATUS_UNSPECIFIED": 0,
        "PUBLICATION_STATUS_DRAFT": 1,
        "PUBLICATION_STATUS_PUBLISHED": 2,
        "PUBLICATION_STATUS_REVISED": 3,
        "PUBLICATION_STATUS_RETIRED": 4,
    }
    assert dict(common_pb2.RecordKind.items()) == {
        "RECORD_KIND_UNSPECIFIED": 0,
        "RECORD_KIND_OFFICER": 1,
        "RECORD_KIND_DUTY_ITEM": 2,
        "RECORD_KIND_LEGAL_BASIS": 3,
        "RECORD_KIND_PROCEDURE": 4,
        "RECORD_KIND_SUPERVISION_CHANNEL": 5,
        "RECORD_KIND_INSPECTION_ITEM": 6,
    }
    assert common_pb2.PublicationStatus.DESCRIPTOR.full_name == "gongshi.v1.PublicationStatus"
    assert common_pb2.RecordKind.DESCRIPTOR.full_name == "gongshi.v1.RecordKind"


def test_credential_event_types_are_unchanged():
    """The Gongshi-Event-Type header of events already in GONGSHI_INTERNAL (and
    of every other service still running the previous release) must still
    reach the runtime's handlers."""
    assert ev.event_type(events_pb2.CredentialIssued) == "gongshi.v1.CredentialIssued"
    assert ev.event_type(events_pb2.CredentialRevoked) == "gongshi.v1.CredentialRevoked"
    handlers = Authenticator(db=None).subscription("any").handlers
    assert set(handlers) == {"gongshi.v1.CredentialIssued", "gongshi.v1.CredentialRevoked"}


def test_every_proto_shares_one_package():
    """Why a message may move between files without a new name: one package."""
    for module in pkgutil.iter_modules(gongshi.v1.__path__):
        if module.name.endswith("_pb2"):
            assert importlib.import_module(f"gongshi.v1.{module.name}").DESCRIPTOR.package == "gongshi.v1"


def _proto_modules(node: ast.AST) -> set[str]:
    """The gongshi.v1 modules one import statement names."""
    if isinstance(node, ast.ImportFrom) and node.module == "gongshi.v1":
        return {alias.name for alias in node.names}
    if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gongshi.v1."):
        return {node.module.rsplit(".", 1)[1]}
    if isinstance(node, ast.Import):
        return {a.name.rsplit(".", 1)[1] for a in node.names if a.name.startswith("gongshi.v1.")}
    return set()


def test_the_runtime_imports_no_service_proto():
    strays = {}
    for path in sorted(RUNTIME.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set().union(*(_proto_modules(node) for node in ast.walk(tree))) - RUNTIME_PROTOS
        if names:
            strays[str(path.relative_to(RUNTIME))] = names
    assert not strays, f"services/runtime imports a service's proto: {strays}"

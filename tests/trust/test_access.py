"""Credentials (revocable, rotatable, stored hashed, never logged) and the
audit log (every write, readable by admin and oversight only, append-only)."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
import secrets
import time
import uuid

import grpc
import httpx
import pytest
from sqlalchemy import text

from gongshi.v1 import audit_pb2, audit_pb2_grpc, common_pb2, duties_pb2, duties_pb2_grpc, results_pb2_grpc
from gongshi.v1 import results_pb2 as rpb
from services.runtime.db import Database
from services.runtime.settings import SERVICE_NAMES
from tests.support.decisions import penalty
from tests.support.platform import (
    ADMIN_TOKEN,
    auth,
    register_agency,
    wait_until_known,
    wait_until_known_everywhere,
)


def admin(settings) -> duties_pb2_grpc.AdminServiceStub:
    return duties_pb2_grpc.AdminServiceStub(grpc.insecure_channel(settings.grpc_addr("duties")))


def issue(settings, role: int, agency_code: str = "") -> duties_pb2.IssueCredentialResponse:
    return admin(settings).IssueCredential(
        duties_pb2.IssueCredentialRequest(role=role, agency_code=agency_code),
        metadata=auth(ADMIN_TOKEN),
        timeout=10,
    )


def results_stub(settings) -> results_pb2_grpc.ResultsServiceStub:
    return results_pb2_grpc.ResultsServiceStub(grpc.insecure_channel(settings.grpc_addr("results")))


def audit_stub(settings, service: str) -> audit_pb2_grpc.AuditServiceStub:
    return audit_pb2_grpc.AuditServiceStub(grpc.insecure_channel(settings.grpc_addr(service)))


def push(settings, token: str, decision=None, extra_metadata=()) -> rpb.PublishDecisionResponse:
    return results_stub(settings).PublishDecision(
        rpb.PublishDecisionRequest(decision=decision or penalty()),
        metadata=[*auth(token), *extra_metadata],
        timeout=10,
    )


def refused_with(settings, token: str, within: float = 30) -> grpc.StatusCode | None:
    """Wait until results refuses the token (events carry revocations); the code, or None."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            push(settings, token, rpb.Decision())
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.INVALID_ARGUMENT:
                return exc.code()
        time.sleep(0.1)
    return None


def audit_refuses(stub: audit_pb2_grpc.AuditServiceStub, token: str, within: float = 30) -> bool:
    """Wait until a service refuses the token: each service learns of a revocation by its own event."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            stub.ListAudit(audit_pb2.ListAuditRequest(), metadata=auth(token), timeout=10)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.UNAUTHENTICATED:
                return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def agency(platform):
    _, settings = platform
    code = f"ACL-{uuid.uuid4().hex[:6]}"
    return code, register_agency(settings, code)


def test_revoked_credential_is_refused(platform, agency):
    _, settings = platform
    code, _ = agency
    credential = issue(settings, common_pb2.ROLE_AGENCY, code)
    wait_until_known(settings, credential.token)
    assert push(settings, credential.token).created
    reply = admin(settings).RevokeCredential(
        duties_pb2.RevokeCredentialRequest(credential_id=credential.credential_id), metadata=auth(ADMIN_TOKEN)
    )
    assert reply.revoked
    assert refused_with(settings, credential.token) == grpc.StatusCode.UNAUTHENTICATED
    again = admin(settings).RevokeCredential(
        duties_pb2.RevokeCredentialRequest(credential_id=credential.credential_id), metadata=auth(ADMIN_TOKEN)
    )
    assert not again.revoked


def test_rotation_switches_without_a_gap(platform, agency):
    _, settings = platform
    code, _ = agency
    old = issue(settings, common_pb2.ROLE_AGENCY, code)
    wait_until_known(settings, old.token)
    grace = 3
    rotated = admin(settings).RotateCredential(
        duties_pb2.RotateCredentialRequest(credential_id=old.credential_id, grace_seconds=grace),
        metadata=auth(ADMIN_TOKEN),
        timeout=10,
    )
    assert rotated.credential_id != old.credential_id and rotated.token != old.token
    wait_until_known(settings, rotated.token)
    # Inside the grace period both work (the revocation has already reached results).
    assert push(settings, old.token).created
    assert push(settings, rotated.token).created
    time.sleep(grace)
    assert refused_with(settings, old.token) == grpc.StatusCode.UNAUTHENTICATED
    assert push(settings, rotated.token).created

    # Without grace the old one stops at once; a revoked credential cannot be rotated.
    again = admin(settings).RotateCredential(
        duties_pb2.RotateCredentialRequest(credential_id=rotated.credential_id), metadata=auth(ADMIN_TOKEN)
    )
    assert refused_with(settings, rotated.token) == grpc.StatusCode.UNAUTHENTICATED
    wait_until_known(settings, again.token)
    with pytest.raises(grpc.RpcError) as caught:
        admin(settings).RotateCredential(
            duties_pb2.RotateCredentialRequest(credential_id=rotated.credential_id),
            metadata=auth(ADMIN_TOKEN),
        )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    for grace_seconds in (-1, 31 * 86_400):
        with pytest.raises(grpc.RpcError) as caught:
            admin(settings).RotateCredential(
                duties_pb2.RotateCredentialRequest(
                    credential_id=again.credential_id, grace_seconds=grace_seconds
                ),
                metadata=auth(ADMIN_TOKEN),
            )
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "grace_seconds" in caught.value.details()
    # Only an administrator rotates.
    with pytest.raises(grpc.RpcError) as caught:
        admin(settings).RotateCredential(
            duties_pb2.RotateCredentialRequest(credential_id=again.credential_id), metadata=auth(again.token)
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_revocation_during_grace_takes_effect_at_once(platform, agency):
    _, settings = platform
    code, _ = agency
    old = issue(settings, common_pb2.ROLE_AGENCY, code)
    wait_until_known(settings, old.token)
    admin(settings).RotateCredential(
        duties_pb2.RotateCredentialRequest(credential_id=old.credential_id, grace_seconds=3600),
        metadata=auth(ADMIN_TOKEN),
    )
    assert push(settings, old.token).created
    reply = admin(settings).RevokeCredential(
        duties_pb2.RevokeCredentialRequest(credential_id=old.credential_id), metadata=auth(ADMIN_TOKEN)
    )
    assert reply.revoked
    assert refused_with(settings, old.token) == grpc.StatusCode.UNAUTHENTICATED


def test_tokens_are_stored_hashed_and_never_logged(platform, agency):
    running, settings = platform
    code, token = agency
    issued = issue(settings, common_pb2.ROLE_AGENCY, code)
    issued_secret = issued.token.split("_", 2)[2]
    wrong_secret = f"WRONG{secrets.token_hex(12)}"
    attempts = {
        "wrong secret": f"gs_{issued.credential_id}_{wrong_secret}",
        "malformed": f"MALFORMED{secrets.token_hex(12)}",
        "unknown id": f"gs_{secrets.token_hex(8)}_UNKNOWN{secrets.token_hex(12)}",
        "revoked": None,
    }
    revoked = issue(settings, common_pb2.ROLE_AGENCY, code)
    wait_until_known(settings, revoked.token)
    admin(settings).RevokeCredential(
        duties_pb2.RevokeCredentialRequest(credential_id=revoked.credential_id), metadata=auth(ADMIN_TOKEN)
    )
    attempts["revoked"] = revoked.token
    assert refused_with(settings, revoked.token) == grpc.StatusCode.UNAUTHENTICATED
    for name in SERVICE_NAMES:
        stub = audit_stub(settings, name)
        assert audit_refuses(stub, revoked.token), f"{name} still accepts the revoked credential"
        for bad in attempts.values():
            with pytest.raises(grpc.RpcError) as caught:
                stub.ListAudit(audit_pb2.ListAuditRequest(), metadata=auth(bad), timeout=10)
            assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    for bad in attempts.values():
        with pytest.raises(grpc.RpcError) as caught:
            push(settings, bad)
        assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
        # The gateway passes the token through; it must not log it either.
        httpx.get(
            f"{running.gateway.address}/api/v1/results",
            headers={"authorization": f"Bearer {bad}"},
            timeout=10,
        )
    time.sleep(0.5)  # let the processes flush their logs
    secrets_to_hide = [
        issued_secret,
        wrong_secret,
        revoked.token.split("_", 2)[2],
        token.split("_", 2)[2],
        ADMIN_TOKEN,
        *(a for a in attempts.values()),
    ]
    logs = {p.name: p.read_text(errors="replace") for p in running.log_dir.glob("*.log")}
    assert set(logs) >= {f"{name}.log" for name in SERVICE_NAMES}
    for name, content in logs.items():
        for secret in secrets_to_hide:
            assert secret not in content, f"a credential appears in {name}"

    # Stored hashed: only SHA-256(secret) is in the credential tables.
    for service in ("duties", "results"):
        db = Database(settings.db_url(service))

        async def stored(db=db):
            async with db.engine.connect() as conn:
                return (
                    await conn.execute(
                        text("SELECT secret_sha256 FROM credentials WHERE credential_id = :c"),
                        {"c": issued.credential_id},
                    )
                ).scalar()

        deadline = time.monotonic() + 15
        value = asyncio.run(stored())
        while value is None and time.monotonic() < deadline:
            time.sleep(0.2)
            value = asyncio.run(stored())
        asyncio.run(db.dispose())
        assert bytes(value) == hashlib.sha256(issued_secret.encode()).digest()
        if db.sqlite_path:
            raw = db.sqlite_path.read_bytes() + b"".join(
                p.read_bytes() for p in db.sqlite_path.parent.glob(db.sqlite_path.name + "-wal")
            )
            assert issued_secret.encode() not in raw


TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def test_every_write_is_audited_with_who_what_when_and_trace(platform, agency):
    _, settings = platform
    code, token = agency
    started = time.time()
    traceparent = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
    reply = push(settings, token, extra_metadata=[("traceparent", traceparent)])
    result = reply.result
    listing = audit_stub(settings, "results").ListAudit(
        audit_pb2.ListAuditRequest(record_id=result.id), metadata=auth(ADMIN_TOKEN), timeout=10
    )
    assert listing.total >= 1
    entry = listing.entries[0]
    credential_id = token.split("_")[1]
    assert entry.credential_id == credential_id
    assert entry.role == common_pb2.ROLE_AGENCY and entry.agency_code == code
    assert entry.operation == "PublishDecision" and entry.record_type == "result"
    assert entry.before_digest == "" and re.fullmatch(r"[0-9a-f]{64}", entry.after_digest)
    assert entry.trace_id == TRACE_ID
    assert entry.service == "results"
    at = _epoch(entry.at)
    assert started - 5 <= at <= time.time() + 5

    # The administrator's own writes are in the duties service's log.
    other = f"AUD-{uuid.uuid4().hex[:6]}"
    register_agency(settings, other)
    duties_log = audit_stub(settings, "duties").ListAudit(
        audit_pb2.ListAuditRequest(agency_code="", record_id=other), metadata=auth(ADMIN_TOKEN), timeout=10
    )
    assert [e.operation for e in duties_log.entries][-1] == "RegisterAgency"
    assert duties_log.entries[-1].credential_id == "admin"


def _epoch(iso: str) -> float:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_audit_log_is_readable_by_admin_and_oversight_only(platform, agency):
    _, settings = platform
    _, token = agency
    oversight = issue(settings, common_pb2.ROLE_OVERSIGHT)
    wait_until_known_everywhere(settings, oversight.token)
    for name in SERVICE_NAMES:
        stub = audit_stub(settings, name)
        for reader in (ADMIN_TOKEN, oversight.token):
            page = stub.ListAudit(
                audit_pb2.ListAuditRequest(page=common_pb2.PageRequest(page_size=5)), metadata=auth(reader)
            )
            assert page.total >= len(page.entries)
        with pytest.raises(grpc.RpcError) as caught:
            stub.ListAudit(audit_pb2.ListAuditRequest(), timeout=10)
        assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
        with pytest.raises(grpc.RpcError) as caught:
            stub.ListAudit(audit_pb2.ListAuditRequest(), metadata=auth(token), timeout=10)
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # Reading only: the service has no other method.
    methods = [m.name for m in audit_pb2.DESCRIPTOR.services_by_name["AuditService"].methods]
    assert methods == ["ListAudit"]


def test_audit_pages_and_filters(platform, agency):
    _, settings = platform
    code, token = agency
    for _ in range(3):
        push(settings, token)
    stub = audit_stub(settings, "results")
    seen, cursor = [], ""
    while True:
        page = stub.ListAudit(
            audit_pb2.ListAuditRequest(
                agency_code=code,
                operation="PublishDecision",
                page=common_pb2.PageRequest(page_size=2, page_token=cursor),
            ),
            metadata=auth(ADMIN_TOKEN),
        )
        seen += [e.id for e in page.entries]
        cursor = page.next_page_token
        if not cursor:
            break
    assert len(seen) == page.total >= 3 and seen == sorted(seen, reverse=True)
    for bad in (
        audit_pb2.ListAuditRequest(since="yesterday"),
        audit_pb2.ListAuditRequest(page=common_pb2.PageRequest(page_size=10_000)),
        audit_pb2.ListAuditRequest(page=common_pb2.PageRequest(page_token="abc")),
    ):
        with pytest.raises(grpc.RpcError) as caught:
            stub.ListAudit(bad, metadata=auth(ADMIN_TOKEN))
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_the_database_refuses_to_change_the_audit_log(platform):
    _, settings = platform

    async def attempt(statement: str) -> None:
        db = Database(settings.db_url("results"))
        try:
            async with db.engine.begin() as conn:
                await conn.execute(text(statement))
        finally:
            await db.dispose()

    for statement in ("UPDATE audit_log SET operation = 'forged'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"):
            asyncio.run(attempt(statement))

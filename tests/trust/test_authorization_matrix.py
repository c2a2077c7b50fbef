"""Every protected RPC of every service, called with no credential, a wrong
credential, another agency's credential, an oversight credential and a
revoked credential: each is refused with the right status, and nothing is
stored (audit log and outbox of every service unchanged)."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from dataclasses import dataclass

import grpc
import pytest
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from gongshi.v1 import (
    audit_pb2,
    audit_pb2_grpc,
    common_pb2,
    duties_pb2,
    duties_pb2_grpc,
    feedback_pb2_grpc,
    results_pb2_grpc,
)
from gongshi.v1 import feedback_pb2 as fpb
from gongshi.v1 import results_pb2 as rpb
from services.runtime.clock import CHINA_TZ
from services.runtime.settings import SERVICE_NAMES
from tests.support.decisions import penalty
from tests.support.platform import ADMIN_TOKEN, auth, register_agency
from tests.trust.load import scalar
from tests.trust.matrix import (
    ADMIN,
    AGENCY,
    READER,
    SAMPLES,
    Records,
    load_all_protos,
    method_classes,
    public_methods,
)

UNAUTHENTICATED, PERMISSION_DENIED = grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED


def protected_methods() -> set[str]:
    pool = load_all_protos()
    public = public_methods()
    found = set()
    for file_name in {m.DESCRIPTOR.name for m in _pb2_modules()}:
        for service in pool.FindFileByName(file_name).services_by_name.values():
            found |= {f"/{service.full_name}/{m.name}" for m in service.methods}
    return found - public


def _pb2_modules():
    import importlib
    import pkgutil

    import gongshi.v1

    return [
        importlib.import_module(f"gongshi.v1.{m.name}")
        for m in pkgutil.iter_modules(gongshi.v1.__path__)
        if m.name.endswith("_pb2")
    ]


def test_every_protected_method_has_a_sample():
    """A new write RPC fails here until it has a row in tests/trust/matrix.py."""
    protected = protected_methods()
    missing = sorted(protected - SAMPLES.keys())
    assert not missing, "add a sample to tests/trust/matrix.py SAMPLES for: " + ", ".join(missing)
    stale = sorted(SAMPLES.keys() - protected)
    assert not stale, "samples for methods that are gone or public: " + ", ".join(stale)


# -- the platform side ---------------------------------------------------------


@dataclass
class Callers:
    owner: str
    other_agency: str
    oversight: str
    revoked: str
    wrong: str


def _audit(settings, service: str) -> audit_pb2_grpc.AuditServiceStub:
    return audit_pb2_grpc.AuditServiceStub(grpc.insecure_channel(settings.grpc_addr(service)))


def _wait_everywhere(settings, token: str, expected: grpc.StatusCode | None, within: float = 20) -> None:
    """Until every service answers ListAudit with `expected` (None: OK) for this token."""
    deadline = time.monotonic() + within
    for service in SERVICE_NAMES:
        stub = _audit(settings, service)
        while True:
            try:
                stub.ListAudit(audit_pb2.ListAuditRequest(), metadata=auth(token), timeout=5)
                code = None
            except grpc.RpcError as exc:
                code = exc.code()
            if code == expected:
                break
            assert time.monotonic() < deadline, f"{service} answered {code}, waiting for {expected}"
            time.sleep(0.1)


def _eventually(
    call, within: float = 20, retry_on=(grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND)
):
    deadline = time.monotonic() + within
    while True:
        try:
            return call()
        except grpc.RpcError as exc:
            if exc.code() not in retry_on or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def matrix(platform):
    _, settings = platform
    code_a, code_b = f"MXA-{uuid.uuid4().hex[:6]}", f"MXB-{uuid.uuid4().hex[:6]}"
    owner, other = register_agency(settings, code_a), register_agency(settings, code_b)
    admin = duties_pb2_grpc.AdminServiceStub(grpc.insecure_channel(settings.grpc_addr("duties")))
    issue = lambda role, code="": admin.IssueCredential(  # noqa: E731
        duties_pb2.IssueCredentialRequest(role=role, agency_code=code), metadata=auth(ADMIN_TOKEN), timeout=10
    )
    oversight = issue(common_pb2.ROLE_OVERSIGHT).token
    revoked = issue(common_pb2.ROLE_AGENCY, code_a)
    # Every service knows each credential before the test relies on it.
    for token in (owner, other, revoked.token):
        _wait_everywhere(settings, token, PERMISSION_DENIED)
    _wait_everywhere(settings, oversight, None)
    admin.RevokeCredential(
        duties_pb2.RevokeCredentialRequest(credential_id=revoked.credential_id), metadata=auth(ADMIN_TOKEN)
    )
    _wait_everywhere(settings, revoked.token, UNAUTHENTICATED)
    callers = Callers(
        owner=owner,
        other_agency=other,
        oversight=oversight,
        revoked=revoked.token,
        wrong=f"gs_{owner.split('_')[1]}_not-the-secret-{uuid.uuid4().hex}",
    )

    # Real records of agency A for the samples that name one.
    results = results_pb2_grpc.ResultsServiceStub(grpc.insecure_channel(settings.grpc_addr("results")))
    # Decided long enough ago for credit repair (3 months, general tier) and still within its
    # publicity period (12 months): a decision past its period would never be public.
    decided = (dt.datetime.now(CHINA_TZ).date() - dt.timedelta(days=200)).isoformat()
    result = results.PublishDecision(
        rpb.PublishDecisionRequest(decision=penalty(f"矩阵{code_a}号", decision_date=decided)),
        metadata=auth(owner),
        timeout=10,
    ).result
    reply = results.SubmitReply(
        rpb.SubmitReplyRequest(result_id=result.id, text="我方已整改完毕。", contact="13800000000"),
        timeout=10,
    )
    try:
        repair_id = results.ApplyForRepair(
            rpb.ApplyForRepairRequest(
                result_id=result.id,
                applicant_name=result.party.name,
                correction_proof="已缴纳罚款并整改",
                credit_commitment="守法经营承诺",
            ),
            timeout=10,
        ).id
    except grpc.RpcError:
        repair_id = ""  # not eligible: DecideRepair then tests against a missing id (see below)
    feedback = feedback_pb2_grpc.FeedbackServiceStub(grpc.insecure_channel(settings.grpc_addr("feedback")))
    submitted = _eventually(
        lambda: feedback.SubmitFeedback(
            fpb.SubmitFeedbackRequest(
                target=fpb.FeedbackTarget(type=fpb.FEEDBACK_TARGET_TYPE_AGENCY, id=code_a),
                category=fpb.FEEDBACK_CATEGORY_COMPLAINT,
                text=f"矩阵测试投诉 {uuid.uuid4().hex}",
            ),
            metadata=[("x-client-address", "198.51.100.7")],
            timeout=10,
        )
    )
    records = Records(code_a, code_b, result.id, reply.id, repair_id, submitted.tracking_code)
    _quiet(settings)
    return settings, callers, records


def _quiet(settings, within: float = 30) -> None:
    """Wait until the set-up's own events have run their course (feedback on a
    result annotates it in results, ...): the matrix compares what is stored."""
    deadline, last, steady_since = time.monotonic() + within, None, time.monotonic()
    while time.monotonic() < deadline:
        now = _stored(settings)
        if now != last:
            last, steady_since = now, time.monotonic()
        elif time.monotonic() - steady_since >= 2.5:
            return
        time.sleep(0.5)


def _served(settings) -> dict[str, str]:
    """Service full name -> the address of the process that serves it (by reflection)."""
    served = {}
    for name in SERVICE_NAMES:
        with grpc.insecure_channel(settings.grpc_addr(name)) as channel:
            for service in ProtoReflectionDescriptorDatabase(channel).get_services():
                if service.startswith("gongshi."):
                    served.setdefault(service, settings.grpc_addr(name))
    return served


def call(address: str, method: str, request, token: str | None) -> grpc.StatusCode:
    request_class, response_class, streaming = method_classes(method)
    metadata = auth(token) if token else None
    with grpc.insecure_channel(address) as channel:
        kind = channel.stream_unary if streaming else channel.unary_unary
        stub = kind(
            method,
            request_serializer=request_class.SerializeToString,
            response_deserializer=response_class.FromString,
        )
        try:
            response = stub(iter(request) if streaming else request, metadata=metadata, timeout=15)
        except grpc.RpcError as exc:
            return exc.code()
    if streaming and response.outcomes and not any(o.accepted for o in response.outcomes):
        # Bulk calls answer per item (one bad row never drops the good ones): a
        # caller who may not write has every item refused, with the reason.
        if all("credential" in " ".join(e.description for e in o.errors) for o in response.outcomes):
            return PERMISSION_DENIED
    return grpc.StatusCode.OK


def expectations(who: str, callers: Callers) -> list[tuple[str, str | None, grpc.StatusCode]]:
    rows = [
        ("no credential", None, UNAUTHENTICATED),
        ("wrong credential", callers.wrong, UNAUTHENTICATED),
        ("revoked credential", callers.revoked, UNAUTHENTICATED),
        ("another agency", callers.other_agency, PERMISSION_DENIED),
    ]
    if who != READER:
        rows.append(("oversight", callers.oversight, PERMISSION_DENIED))
    if who in (ADMIN, READER):
        rows.append(("the agency itself", callers.owner, PERMISSION_DENIED))
    return rows


def _stored(settings) -> dict[str, tuple[int, int]]:
    """(audit entries, outbox rows) of every service: any write adds to both."""
    counts = {}
    for service in SERVICE_NAMES:
        audit_total = (
            _audit(settings, service)
            .ListAudit(audit_pb2.ListAuditRequest(), metadata=auth(ADMIN_TOKEN), timeout=10)
            .total
        )
        outbox = asyncio.run(scalar(settings.db_url(service), "SELECT count(*) FROM outbox"))
        counts[service] = (audit_total, outbox)
    return counts


def test_every_protected_method_refuses_the_wrong_callers(matrix):
    settings, callers, records = matrix
    served = _served(settings)
    before = _stored(settings)
    tried, wrong = 0, []
    for method, sample in sorted(SAMPLES.items()):
        service = method.strip("/").split("/")[0]
        if service not in served:
            continue  # defined, not served by any process yet
        request = sample.build(records)
        rows = expectations(sample.who, callers)
        if method.endswith("/DecideRepair") and not records.repair_id:
            # No application can be made until a record's minimum publicity period has
            # passed (months): only the credential checks of the interceptor apply here.
            rows = [row for row in rows if row[2] == UNAUTHENTICATED]
        for caller, token, expected in rows:
            got = call(served[service], method, request, token)
            tried += 1
            if got != expected:
                wrong.append(f"{method} as {caller}: {got.name}, expected {expected.name}")
    time.sleep(0.5)  # a wrongly accepted write would have reached the outbox by now
    after = _stored(settings)
    print(f"\nauthorization matrix: {tried} refused calls over {len(SAMPLES)} methods")
    assert not wrong, "\n".join(wrong)
    assert after == before, "a refused call stored something"


def test_the_samples_are_valid_for_the_right_caller(matrix):
    """The refusals above are about who calls: the right caller gets past the checks."""
    settings, callers, records = matrix
    served = _served(settings)
    token_for = {AGENCY: callers.owner, ADMIN: ADMIN_TOKEN, READER: callers.oversight}
    refused = []
    for method, sample in sorted(SAMPLES.items()):
        service = method.strip("/").split("/")[0]
        if service not in served:
            continue
        got = call(served[service], method, sample.build(records), token_for[sample.who])
        if got in (UNAUTHENTICATED, PERMISSION_DENIED, grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN):
            refused.append(f"{method}: {got.name}")
    assert not refused, "\n".join(refused)

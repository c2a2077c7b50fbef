"""The whole platform as real processes, for integration tests."""

from __future__ import annotations

import time
from pathlib import Path

import grpc

from gongshi.v1 import (
    audit_pb2,
    audit_pb2_grpc,
    common_pb2,
    duties_pb2,
    duties_pb2_grpc,
    results_pb2,
    results_pb2_grpc,
)
from services.launcher import Platform, free_port
from services.runtime.settings import SERVICE_NAMES, Settings

ADMIN_TOKEN = "test-admin-token-0123456789"


def platform_settings(data_dir: Path, db_urls: dict[str, str] | None = None, **overrides) -> Settings:
    ports = {f"{name}_port": free_port() for name in SERVICE_NAMES}
    ports |= {f"{name}_metrics_port": free_port() for name in SERVICE_NAMES}
    urls = {f"{name}_db_url": url for name, url in (db_urls or {}).items()}
    return Settings(
        data_dir=data_dir,
        http_port=free_port(),
        nats_port=free_port(),
        admin_token=ADMIN_TOKEN,
        **ports,
        **urls,
        **overrides,
    )


def platform_env(settings: Settings) -> dict[str, str]:
    env = {f"GONGSHI_{name.upper()}_DB_URL": settings.db_url(name) for name in SERVICE_NAMES}
    env["GONGSHI_OUTBOX_POLL_SECONDS"] = "0.2"
    env["GONGSHI_RESULTS_TIMELINESS_SECONDS"] = "0.5"
    return env


def start_platform(settings: Settings) -> Platform:
    platform = Platform(settings, extra_env=platform_env(settings))
    platform.start()
    return platform


def auth(token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")]


def register_agency(
    settings: Settings, code: str, region: str = "310101", name: str = "测试市场监督管理局"
) -> str:
    """Register an agency, issue its credential, and wait until results accepts it."""
    with grpc.insecure_channel(settings.grpc_addr("duties")) as channel:
        admin = duties_pb2_grpc.AdminServiceStub(channel)
        admin.RegisterAgency(
            duties_pb2.RegisterAgencyRequest(
                agency=duties_pb2.Agency(
                    code=code, name=name, region_code=region, kind=duties_pb2.AGENCY_KIND_ADMINISTRATIVE_ORGAN
                )
            ),
            metadata=auth(ADMIN_TOKEN),
            timeout=30,  # returns once every copy has it (at most COPY_PROPAGATION_SECONDS)
        )
        token = admin.IssueCredential(
            duties_pb2.IssueCredentialRequest(role=common_pb2.ROLE_AGENCY, agency_code=code),
            metadata=auth(ADMIN_TOKEN),
            timeout=30,
        ).token
    wait_until_known(settings, token)
    wait_until_known_everywhere(settings, token)
    return token


def wait_until_known_everywhere(settings: Settings, token: str, timeout: float = 15) -> None:
    """Each service learns of a credential by its own event: wait until every
    one authenticates the token (to a known caller ListAudit answers OK or
    PERMISSION_DENIED, to an unknown one UNAUTHENTICATED)."""
    deadline = time.monotonic() + timeout
    for name in SERVICE_NAMES:
        with grpc.insecure_channel(settings.grpc_addr(name)) as channel:
            stub = audit_pb2_grpc.AuditServiceStub(channel)
            while True:
                try:
                    stub.ListAudit(audit_pb2.ListAuditRequest(), metadata=auth(token), timeout=5)
                    break
                except grpc.RpcError as exc:
                    if exc.code() == grpc.StatusCode.PERMISSION_DENIED:
                        break
                    if time.monotonic() > deadline:
                        raise
                time.sleep(0.05)


def wait_until_known(settings: Settings, token: str, timeout: float = 15) -> None:
    """Credentials and agencies reach results through events: wait for both.

    An empty decision is refused as INVALID_ARGUMENT only once the caller is
    authenticated, so that answer means the credential has arrived.
    """
    deadline = time.monotonic() + timeout
    with grpc.insecure_channel(settings.grpc_addr("results")) as channel:
        stub = results_pb2_grpc.ResultsServiceStub(channel)
        while True:
            try:
                stub.PublishDecision(results_pb2.PublishDecisionRequest(), metadata=auth(token), timeout=5)
            except grpc.RpcError as exc:
                if exc.code() == grpc.StatusCode.INVALID_ARGUMENT:
                    return
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)

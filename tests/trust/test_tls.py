"""TLS for gRPC and NATS is a setting: with GONGSHI_TLS_CERT/KEY/CA the
services serve gRPC over TLS only, the gateway and the CLI dial them over
TLS, and the embedded NATS requires TLS. The certificates are made here."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from pathlib import Path

import grpc
import httpx
import nats
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gongshi.v1 import common_pb2, duties_pb2, duties_pb2_grpc, results_pb2_grpc
from gongshi.v1 import results_pb2 as rpb
from services.launcher import Platform
from services.runtime import tls
from services.runtime.settings import Settings
from tests.support.decisions import penalty
from tests.support.platform import ADMIN_TOKEN, auth, platform_env, platform_settings
from tests.trust.load import stream_messages


def make_certificates(folder: Path) -> dict[str, str]:
    """A CA and a server certificate for 127.0.0.1 / localhost (openssl CLI)."""
    folder.mkdir(parents=True, exist_ok=True)

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Gongshi test CA",
        "-keyout", "ca.key", "-out", "ca.crt")  # fmt: skip
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
        "-out", "server.csr")  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", "san.ext", "-out", "server.crt")  # fmt: skip
    return {
        "tls_cert": str(folder / "server.crt"),
        "tls_key": str(folder / "server.key"),
        "tls_ca": str(folder / "ca.crt"),
    }


@pytest.fixture(scope="module")
def tls_platform(tmp_path_factory):
    certs = make_certificates(tmp_path_factory.mktemp("certs"))
    settings = platform_settings(tmp_path_factory.mktemp("tls"), **certs)
    env = {**platform_env(settings), **{f"GONGSHI_{k.upper()}": v for k, v in certs.items()}}
    running = Platform(settings, extra_env=env)
    running.start()
    yield running, settings
    running.stop()


def test_settings_refuse_half_a_tls_configuration(tmp_path):
    with pytest.raises(ValueError, match="together"):
        tls.check(Settings(tls_cert=str(tmp_path / "x.crt")))
    with pytest.raises(ValueError, match="no such file"):
        tls.check(Settings(tls_ca=str(tmp_path / "missing.crt")))
    assert not tls.enabled(Settings()) and tls.server_credentials(Settings()) is None


def test_grpc_and_nats_speak_tls_only(tls_platform):
    running, settings = tls_platform
    address = settings.grpc_addr("results")
    # Plaintext is refused ...
    with grpc.insecure_channel(address) as channel:
        with pytest.raises(grpc.RpcError) as caught:
            health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=3)
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    # ... and so is TLS with a CA that did not sign the server's certificate.
    with grpc.secure_channel(address, grpc.ssl_channel_credentials()) as channel:
        with pytest.raises(grpc.RpcError):
            health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=3)

    code = f"TLS-{uuid.uuid4().hex[:6]}"
    with tls.channel(settings, settings.grpc_addr("duties")) as channel:
        admin = duties_pb2_grpc.AdminServiceStub(channel)
        admin.RegisterAgency(
            duties_pb2.RegisterAgencyRequest(
                agency=duties_pb2.Agency(
                    code=code, name="加密测试局", region_code="310101",
                    kind=duties_pb2.AGENCY_KIND_ADMINISTRATIVE_ORGAN,
                )
            ),
            metadata=auth(ADMIN_TOKEN),
            timeout=10,
        )  # fmt: skip
        token = admin.IssueCredential(
            duties_pb2.IssueCredentialRequest(role=common_pb2.ROLE_AGENCY, agency_code=code),
            metadata=auth(ADMIN_TOKEN),
            timeout=10,
        ).token
    with tls.channel(settings, address) as channel:
        stub = results_pb2_grpc.ResultsServiceStub(channel)
        # The credential and the agency reach results over NATS (TLS too).
        for _ in range(150):
            try:
                reply = stub.PublishDecision(
                    rpb.PublishDecisionRequest(decision=penalty()), metadata=auth(token), timeout=5
                )
                break
            except grpc.RpcError as exc:
                if exc.code() not in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.FAILED_PRECONDITION):
                    raise
                asyncio.run(asyncio.sleep(0.1))
        assert reply.created

    # The gateway reads it from results over TLS.
    body = httpx.get(f"{running.gateway.address}/api/v1/results/{reply.result.id}", timeout=10).json()
    assert body["id"] == reply.result.id

    # NATS: a plaintext client is refused; one that verifies the CA reads the event.
    async def plaintext() -> None:
        nc = await nats.connect(running.nats.address, allow_reconnect=False, connect_timeout=3)
        await nc.close()

    with pytest.raises(Exception):  # noqa: B017 - refused in the TLS handshake, as whatever nats-py raises
        asyncio.run(plaintext())
    events = asyncio.run(
        stream_messages(
            running.nats.address, f"gongshi.results.published.{code}", tls=tls.nats_ssl_context(settings)
        )
    )
    assert [rpb.ResultPublished.FromString(m.data).result.id for m in events] == [reply.result.id]

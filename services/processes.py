"""Child processes of the launcher: forked so that they die with it, and one
launcher per data directory."""

from __future__ import annotations

import fcntl
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path


class LaunchError(RuntimeError):
    """Something a person must fix before the platform can start; the message says how."""


# -- children die with the launcher ---------------------------------------------
# Linux delivers PR_SET_PDEATHSIG when the *thread* that forked the child ends,
# not the process. Tests and the supervisor start parts from worker threads that
# come and go, so every child is forked by one spawner thread that lives as long
# as the process: the signal then comes exactly when the launcher dies, however
# it dies (SIGKILL, OOM), and reaches every part, NATS included.
#
# The signal is asked for by util-linux's `setpriv --pdeathsig KILL`, which the
# child execs first: no Python code may run between fork and exec in a process
# with other threads (gRPC's, a load generator's), and a `preexec_fn` calling
# prctl through ctypes crashed children that way under load (SIGSEGV).
_SETPRIV = shutil.which("setpriv") if sys.platform.startswith("linux") else None
_spawn_requests: queue.Queue = queue.Queue()
_spawner: threading.Thread | None = None
_spawner_lock = threading.Lock()


def _dying_with_parent(args: list[str]) -> list[str]:
    if _SETPRIV is None:  # not Linux, or no util-linux: the data-directory lock still guards
        return list(args)
    return [_SETPRIV, "--pdeathsig", "KILL", "--", *args]


def _spawn_loop() -> None:
    while True:
        kwargs, reply = _spawn_requests.get()
        try:
            kwargs = {**kwargs, "args": _dying_with_parent(kwargs["args"])}
            reply.put(subprocess.Popen(**kwargs))
        except BaseException as exc:  # handed to the caller's thread
            reply.put(exc)


def spawn(**kwargs) -> subprocess.Popen:
    """subprocess.Popen from the process-long spawner thread (see above)."""
    global _spawner
    with _spawner_lock:
        if _spawner is None or not _spawner.is_alive():
            _spawner = threading.Thread(target=_spawn_loop, name="gongshi-spawner", daemon=True)
            _spawner.start()
    reply: queue.Queue = queue.Queue(maxsize=1)
    _spawn_requests.put((kwargs, reply))
    result = reply.get()
    if isinstance(result, BaseException):
        raise result
    return result


class DataDirLock:
    """One platform per data directory: an flock on data_dir/gongshi.pid, held
    while the platform runs. The kernel drops it when the launcher dies, so a
    stale file never blocks a start; a live holder is named by its pid."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "gongshi.pid"
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise LaunchError(
                f"cannot start Gongshi: a platform using the data directory {self.path.parent} is "
                f"still running (pid {holder}, lock {self.path}); stop it first (kill {holder}) "
                f"or choose another GONGSHI_DATA_DIR"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing drops the flock
            self._fd = None

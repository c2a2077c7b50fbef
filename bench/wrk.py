"""The wrk HTTP load generator: make sure it is installed, run it, parse its output."""

from __future__ import annotations

import re
import shutil
import subprocess

from bench.harness import Unavailable

WRK_THREADS = 2
WRK_CONNECTIONS = 64

_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
_ERRORS = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)|Socket errors:.*")


class WrkUnavailable(Unavailable):
    pass


def _apt_get(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    try:
        return subprocess.run(["apt-get", *args], capture_output=True, text=True, timeout=300, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WrkUnavailable(f"could not run apt-get {' '.join(args)}: {exc}") from exc


def ensure_wrk() -> str:
    """Path of wrk, installing the Debian package if missing (the bench runs as root)."""
    path = shutil.which("wrk")
    if path:
        return path
    print("wrk not found: installing it with `apt-get install -y wrk` ...", flush=True)
    done = _apt_get("install", "-y", "wrk")
    if done.returncode != 0:  # a fresh machine may have no package lists yet
        _apt_get("update")
        done = _apt_get("install", "-y", "wrk")
    path = shutil.which("wrk")
    if done.returncode != 0 or not path:
        raise WrkUnavailable(
            "wrk is not installed and `apt-get install -y wrk` failed "
            f"({done.stderr.strip()[-300:]}); "
            "install the Debian package `wrk` by hand to run the HTTP benchmarks"
        )
    return path


def run_wrk(
    url: str,
    seconds: float,
    *,
    threads: int = WRK_THREADS,
    connections: int = WRK_CONNECTIONS,
    timeout: float = 2.0,
) -> float:
    """Requests/sec reported by ``wrk -t<threads> -c<connections> -d<seconds>s url``; a request
    slower than ``timeout`` seconds (wrk's default: 2) is an error that fails the run."""
    argv = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    argv += [f"--timeout={timeout:g}s", url]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    errors = _ERRORS.search(done.stdout)
    if errors:
        # Failed requests would be counted as throughput: refuse the run instead.
        raise RuntimeError(f"wrk saw errors: {errors.group(0)}")
    match = _RPS.search(done.stdout)
    if not match:
        raise RuntimeError(f"no Requests/sec in wrk output:\n{done.stdout}")
    return float(match.group(1))

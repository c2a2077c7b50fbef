"""The whole platform (NATS, the four services, the gateway) as real processes
for a benchmark: started by the launcher (services/launcher.py Platform, what
`gongshi run` uses) on free 127.0.0.1 ports with its data under var/bench/,
stopped by pid when the benchmark is done.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc

from bench.platform._decisions import Agency
from bench.servers import free_port
from gongshi.v1 import common_pb2, duties_pb2, duties_pb2_grpc, results_pb2, results_pb2_grpc
from services.launcher import Platform
from services.runtime.settings import SERVICE_NAMES, Settings

ADMIN_TOKEN = "bench-admin-token-0123456789abcdef"


def bench_settings(data_dir: Path, **overrides) -> Settings:
    """Settings as `gongshi run` would have them, but every port free (never 4222)."""
    ports = {f"{name}_port": free_port() for name in SERVICE_NAMES}
    ports |= {f"{name}_metrics_port": free_port() for name in SERVICE_NAMES}
    return Settings(
        data_dir=data_dir,
        http_port=free_port(),
        nats_port=free_port(),
        admin_token=ADMIN_TOKEN,
        **ports,
        **overrides,
    )


def platform_env(settings: Settings) -> dict[str, str]:
    # Platform passes ports on; database URLs (e.g. the cached 1M-result file) go here.
    return {f"GONGSHI_{name.upper()}_DB_URL": settings.db_url(name) for name in SERVICE_NAMES}


@dataclass
class BenchPlatform:
    platform: Platform
    settings: Settings
    started_in: float  # seconds from Platform.start() until every part answered healthy

    def pids(self) -> dict[str, int]:
        return {part.name: part.proc.pid for part in self.platform.parts() if part.proc is not None}

    def grpc_addr(self, service: str) -> str:
        return self.settings.grpc_addr(service)

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.http_port}"

    @property
    def nats_url(self) -> str:
        """NATS as the operator: the admin user of the launcher's embedded.conf (all rights)."""
        if self.platform.nats is not None:
            return self.platform.nats.address
        return self.settings.nats_servers[0]

    def nats_login(self, user: str) -> dict[str, str]:
        """GONGSHI_NATS_USER/PASSWORD of one of the platform's NATS users (embedded.conf)."""
        return self.platform.nats_login(user)

    def oversight(self) -> dict:
        """What an oversight body connects with: user, password, inbox prefix, durables."""
        return json.loads(self.platform.oversight_credentials.read_text())

    def register_agency(self, agency: Agency) -> str:
        """Register ``agency``, issue its credential, and wait until results accepts it."""
        with grpc.insecure_channel(self.grpc_addr("duties")) as channel:
            admin = duties_pb2_grpc.AdminServiceStub(channel)
            admin.RegisterAgency(
                duties_pb2.RegisterAgencyRequest(
                    agency=duties_pb2.Agency(
                        code=agency.code,
                        name=agency.name,
                        region_code=agency.region_code,
                        kind=duties_pb2.AGENCY_KIND_ADMINISTRATIVE_ORGAN,
                    )
                ),
                metadata=auth(ADMIN_TOKEN),
                timeout=30,
            )
            token = admin.IssueCredential(
                duties_pb2.IssueCredentialRequest(role=common_pb2.ROLE_AGENCY, agency_code=agency.code),
                metadata=auth(ADMIN_TOKEN),
                timeout=30,
            ).token
        self._wait_until_known(token)
        return token

    def _wait_until_known(self, token: str, timeout: float = 60) -> None:
        """Agencies and credentials reach results through events. An empty decision is
        refused as INVALID_ARGUMENT only once the caller is known, so that means ready."""
        deadline = time.monotonic() + timeout
        with grpc.insecure_channel(self.grpc_addr("results")) as channel:
            stub = results_pb2_grpc.ResultsServiceStub(channel)
            while True:
                try:
                    stub.PublishDecision(
                        results_pb2.PublishDecisionRequest(), metadata=auth(token), timeout=10
                    )
                except grpc.RpcError as exc:
                    if exc.code() == grpc.StatusCode.INVALID_ARGUMENT:
                        return
                    if time.monotonic() > deadline:
                        raise
                time.sleep(0.05)


def auth(token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")]


@contextlib.contextmanager
def running_platform(
    data_dir: Path,
    *,
    results_db: Path | None = None,
    keep_data: bool = False,
    extra_env: dict[str, str] | None = None,
) -> Iterator[BenchPlatform]:
    """Start the platform with its data in ``data_dir`` (emptied first unless ``keep_data``);
    ``results_db`` makes the results service use that SQLite file; ``extra_env`` adds settings."""
    if not keep_data:
        shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    overrides = {}
    if results_db is not None:
        overrides["results_db_url"] = f"sqlite+aiosqlite:///{results_db.resolve()}"
    settings = bench_settings(data_dir, **overrides)
    platform = Platform(settings, extra_env={**platform_env(settings), **(extra_env or {})})
    started = time.perf_counter()
    platform.start()  # stops whatever it started if a part fails
    try:
        yield BenchPlatform(platform, settings, time.perf_counter() - started)
    finally:
        stop_platform(platform)


def stop_platform(platform: Platform) -> None:
    """Platform.stop()'s order (gateway, services, NATS last so outboxes can flush), but the
    four services shut down side by side: each takes seconds, and the bench starts ten platforms."""
    platform.gateway.stop()
    services = [part for part in platform.services.values() if part.running]
    for part in services:
        part.proc.send_signal(signal.SIGTERM)
    for part in services:
        part.stop()  # waits for the exit (escalates to SIGKILL after its grace)
    if platform.nats is not None:
        platform.nats.stop()


def all_pids(roots: list[int]) -> list[int]:
    """``roots`` and every process descending from them (a part may fork helpers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                # The command name may hold spaces: ppid is the 2nd field after the last ')'.
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], list(roots)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB, from /proc/<pid>/smaps_rollup. PSS shares each
    shared page among the processes mapping it, so PSS sums do not double count."""
    rss = pss = 0
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    return rss, pss


def footprint_mb(roots: dict[str, int]) -> tuple[float, float, dict[str, float]]:
    """(RSS sum, PSS sum, RSS per part) in MB of the given processes and their descendants."""
    total_rss = total_pss = 0
    per_part = {}
    for name, pid in roots.items():
        part_rss = 0
        for p in all_pids([pid]):
            try:
                rss, pss = memory_kb(p)
            except OSError:
                continue  # exited in between
            part_rss += rss
            total_rss += rss
            total_pss += pss
        per_part[name] = part_rss / 1024
    return total_rss / 1024, total_pss / 1024, per_part

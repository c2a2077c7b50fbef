"""`gongshi run` as an operator leaves it running: a real launcher process.

While an agency pushes decisions, each part in turn (NATS, the four services,
the gateway) is killed with SIGKILL. The launcher restarts it with no command
given, the platform is healthy again within 30 s, and at the end every
acknowledged write is stored and published exactly once. Then a second launcher
on the same data directory is refused, naming the first one's pid, and
SIGKILL to the launcher leaves no part running 5 s later.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from services.launcher import free_port, grpc_healthy, http_healthy, tcp_open
from services.runtime.settings import SERVICE_NAMES
from services.supervisor import read_state
from tests.support.platform import ADMIN_TOKEN, platform_settings, register_agency
from tests.trust.load import Ledger, Pusher, document_numbers, stream_messages, tally, until

# Each test starts `gongshi run` itself, which no fixture shows: mark it by hand.
pytestmark = pytest.mark.platform

TOTAL = 1_500
BACK_WITHIN_SECONDS = 30
PARTS = ("nats", *SERVICE_NAMES, "gateway")


def _launcher_env(settings, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGSHI_")}
    env |= {
        "GONGSHI_DATA_DIR": str(data_dir),
        "GONGSHI_DEMO": "0",
        "GONGSHI_ADMIN_TOKEN": ADMIN_TOKEN,
        "GONGSHI_HTTP_PORT": str(settings.http_port),
        "GONGSHI_NATS_PORT": str(settings.nats_port),
        "GONGSHI_LAUNCHER_METRICS_PORT": str(free_port()),
        "GONGSHI_OUTBOX_POLL_SECONDS": "0.2",
        "GONGSHI_RESTART_BACKOFF_SECONDS": "0.2",
    }
    for name in SERVICE_NAMES:
        env[f"GONGSHI_{name.upper()}_PORT"] = str(settings.grpc_port(name))
        env[f"GONGSHI_{name.upper()}_METRICS_PORT"] = str(settings.metrics_port(name))
    return env


def _gongshi(*args: str) -> list[str]:
    return [sys.executable, "-m", "services.cli", *args]


def _healthy(name: str, settings) -> bool:
    if name == "nats":
        return tcp_open(settings.nats_port)
    if name == "gateway":
        return http_healthy(f"http://127.0.0.1:{settings.http_port}/healthz")
    return grpc_healthy(settings.grpc_addr(name))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (killed, not yet reaped by a dead parent's init) is not running.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False


@pytest.mark.timeout(300)
def test_launcher_restarts_each_killed_part_and_its_children_die_with_it(tmp_path):
    data_dir = tmp_path / "var"
    settings = platform_settings(data_dir)
    env = _launcher_env(settings, data_dir)
    out = open(tmp_path / "launcher.out", "wb")
    launcher = subprocess.Popen(_gongshi("run"), env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not (tmp_path / "launcher.out").read_text().count("Press Ctrl-C"):
            assert launcher.poll() is None, (tmp_path / "launcher.out").read_text()
            assert time.monotonic() < deadline, "the launcher did not start"
            time.sleep(0.2)
        _kill_each_part_under_load(settings, data_dir, env)

        # One platform per data directory: a second launcher names the first.
        second = subprocess.run(_gongshi("run"), env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert f"still running (pid {launcher.pid}" in second.stderr

        status = subprocess.run(_gongshi("status"), env=env, capture_output=True, text=True, timeout=60)
        restarts = {line.split()[0]: line.split()[2] for line in status.stdout.splitlines()[2:8]}
        assert restarts == {name: "1" for name in PARTS}, status.stdout
        metrics = urllib.request.urlopen(
            f"http://127.0.0.1:{env['GONGSHI_LAUNCHER_METRICS_PORT']}/metrics", timeout=5
        ).read()
        for name in PARTS:
            assert re.search(rf'gongshi_part_restarts{{[^}}]*part="{name}"}} 1\.0'.encode(), metrics), name

        pids = [part["pid"] for part in read_state(data_dir)["parts"].values()]
        assert all(pids) and all(_alive(pid) for pid in pids)
        launcher.kill()
        launcher.wait(10)
        time.sleep(5)
        assert [pid for pid in pids if _alive(pid)] == [], "parts outlived the launcher"
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGTERM)
            launcher.wait(60)
        out.close()


def _kill_each_part_under_load(settings, data_dir: Path, env: dict[str, str]) -> None:
    code = f"SUP-{uuid.uuid4().hex[:6]}"
    token = register_agency(settings, code)
    ledger = Ledger()
    back_after: dict[str, float] = {}

    async def scenario() -> None:
        async with Pusher(
            [settings.grpc_addr("results")],
            token,
            ledger,
            batch=50,
            gateway=f"http://127.0.0.1:{settings.http_port}",
        ) as pusher:
            load = asyncio.create_task(
                pusher.push(document_numbers(f"沪{code}罚", TOTAL), deadline=time.monotonic() + 180)
            )
            for n, name in enumerate(PARTS, start=1):
                target = TOTAL * n // (len(PARTS) + 2)

                async def reached(target=target) -> bool:
                    if load.done():
                        load.result()
                        return True
                    return len(ledger) >= target

                await until(reached, within=120, what=f"{target} acknowledged writes")
                old = read_state(data_dir)["parts"][name]["pid"]
                os.kill(old, signal.SIGKILL)
                killed = time.monotonic()

                async def back(name=name, old=old) -> bool:
                    part = (read_state(data_dir) or {"parts": {}})["parts"].get(name, {})
                    if part.get("pid") in (None, old):
                        return False
                    return await asyncio.to_thread(lambda: all(_healthy(p, settings) for p in PARTS))

                await until(back, within=BACK_WITHIN_SECONDS, what=f"{name} restarted and all healthy")
                back_after[name] = time.monotonic() - killed
            await load

    asyncio.run(scenario())
    print(f"\nback after SIGKILL (s): {json.dumps({k: round(v, 1) for k, v in back_after.items()})}")
    assert len(ledger) == TOTAL

    async def published() -> list:
        password = (data_dir / "nats-auth" / "admin.password").read_text().strip()
        return await stream_messages(
            f"nats://admin:{password}@127.0.0.1:{settings.nats_port}", f"gongshi.results.published.{code}"
        )

    async def settled() -> bool:
        return len(await published()) >= TOTAL

    asyncio.run(until(settled, within=60, interval=1, what="every write published"))
    events = asyncio.run(published())
    figures = asyncio.run(
        tally(ledger, agency=code, results_db=settings.db_url("results"), stream_events=events, effects=[])
    )
    print(
        f"[supervised SIGKILL] acknowledged={figures.acknowledged} stored={figures.stored} "
        f"published={len(events)} lost={figures.stored_lost + figures.published_lost} "
        f"doubled={figures.stored_doubled + figures.published_doubled + figures.conflicts} "
        f"({ledger.retries} calls retried)"
    )
    assert figures.acknowledged == figures.stored == TOTAL
    assert figures.stored_lost == figures.published_lost == 0
    assert figures.stored_doubled == figures.published_doubled == figures.conflicts == 0
    assert figures.outbox_pending == 0


def _start_launcher(tmp_path: Path, name: str, **more: str) -> tuple[subprocess.Popen, Path, Path]:
    data_dir = tmp_path / name
    settings = platform_settings(data_dir)
    env = _launcher_env(settings, data_dir) | more
    output = tmp_path / f"{name}.out"
    with open(output, "wb") as out:
        launcher = subprocess.Popen(_gongshi("run"), env=env, stdout=out, stderr=subprocess.STDOUT)
    return launcher, data_dir, output


def _wait_for(output: Path, text: str, launcher: subprocess.Popen, within: float = 90) -> None:
    deadline = time.monotonic() + within
    while text not in output.read_text():
        assert launcher.poll() is None, output.read_text()
        assert time.monotonic() < deadline, f"no {text!r} in:\n{output.read_text()}"
        time.sleep(0.1)


@pytest.mark.timeout(180)
def test_a_part_that_keeps_failing_stops_the_platform_with_status_1(tmp_path):
    launcher, data_dir, output = _start_launcher(tmp_path, "loop", GONGSHI_RESTART_LIMIT="2")
    try:
        _wait_for(output, "Press Ctrl-C", launcher)
        pids = {name: part["pid"] for name, part in read_state(data_dir)["parts"].items()}
        os.kill(pids["gateway"], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while read_state(data_dir)["parts"]["gateway"]["pid"] in (None, pids["gateway"]):
            assert time.monotonic() < deadline, output.read_text()
            time.sleep(0.1)
        os.kill(read_state(data_dir)["parts"]["gateway"]["pid"], signal.SIGKILL)
        assert launcher.wait(60) == 1
        text = output.read_text()
        assert "gateway exited 2 times within 60s" in text
        assert str(data_dir.resolve() / "logs" / "gateway.log") in text
        assert [pid for pid in pids.values() if _alive(pid)] == [], "the platform was stopped in order"
    finally:
        if launcher.poll() is None:
            launcher.kill()


@pytest.mark.timeout(120)
def test_sigterm_while_starting_stops_at_once(tmp_path):
    launcher, data_dir, output = _start_launcher(tmp_path, "early")
    _wait_for(output, "starting Gongshi", launcher)
    deadline = time.monotonic() + 30
    while not (data_dir / "logs" / "duties.log").exists():  # the services are being started
        assert time.monotonic() < deadline
        time.sleep(0.05)
    launcher.send_signal(signal.SIGTERM)
    stopped_at = time.monotonic()
    assert launcher.wait(30) == 0
    assert time.monotonic() - stopped_at < 25, "a stop must not wait for the start to finish"
    text = output.read_text()
    assert "SIGTERM received: stopping Gongshi" in text and "stopped." in text

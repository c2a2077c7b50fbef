"""The supervision policy on real (tiny) processes: restart with capped
exponential back-off, count restarts, give up on a crash loop naming the part
and its log; and the data-directory lock."""

from __future__ import annotations

import sys
import time

import pytest

from services.launcher import LaunchError, Part
from services.processes import DataDirLock
from services.supervisor import CrashLoop, RestartPolicy, Supervisor, read_state


def _part(tmp_path, name: str, code: str) -> Part:
    return Part(name, [sys.executable, "-c", code], {}, lambda: True, "", tmp_path / f"{name}.log")


def _supervise(tmp_path, parts, policy, *, until, within: float = 20.0) -> Supervisor:
    supervisor = Supervisor(None, policy, parts=parts, state_file=tmp_path / "supervisor.json")
    deadline = time.monotonic() + within
    while not until(supervisor):
        assert time.monotonic() < deadline, supervisor.state()
        supervisor.check()
        time.sleep(0.02)
    return supervisor


def test_back_off_doubles_up_to_its_cap():
    policy = RestartPolicy(backoff_seconds=0.5, backoff_max_seconds=3.0)
    assert [policy.delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


def test_a_part_that_exits_is_restarted_and_counted(tmp_path):
    flaky = _part(tmp_path, "flaky", "import sys; print('bye', flush=True); sys.exit(3)")
    steady = _part(tmp_path, "steady", "import time; time.sleep(60)")
    for part in (flaky, steady):
        part.start()
    policy = RestartPolicy(backoff_seconds=0.05, limit=10, window_seconds=60)
    supervisor = _supervise(
        tmp_path, [flaky, steady], policy, until=lambda s: s.records["flaky"].restarts >= 2
    )
    state = read_state(tmp_path)
    assert state["parts"]["flaky"]["last_exit_status"] == 3
    assert state["parts"]["steady"] == {**state["parts"]["steady"], "restarts": 0, "running": True}
    assert dict((labels["part"], value) for value, labels in supervisor.restarts())["steady"] == 0
    steady.kill()


def test_a_crash_loop_stops_supervision_naming_the_part_and_its_log(tmp_path):
    broken = _part(tmp_path, "results", "import sys; print('cannot open db', flush=True); sys.exit(2)")
    broken.start()
    policy = RestartPolicy(backoff_seconds=0.01, backoff_max_seconds=0.05, limit=5, window_seconds=60)
    supervisor = Supervisor(None, policy, parts=[broken], state_file=tmp_path / "supervisor.json")
    deadline = time.monotonic() + 20
    with pytest.raises(CrashLoop) as failure:
        while time.monotonic() < deadline:
            supervisor.check()
            time.sleep(0.02)
    message = str(failure.value)
    assert "results exited 5 times within 60s" in message
    assert str(tmp_path / "results.log") in message and "cannot open db" in message
    assert supervisor.records["results"].restarts == 4


def test_exits_older_than_the_window_do_not_count(tmp_path):
    clock = [0.0]
    part = _part(tmp_path, "gateway", "import sys; sys.exit(1)")
    part.start()
    part.proc.wait()
    policy = RestartPolicy(backoff_seconds=0.01, limit=2, window_seconds=10)
    supervisor = Supervisor(
        None, policy, parts=[part], state_file=tmp_path / "supervisor.json", clock=lambda: clock[0]
    )
    for _ in range(5):  # five exits, 11 s apart: never two within the window
        supervisor.check()  # notices the exit
        clock[0] += 11
        supervisor.check()  # restarts it
        part.proc.wait()
    assert supervisor.records["gateway"].restarts == 5


def test_one_platform_per_data_directory(tmp_path):
    first = DataDirLock(tmp_path)
    first.acquire()
    with pytest.raises(LaunchError, match=r"still running \(pid \d+"):
        DataDirLock(tmp_path).acquire()
    first.release()
    again = DataDirLock(tmp_path)
    again.acquire()  # released (or its holder died): free again
    again.release()

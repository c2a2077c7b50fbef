"""Keeps the platform's processes running, the way supervisord or systemd would.

A part that exits while the platform runs is started again after an
exponential back-off (RestartPolicy.backoff_seconds doubling up to
backoff_max_seconds). A part that exits `limit` times within `window_seconds`
is crash-looping: the supervisor gives up and `gongshi run` stops the whole
platform with a non-zero status naming the part and its log. Restarts are
counted per part, logged, written to data_dir/supervisor.json (read by
`gongshi status`) and exported as the metric gongshi_part_restarts.

Each part is restarted on its own: the services reconnect to a restarted NATS
(their outbox keeps what they commit meanwhile), so NATS going away no longer
takes the services with it. docs/reliability.md describes the policy.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from services.launcher import Part, Platform
from services.runtime.settings import Settings

log = logging.getLogger(__name__)

STATE_FILE = "supervisor.json"


@dataclass(frozen=True)
class RestartPolicy:
    backoff_seconds: float = 0.5
    backoff_max_seconds: float = 30.0
    limit: int = 5  # exits within window_seconds that count as a crash loop
    window_seconds: float = 60.0

    @classmethod
    def from_settings(cls, settings: Settings) -> RestartPolicy:
        return cls(
            backoff_seconds=settings.restart_backoff_seconds,
            backoff_max_seconds=settings.restart_backoff_max_seconds,
            limit=settings.restart_limit,
            window_seconds=settings.restart_window_seconds,
        )

    def delay(self, recent_exits: int) -> float:
        """The wait before the restart that follows the n-th exit in the window."""
        return min(self.backoff_seconds * 2 ** max(recent_exits - 1, 0), self.backoff_max_seconds)


class CrashLoop(RuntimeError):
    """A part kept failing: the platform must stop and a person must look."""

    def __init__(self, part: Part, exits: int, window: float) -> None:
        self.part = part
        super().__init__(
            f"{part.name} exited {exits} times within {window:.0f}s (last status "
            f"{part.proc.returncode if part.proc else '?'}); giving up and stopping Gongshi.\n"
            f"  its log: {part.log_path}\n{part.log_tail(15)}"
        )


@dataclass
class PartRecord:
    """What the supervisor knows of one part."""

    restarts: int = 0
    last_exit_status: int | None = None
    last_exit_at: float | None = None
    restart_at: float | None = None  # a restart is scheduled for this monotonic instant
    exits: deque = field(default_factory=deque)  # monotonic instants of recent exits


class Supervisor:
    """Watches the parts of a started Platform and restarts those that exit."""

    def __init__(
        self,
        platform: Platform,
        policy: RestartPolicy | None = None,
        *,
        parts: list[Part] | None = None,
        state_file: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.platform = platform
        self.policy = policy or RestartPolicy.from_settings(platform.settings)
        self.parts = parts if parts is not None else platform.parts()
        self.records = {part.name: PartRecord() for part in self.parts}
        self.state_file = state_file if state_file is not None else platform.data_dir / STATE_FILE
        self.clock = clock

    def check(self) -> None:
        """One pass: notice exits, start parts whose back-off has passed.
        Raises CrashLoop when a part exceeded the policy's limit."""
        now = self.clock()
        changed = False
        for part in self.parts:
            record = self.records[part.name]
            if record.restart_at is not None:
                if now >= record.restart_at:
                    self._restart(part, record)
                    changed = True
                continue
            if part.running:
                continue
            changed = True
            record.last_exit_status = part.proc.returncode if part.proc else None
            record.last_exit_at = time.time()
            record.exits.append(now)
            while record.exits and now - record.exits[0] > self.policy.window_seconds:
                record.exits.popleft()
            if len(record.exits) >= self.policy.limit:
                self.write_state()
                raise CrashLoop(part, len(record.exits), self.policy.window_seconds)
            delay = self.policy.delay(len(record.exits))
            record.restart_at = now + delay
            log.warning(
                "%s exited with status %s; restarting in %.1fs (%d exits in %.0fs; %d stop Gongshi; log %s)",
                part.name,
                record.last_exit_status,
                delay,
                len(record.exits),
                self.policy.window_seconds,
                self.policy.limit,
                part.log_path,
            )
        if changed:
            self.write_state()

    def _restart(self, part: Part, record: PartRecord) -> None:
        record.restart_at = None
        record.restarts += 1
        part.start()
        log.warning("%s restarted (pid %d, restart #%d)", part.name, part.proc.pid, record.restarts)

    def run(self, should_stop: Callable[[float], bool], interval: float = 0.25) -> None:
        """Check every `interval` seconds until should_stop(interval) is true
        (e.g. threading.Event.wait). Raises CrashLoop."""
        self.write_state()
        while not should_stop(interval):
            self.check()

    def state(self) -> dict:
        parts = {}
        for part in self.parts:
            record = self.records[part.name]
            parts[part.name] = {
                "pid": part.proc.pid if part.running else None,
                "running": part.running,
                "restarts": record.restarts,
                "last_exit_status": record.last_exit_status,
                "last_exit_at": record.last_exit_at,
                "log": str(part.log_path),
            }
        return {"launcher_pid": os.getpid(), "updated_at": time.time(), "parts": parts}

    def write_state(self) -> None:
        """Written whole and renamed, so a reader never sees half a file."""
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state(), indent=2) + "\n")
        tmp.replace(self.state_file)

    def restarts(self):
        """(value, labels) pairs for the gongshi_part_restarts gauge."""
        return ((record.restarts, {"part": name}) for name, record in self.records.items())


def read_state(data_dir: Path) -> dict | None:
    """The last state a running (or dead) launcher wrote, or None."""
    try:
        return json.loads((data_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None

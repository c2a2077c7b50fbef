"""The process clock. Deadlines, expiry and overdue checks read time here only,
so tests can move time (GONGSHI_CLOCK_FILE) instead of sleeping."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

# Deadlines are legal dates in China: compute "today" in China Standard Time.
CHINA_TZ = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self, clock_file: str = "") -> None:
        self._clock_file = clock_file
        self._cached: tuple[float, dt.datetime] | None = None

    def now(self) -> dt.datetime:
        if not self._clock_file:
            return dt.datetime.now(dt.UTC)
        return self._read_file()

    def today(self) -> dt.date:
        return self.now().astimezone(CHINA_TZ).date()

    def _read_file(self) -> dt.datetime:
        mtime = os.stat(self._clock_file).st_mtime
        if self._cached is None or self._cached[0] != mtime:
            with open(self._clock_file, encoding="utf-8") as f:
                instant = dt.datetime.fromisoformat(f.read().strip())
            if instant.tzinfo is None:
                instant = instant.replace(tzinfo=CHINA_TZ)
            self._cached = (mtime, instant)
        return self._cached[1]


def isoformat(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

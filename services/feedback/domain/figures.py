"""The figures of feedback statistics: medians and ratios."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable


def median_hours(durations: Iterable[dt.timedelta]) -> float:
    hours = [d.total_seconds() / 3600 for d in durations]
    return round(statistics.median(hours), 2) if hours else 0.0


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0

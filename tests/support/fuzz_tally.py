"""How much bad input the fuzz tests (tests/trust/test_fuzz_*.py) sent, per gRPC
method and per HTTP endpoint: reported once at the end of the run (a summary, not
a test). In a parallel run each worker counts its own and hands its counts to the
controller, which adds them up (hooks in tests/conftest.py)."""

from __future__ import annotations

from collections import Counter
from typing import Any

TRIED: dict[str, Counter[str]] = {"gRPC": Counter(), "HTTP": Counter()}
_WORKER_OUTPUT_KEY = "fuzz_tried"
_TARGETS = {"gRPC": "methods", "HTTP": "endpoints"}


def hand_to_controller(workeroutput: dict[str, Any]) -> None:
    workeroutput[_WORKER_OUTPUT_KEY] = {kind: dict(counts) for kind, counts in TRIED.items()}


def add_from_worker(workeroutput: dict[str, Any]) -> None:
    for kind, counts in workeroutput.get(_WORKER_OUTPUT_KEY, {}).items():
        TRIED[kind].update(counts)


def summary() -> list[str]:
    return [
        f"bad {kind} inputs tried: {sum(counts.values())} over {len(counts)} {_TARGETS[kind]}"
        for kind, counts in TRIED.items()
        if counts
    ]

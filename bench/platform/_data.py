"""Cached results data sets (see _dataset.py), built in their own process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.harness import REPO_ROOT, VAR_DIR

CACHE_DIR = VAR_DIR / "cache"
SEARCH_ROWS = 1_000_000
SEARCH_ROWS_QUICK = 50_000
LIST_ROWS = 10_000  # the read_list table: a realistic agency-portal size, cheap to copy


def results_db(rows: int) -> Path:
    """Path of the cached results file with ``rows`` published results (built when missing)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.platform._dataset", "--rows", str(rows), "--dir", str(CACHE_DIR)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        timeout=1800,
    )  # progress goes to stderr, straight to the console
    if done.returncode != 0:
        raise RuntimeError(f"building the {rows:,}-result data set failed ({done.returncode})")
    return Path(done.stdout.strip().splitlines()[-1])


def search_rows(quick: bool) -> int:
    return SEARCH_ROWS_QUICK if quick else SEARCH_ROWS

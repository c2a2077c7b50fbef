"""Settings of the results service alone (GONGSHI_RESULTS_* variables)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from services.runtime.env_settings import EnvSettings


class ResultsSettings(EnvSettings):
    env_prefix: ClassVar[str] = "GONGSHI_RESULTS_"

    # JSON file with publication policies per region (docs/results.md); empty = built-in defaults.
    policy_file: str = ""
    # How often the background job looks for overdue and expired records.
    scan_seconds: float = Field(default=1.0, gt=0)
    # Items of a bulk stream stored per transaction.
    bulk_batch: int = Field(default=500, ge=1, le=5000)
    # Leave the search index queue unapplied (new records are stored and announced but not
    # yet searchable): for an operator's bulk reload, and for tests of a crash before indexing.
    index_paused: bool = False
    # How often the per-agency timeliness gauges are recomputed (one grouped query).
    timeliness_seconds: float = Field(default=30.0, gt=0)

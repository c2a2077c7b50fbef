"""Settings of the feedback service beyond the shared ones (GONGSHI_FEEDBACK_*)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from services.runtime import limits
from services.runtime.env_settings import EnvSettings


class FeedbackConfig(EnvSettings):
    env_prefix: ClassVar[str] = "GONGSHI_FEEDBACK_"

    # Decidim hides content after 3 reports by default; regions may choose otherwise.
    flags_to_hide: int = Field(default=limits.FEEDBACK_FLAGS_TO_HIDE, ge=1)
    # How often the overdue scanner looks for passed deadlines.
    overdue_scan_seconds: float = Field(default=30.0, gt=0)
    # Key for hashing client addresses (rate limits store no address). Empty:
    # derived from the administrator token, which every replica shares.
    client_key: str = ""

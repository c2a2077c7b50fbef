"""Settings of the feedback service beyond the shared ones (GONGSHI_FEEDBACK_*)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.runtime import limits


class FeedbackConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GONGSHI_FEEDBACK_", extra="ignore")

    # Decidim hides content after 3 reports by default; regions may choose otherwise.
    flags_to_hide: int = Field(default=limits.FEEDBACK_FLAGS_TO_HIDE, ge=1)
    # How often the overdue scanner looks for passed deadlines.
    overdue_scan_seconds: float = Field(default=30.0, gt=0)
    # Key for hashing client addresses (rate limits store no address). Empty:
    # derived from the administrator token, which every replica shares.
    client_key: str = ""

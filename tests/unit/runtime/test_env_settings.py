"""Settings come from GONGSHI_* variables, typed and checked, with values given in code winning."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from gateway.settings import GatewaySettings
from services.feedback.config import FeedbackConfig
from services.results.settings import ResultsSettings
from services.runtime.settings import Settings


def test_variables_fill_fields_typed(monkeypatch):
    monkeypatch.setenv("GONGSHI_HTTP_PORT", "8123")
    monkeypatch.setenv("GONGSHI_DATA_DIR", "/srv/gongshi")
    monkeypatch.setenv("gongshi_outbox_poll_seconds", "0.25")  # any case, as before
    settings = Settings()
    assert settings.http_port == 8123
    assert settings.data_dir == Path("/srv/gongshi")
    assert settings.outbox_poll_seconds == 0.25


def test_values_given_in_code_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("GONGSHI_HTTP_PORT", "8123")
    assert Settings(http_port=9000).http_port == 9000


def test_a_bad_value_names_its_field(monkeypatch):
    monkeypatch.setenv("GONGSHI_CONSUMER_BATCH", "0")
    with pytest.raises(ValidationError, match="consumer_batch"):
        Settings()


def test_each_part_reads_its_own_prefix(monkeypatch):
    monkeypatch.setenv("GONGSHI_RESULTS_INDEX_PAUSED", "true")
    monkeypatch.setenv("GONGSHI_FEEDBACK_FLAGS_TO_HIDE", "7")
    monkeypatch.setenv("GONGSHI_WEBHOOK_LOOPBACK_ONLY", "1")
    assert ResultsSettings().index_paused is True
    assert FeedbackConfig().flags_to_hide == 7
    assert GatewaySettings().webhook_loopback_only is True
    # A service's own variable is not a field of the shared settings, and unknown ones are ignored.
    monkeypatch.setenv("GONGSHI_NO_SUCH_SETTING", "x")
    assert not hasattr(Settings(), "results_index_paused")

"""What the launcher puts in every part's environment beyond the settings."""

from __future__ import annotations

from services.launcher import Platform
from services.runtime.settings import Settings


def _platform(tmp_path, monkeypatch, **env) -> Platform:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Platform(Settings(data_dir=tmp_path, admin_token="t" * 32))


def test_two_malloc_arenas_unless_the_operator_chose(tmp_path, monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert _platform(tmp_path, monkeypatch).env["MALLOC_ARENA_MAX"] == "2"
    chosen = _platform(tmp_path / "other", monkeypatch, MALLOC_ARENA_MAX="8")
    assert chosen.env["MALLOC_ARENA_MAX"] == "8"
    assert all(part.env["MALLOC_ARENA_MAX"] == "8" for part in chosen.parts())

"""Small runtime pieces: ids, subjects, tokens, settings."""

from __future__ import annotations

import time

import pytest

from services.runtime import events as ev
from services.runtime.auth import new_token, parse_bearer
from services.runtime.errors import Unauthenticated
from services.runtime.ids import new_id
from services.runtime.settings import Settings


def test_ids_are_unique_and_time_ordered():
    first = new_id()
    time.sleep(0.002)
    ids = [new_id() for _ in range(1000)]
    assert len(set(ids)) == 1000 and all(len(i) == 26 for i in ids)
    assert first < min(ids)


def test_subjects_refuse_unsafe_tokens():
    assert ev.subject("results", "published", "SCJG-1") == "gongshi.results.published.SCJG-1"
    assert ev.subject("auth", "credential_issued", "A", internal=True) == "internal.auth.credential_issued.A"
    for bad in ("a.b", "a b", "*", ">", ""):
        with pytest.raises(ValueError):
            ev.subject("results", "published", bad)


def test_tokens_are_random_and_hash_only_is_kept():
    credential_id, token, digest = new_token()
    assert token.startswith(f"gs_{credential_id}_") and len(digest) == 32
    assert new_token()[1] != token
    assert token.encode() not in digest


def test_bearer_parsing():
    assert parse_bearer(None) is None
    assert parse_bearer("Bearer abc") == "abc"
    with pytest.raises(Unauthenticated):
        parse_bearer("Basic abc")


def test_settings_defaults_and_env(monkeypatch):
    monkeypatch.setenv("GONGSHI_RESULTS_PORT", "6000")
    monkeypatch.setenv("GONGSHI_NATS_URL", "nats://a:1, nats://b:2")
    settings = Settings()
    assert settings.grpc_port("results") == 6000 and settings.grpc_addr("results") == "127.0.0.1:6000"
    assert settings.nats_servers == ["nats://a:1", "nats://b:2"]
    duties_db = settings.db_url("duties")
    assert duties_db.startswith("sqlite+aiosqlite:///") and duties_db.endswith("var/duties.db")

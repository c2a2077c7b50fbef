"""Fixtures of the trust tests: a platform of their own (they kill its parts),
and the stand-alone effects consumer as a real process."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.launcher import Part, Platform
from services.runtime.settings import SERVICE_NAMES, Settings
from tests.support.databases import PostgresDatabases, require_postgres
from tests.support.platform import platform_env, platform_settings


def effects_consumer_part(
    platform: Platform, db_url: str, work_dir: Path, name: str = "effects", durable: str = ""
) -> Part:
    ready = work_dir / f"{name}.ready"

    class _Part(Part):
        def start(self) -> None:
            ready.unlink(missing_ok=True)
            super().start()

    return _Part(
        name,
        [sys.executable, "-m", "tests.trust.effects_consumer", db_url, str(ready), name, durable],
        platform.env,
        ready.exists,
        db_url,
        platform.log_dir / f"{name}.log",
    )


def own_platform(
    tmp_path_factory,
    backend: str,
    *,
    postgres_for: tuple[str, ...] = SERVICE_NAMES,
    extra_env: dict[str, str] | None = None,
) -> Iterator[tuple[Platform, Settings, PostgresDatabases]]:
    """A platform of the test's own; on "postgres" the services named in
    `postgres_for` get a fresh PostgreSQL database each, the others SQLite."""
    if backend == "postgres":
        require_postgres()
    databases = PostgresDatabases()
    db_urls = {name: databases.url(name) for name in postgres_for} if backend == "postgres" else None
    settings = platform_settings(tmp_path_factory.mktemp(f"trust-{backend}"), db_urls)
    running = Platform(settings, extra_env={**platform_env(settings), **(extra_env or {})})
    running.start()
    try:
        yield running, settings, databases
    finally:
        running.stop()
        databases.drop_all()


@pytest.fixture
def sqlite_platform(tmp_path_factory):
    yield from own_platform(tmp_path_factory, "sqlite")

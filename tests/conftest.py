"""Fixtures shared by the whole suite: real NATS servers, database back-ends
and the platform as real processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.launcher import Platform
from services.runtime.settings import SERVICE_NAMES, Settings
from tests.support.databases import PostgresDatabases, backends, require_postgres
from tests.support.nats import NatsServer
from tests.support.platform import platform_settings, start_platform


@pytest.fixture
def nats_server(tmp_path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "nats").start()
    yield server
    server.kill()


@pytest.fixture(params=backends())
def db_backend(request) -> str:
    if request.param == "postgres":
        require_postgres()
    return request.param


@pytest.fixture
def db_url(db_backend, tmp_path) -> Iterator[str]:
    """A fresh database for one test, on each back-end in turn."""
    if db_backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    databases = PostgresDatabases()
    yield databases.url("unit")
    databases.drop_all()


@pytest.fixture(scope="module", params=backends())
def platform(request, tmp_path_factory) -> Iterator[tuple[Platform, Settings]]:
    """NATS, the four services and the gateway, on the SQLite files or on PostgreSQL."""
    if request.param == "postgres":
        require_postgres()
    data_dir = tmp_path_factory.mktemp("platform")
    databases = PostgresDatabases()
    db_urls = {name: databases.url(name) for name in SERVICE_NAMES} if request.param == "postgres" else None
    settings = platform_settings(data_dir, db_urls)
    running = start_platform(settings)
    yield running, settings
    running.stop()
    databases.drop_all()

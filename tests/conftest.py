"""Fixtures shared by the whole suite: real NATS servers, database back-ends
and the platform as real processes; the layer markers every test gets from
the fixtures it uses (`make test-fast` runs the cheap layers only); and what
running in parallel workers needs (tests/support/parallel.py)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from functools import cache

import pytest

from services.launcher import Platform
from services.runtime.settings import SERVICE_NAMES, Settings
from tests.support import fuzz_tally, parallel
from tests.support.databases import PostgresDatabases, backends, require_postgres
from tests.support.nats import NatsServer
from tests.support.platform import platform_settings, start_platform


def pytest_configure(config: pytest.Config) -> None:
    parallel.give_this_worker_its_ports()


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


def _platform_on(backend: str, tmp_path_factory) -> Iterator[tuple[Platform, Settings]]:
    if backend == "postgres":
        require_postgres()
    data_dir = tmp_path_factory.mktemp("platform")
    databases = PostgresDatabases()
    db_urls = {name: databases.url(name) for name in SERVICE_NAMES} if backend == "postgres" else None
    settings = platform_settings(data_dir, db_urls)
    running = start_platform(settings)
    yield running, settings
    running.stop()
    databases.drop_all()


@pytest.fixture(scope="module", params=backends())
def platform(request, tmp_path_factory) -> Iterator[tuple[Platform, Settings]]:
    """NATS, the four services and the gateway, on the SQLite files or on PostgreSQL."""
    yield from _platform_on(request.param, tmp_path_factory)


@pytest.fixture(scope="session", params=backends())
def shared_platform(request, tmp_path_factory) -> Iterator[tuple[Platform, Settings]]:
    """The same, started once per back-end for the whole session. A module takes
    it (`def platform(shared_platform)`) when its tests work under agencies of
    their own, stop no part and count nothing platform-wide: a fresh platform
    costs seconds per module and back-end."""
    yield from _platform_on(request.param, tmp_path_factory)


# What a fixture's code calls when it starts the whole platform (NATS, four services, gateway).
PLATFORM_STARTS = ("start_platform(", "Platform(", "own_platform(", "start_subscription_platform(")
BROWSER_FIXTURES = {"browser", "axe_source"}


@cache
def _starts_platform(func) -> bool:
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return False
    return any(call in source for call in PLATFORM_STARTS)


def layers(item: pytest.Item) -> set[str]:
    """The layers a test needs, read from its fixtures: `platform` (real
    processes), `postgres` (a fixture parametrised on it, or named for it),
    `browser` (headless Chromium)."""
    found = set()
    info = getattr(item, "_fixtureinfo", None)
    for name, defs in info.name2fixturedefs.items() if info else ():
        if name in ("platform", "running") or any(_starts_platform(d.func) for d in defs):
            found.add("platform")
        if "postgres" in name:
            found.add("postgres")
        if name in BROWSER_FIXTURES:
            found.add("browser")
    callspec = getattr(item, "callspec", None)
    if callspec and "postgres" in callspec.params.values():
        found.add("postgres")
    return found


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for layer in layers(item):
            item.add_marker(layer)
        if not any(item.iter_markers(name) for name in ("platform", "browser", "slow")):
            item.add_marker("unit")
        parallel.keep_module_together(item)


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)  # set in an xdist worker only
    if workeroutput is not None:
        fuzz_tally.hand_to_controller(workeroutput)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: the controller hears that a worker finished
def pytest_testnodedown(node, error) -> None:
    fuzz_tally.add_from_worker(getattr(node, "workeroutput", {}))


def pytest_terminal_summary(terminalreporter) -> None:
    for line in fuzz_tally.summary():
        terminalreporter.write_line(line)

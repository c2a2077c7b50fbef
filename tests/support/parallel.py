"""What running the suite in parallel worker processes (pytest-xdist, `make test`)
needs from it: disjoint ports per worker, a module's tests kept on one worker when
they share a module-scoped fixture, and per-worker tallies brought back to the
controller for the end-of-run summary."""

from __future__ import annotations

import os

import pytest

from services.launcher import PORT_BLOCK_ENV

# Fixtures set up once per module (or class) are set up once only if all of the
# module's tests run in one worker: `--dist loadgroup` keeps a group together.
SHARED_SCOPES = ("module", "class", "package")


def worker_id() -> str:
    """The worker's name ("gw0", "gw1", ...), or "" in a serial run."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def give_this_worker_its_ports() -> None:
    """Each worker takes its own block of the ports free_port() chooses from:
    free_port() checks that a port is free, but two workers could otherwise both
    pick one before either has bound it."""
    worker = worker_id()
    if worker:
        count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
        os.environ[PORT_BLOCK_ENV] = f"{int(worker.removeprefix('gw'))}/{count}"


def keep_module_together(item: pytest.Item) -> None:
    """Group a test with the rest of its module when it uses a fixture of module
    (or class) scope, e.g. the `platform` fixture that starts the whole platform;
    other tests spread one by one. Only workers read the groups."""
    if not worker_id():
        return
    info = getattr(item, "_fixtureinfo", None)
    for defs in info.name2fixturedefs.values() if info else ():
        if any(d.scope in SHARED_SCOPES for d in defs):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
            return

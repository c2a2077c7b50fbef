"""Schema migrations (Alembic) for every service's database.

Two branches build a service's database, each in its own directory under
services/migrations/versions/: `runtime/`, the tables every service has from
services/runtime (outbox, inbox, dead letters, credentials, audit log), written
once; and `<service>/`, the service's own tables, whose first revision revises
a runtime one. A service's Alembic sees both directories; its database has one
alembic_version table holding the heads (one row today: the service's head,
which descends from the runtime's). A runtime revision added later branches
off the runtime's head: every service's database gets it at its next start and
then holds two heads. Services upgrade to their heads when they start; `gongshi
migrate` does it by hand and writes new revisions, each branch from its own
tables only.

Alembic is imported only when it has work to do (~11 MB per process): a
service starting on a database already at its heads compares the rows with
the heads read from the revision files, and a new, empty database is created
from the models and stamped at the heads (Alembic's own recipe for a new
database, done here without Alembic; tests/integration/
test_migrations_lazy.py checks it builds exactly what the revisions build).
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect, text
from sqlmodel import SQLModel

from services.runtime.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent / "migrations"
VERSION_TABLE = "alembic_version"
# The branch of the runtime's own tables; its revision ids start with "runtime_"
# (a service's Alembic sees both branches: the ids must not collide).
RUNTIME = "runtime"

# `revision: str = "0002"` / `down_revision: str | None = "0001"` in a revision file.
_REVISION_LINE = re.compile(
    r"^(revision|down_revision|depends_on)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE
)


def versions_dir(branch: str) -> Path:
    return ROOT / "versions" / branch


def version_dirs(service: str) -> list[Path]:
    """Where a service's revisions are: the runtime's branch, then its own."""
    return [versions_dir(RUNTIME), versions_dir(service)]


def revision_files(service: str) -> list[Path]:
    return [path for directory in version_dirs(service) for path in sorted(directory.glob("*.py"))]


def has_migrations(service: str) -> bool:
    return any(versions_dir(service).glob("*.py"))


def metadata_for(tables: Sequence[Table]) -> MetaData:
    metadata = MetaData()
    for table in tables:
        table.to_metadata(metadata)
    return metadata


def alembic_config(service: str, tables: Sequence[Table], connection=None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ROOT))
    config.set_main_option("version_locations", os.pathsep.join(str(d) for d in version_dirs(service)))
    config.set_main_option("path_separator", "os")
    config.attributes["target_metadata"] = metadata_for(tables)
    config.attributes["connection"] = connection
    return config


def heads(service: str) -> frozenset[str]:
    """The revisions a database at the newest schema has in its version table (Alembic's answer)."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config(service, [])).get_heads())


def _read_revisions(paths: Sequence[Path]) -> dict[str, tuple[str, ...]] | None:
    """Each revision's parents, read from its file without Alembic; None when a
    file does not say them plainly (a literal on one line each)."""
    parents: dict[str, tuple[str, ...]] = {}
    for path in paths:
        found = dict(
            (m.group(1), m.group(2)) for m in _REVISION_LINE.finditer(path.read_text(encoding="utf-8"))
        )
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found.get("down_revision", "None"))
            depends_on = ast.literal_eval(found.get("depends_on", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        # A dependency is an ancestor that Alembic keeps out of the version table: left to Alembic.
        if not isinstance(revision, str) or depends_on is not None:
            return None
        if down is None:
            parents[revision] = ()
        elif isinstance(down, str):
            parents[revision] = (down,)
        elif isinstance(down, tuple | list) and all(isinstance(d, str) for d in down):
            parents[revision] = tuple(down)
        else:
            return None
    return parents


def _heads_of(parents: dict[str, tuple[str, ...]]) -> frozenset[str]:
    below = {parent for ups in parents.values() for parent in ups}
    return frozenset(set(parents) - below)


def newest_revisions(service: str) -> frozenset[str] | None:
    """The heads (what the version table of a database at the newest schema
    holds), read from the revision files without Alembic; None when the files
    do not say plainly: the caller then asks Alembic."""
    parents = _read_revisions(revision_files(service))
    if not parents:
        return None
    return _heads_of(parents) or None


def branch_head(branch: str) -> str:
    """The newest revision of one branch (a service's, or RUNTIME): the one a new revision of it revises."""
    parents = _read_revisions(sorted(versions_dir(branch).glob("*.py")))
    newest = _heads_of(parents or {})
    if len(newest) != 1:
        raise RuntimeError(f"the {branch} branch has no single newest revision: {sorted(newest)}")
    return next(iter(newest))


def _version_table() -> Table:
    # Exactly the table Alembic makes (alembic.runtime.migration.MigrationContext).
    return Table(
        VERSION_TABLE,
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"),
    )


def _state(sync, tables: Sequence[Table]) -> tuple[set[str] | None, bool]:
    """(the revisions stamped, or None without a version table; whether any of the tables exists)."""
    inspector = inspect(sync)
    names = set(inspector.get_table_names())
    versions = None
    if VERSION_TABLE in names:
        versions = {row[0] for row in sync.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))}
    return versions, any(table.name in names for table in tables)


async def upgrade(
    db: Database,
    service: str,
    tables: Sequence[Table],
    revision: str = "heads",
    *,
    stamp_new: bool = True,
) -> str:
    """Bring the service's database to `revision` (replicas serialise on a lock).

    To the heads: nothing happens when the database is there already, and a
    new, empty database gets the tables of the models and the heads stamped
    (`stamp_new=False` runs every revision instead). Alembic runs (and is
    imported) only for an existing database behind, or any other target.
    Returns what was done: "current", "created" or "migrated"."""
    newest = newest_revisions(service) if revision == "heads" else None
    if newest is not None:
        async with db.engine.connect() as conn:
            versions, _ = await conn.run_sync(_state, tables)
        if versions == newest:
            return "current"
    async with db.engine.begin() as conn:
        if db.is_postgres:
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('gongshi.migrate'))"))
        if newest is not None:
            # Again under the lock: another replica may have done it meanwhile.
            versions, exists = await conn.run_sync(_state, tables)
            if versions == newest:
                return "current"
            if stamp_new and versions is None and not exists:
                await conn.run_sync(_create_and_stamp, tables, newest)
                return "created"
        await conn.run_sync(_alembic_upgrade, service, tables, revision)
        return "migrated"


def _create_and_stamp(sync, tables: Sequence[Table], revisions: frozenset[str]) -> None:
    SQLModel.metadata.create_all(sync, tables=list(tables))
    version = _version_table()
    version.create(sync)
    sync.execute(version.insert(), [{"version_num": revision} for revision in sorted(revisions)])


def _alembic_upgrade(sync, service: str, tables: Sequence[Table], revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(service, tables, sync), revision)


async def current(db: Database) -> frozenset[str]:
    """The revisions the database's version table holds (empty before any)."""
    from alembic.migration import MigrationContext

    async with db.engine.connect() as conn:
        return frozenset(
            await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_heads())
        )


async def drift(db: Database, tables: Sequence[Table]) -> list:
    """Differences between the database and the models ([] when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    metadata = metadata_for(tables)

    def compare(sync):
        context = MigrationContext.configure(
            sync,
            opts={
                "compare_type": True,
                "include_object": lambda o, n, t, reflected, other: not (reflected and other is None),
            },
        )
        return compare_metadata(context, metadata)

    async with db.engine.connect() as conn:
        return await conn.run_sync(compare)


async def write_revision(
    db: Database,
    service: str,
    tables: Sequence[Table],
    message: str,
    *,
    branch: str,
    branch_tables: Sequence[Table],
) -> str:
    """Autogenerate the next revision of `branch` (the service's or RUNTIME) on
    the service's database brought to its heads: the difference between it and
    `branch_tables`, that branch's models. Tables of the other branch are left
    out, so a table's changes are always written in the branch that created it."""
    from alembic import command

    await upgrade(db, service, tables, stamp_new=False)
    directory = versions_dir(branch)
    directory.mkdir(parents=True, exist_ok=True)
    number = len(list(directory.glob("*.py"))) + 1
    prefix = f"{RUNTIME}_" if branch == RUNTIME else ""
    # The branch's newest revision, a head or not (services revise the
    # runtime's: a runtime revision branches off it); a service's first
    # revision revises the runtime's newest.
    parent = branch_head(branch if number > 1 else RUNTIME)
    async with db.engine.begin() as conn:
        script = await conn.run_sync(
            lambda sync: command.revision(
                alembic_config(service, branch_tables, sync),
                message=message,
                autogenerate=True,
                rev_id=f"{prefix}{number:04d}",
                head=parent,
                splice=True,
                version_path=str(directory),
            )
        )
    return script.path

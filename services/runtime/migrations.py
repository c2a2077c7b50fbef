"""Schema migrations (Alembic) for every service's database.

Each service has its own revisions under services/migrations/versions/<service>/
and its own alembic_version table in its own database. Services upgrade to
head when they start; `gongshi migrate` does it by hand and writes new
revisions. The metadata a service is compared with holds only its own tables.

Alembic is imported only when it has work to do (~11 MB per process): a
service starting on a database already at the newest revision compares one
row with the revision id read from the revision files, and a new, empty
database is created from the models and stamped at head (Alembic's own recipe
for a new database, done here without Alembic; tests/integration/
test_migrations_lazy.py checks it builds exactly what the revisions build).
"""

from __future__ import annotations

import ast
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

# `revision: str = "0002"` / `down_revision: str | None = "0001"` in a revision file.
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def versions_dir(service: str) -> Path:
    return ROOT / "versions" / service


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
    config.set_main_option("version_locations", str(versions_dir(service)))
    config.set_main_option("path_separator", "os")
    config.attributes["target_metadata"] = metadata_for(tables)
    config.attributes["connection"] = connection
    return config


def head(service: str, tables: Sequence[Table]) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(service, tables)).get_current_head()


def newest_revision(service: str) -> str | None:
    """The head revision id, read from the revision files without Alembic.

    None when the files do not name exactly one head plainly (a literal on one
    line each): the caller then asks Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions_dir(service).glob("*.py"):
        found = dict(
            (m.group(1), m.group(2)) for m in _REVISION_LINE.finditer(path.read_text(encoding="utf-8"))
        )
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list) and all(isinstance(d, str) for d in down):
            parents.update(down)
        elif down is not None:
            return None
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


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
    revision: str = "head",
    *,
    stamp_new: bool = True,
) -> str:
    """Bring the service's database to `revision` (replicas serialise on a lock).

    To head: nothing happens when the database is there already, and a new,
    empty database gets the tables of the models and the head revision stamped
    (`stamp_new=False` runs every revision instead). Alembic runs (and is
    imported) only for an existing database behind head, or any other target.
    Returns what was done: "current", "created" or "migrated"."""
    newest = newest_revision(service) if revision == "head" else None
    if newest is not None:
        async with db.engine.connect() as conn:
            versions, _ = await conn.run_sync(_state, tables)
        if versions == {newest}:
            return "current"
    async with db.engine.begin() as conn:
        if db.is_postgres:
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('gongshi.migrate'))"))
        if newest is not None:
            # Again under the lock: another replica may have done it meanwhile.
            versions, exists = await conn.run_sync(_state, tables)
            if versions == {newest}:
                return "current"
            if stamp_new and versions is None and not exists:
                await conn.run_sync(_create_and_stamp, tables, newest)
                return "created"
        await conn.run_sync(_alembic_upgrade, service, tables, revision)
        return "migrated"


def _create_and_stamp(sync, tables: Sequence[Table], revision: str) -> None:
    SQLModel.metadata.create_all(sync, tables=list(tables))
    version = _version_table()
    version.create(sync)
    sync.execute(version.insert().values(version_num=revision))


def _alembic_upgrade(sync, service: str, tables: Sequence[Table], revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(service, tables, sync), revision)


async def current(db: Database) -> str | None:
    from alembic.migration import MigrationContext

    async with db.engine.connect() as conn:
        return await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())


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


async def write_revision(db: Database, service: str, tables: Sequence[Table], message: str) -> str:
    """Autogenerate the next revision from the difference between head and the models."""
    from alembic import command

    await upgrade(db, service, tables, stamp_new=False)
    versions_dir(service).mkdir(parents=True, exist_ok=True)
    number = len(list(versions_dir(service).glob("*.py"))) + 1
    async with db.engine.begin() as conn:
        script = await conn.run_sync(
            lambda sync: command.revision(
                alembic_config(service, tables, sync),
                message=message,
                autogenerate=True,
                rev_id=f"{number:04d}",
            )
        )
    return script.path

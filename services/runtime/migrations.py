"""Schema migrations (Alembic) for every service's database.

Each service has its own revisions under services/migrations/versions/<service>/
and its own alembic_version table in its own database. Services upgrade to
head when they start; `gongshi migrate` does it by hand and writes new
revisions. The metadata a service is compared with holds only its own tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, text

from services.runtime.db import Database

ROOT = Path(__file__).resolve().parent.parent / "migrations"


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
    config = Config()
    config.set_main_option("script_location", str(ROOT))
    config.set_main_option("version_locations", str(versions_dir(service)))
    config.set_main_option("path_separator", "os")
    config.attributes["target_metadata"] = metadata_for(tables)
    config.attributes["connection"] = connection
    return config


def head(service: str, tables: Sequence[Table]) -> str | None:
    return ScriptDirectory.from_config(alembic_config(service, tables)).get_current_head()


async def upgrade(db: Database, service: str, tables: Sequence[Table], revision: str = "head") -> None:
    """Bring the service's database to `revision` (replicas serialise on a lock)."""
    async with db.engine.begin() as conn:
        if db.is_postgres:
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('gongshi.migrate'))"))
        await conn.run_sync(lambda sync: command.upgrade(alembic_config(service, tables, sync), revision))


async def current(db: Database) -> str | None:
    async with db.engine.connect() as conn:
        return await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())


async def drift(db: Database, tables: Sequence[Table]) -> list:
    """Differences between the database and the models ([] when they agree)."""
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
    await upgrade(db, service, tables)
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

"""Alembic only when there is work for it (services/runtime/migrations.py):
the heads read from the revision files are Alembic's heads, a new database
made from the models and stamped is the database the revisions build, and a
service starting on a database at its heads never imports Alembic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from services.migrate_cli import service_tables
from services.runtime import migrations
from services.runtime.db import Database
from services.runtime.settings import SERVICE_NAMES, Settings
from tests.support.databases import PostgresDatabases

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def second_db_url(db_backend, tmp_path):
    if db_backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'second.db'}"
        return
    databases = PostgresDatabases()
    yield databases.url("second")
    databases.drop_all()


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_newest_revisions_are_alembics_heads(service):
    assert migrations.newest_revisions(service)
    assert migrations.newest_revisions(service) == migrations.heads(service)


def test_unclear_revision_files_leave_the_heads_to_alembic(tmp_path, monkeypatch):
    monkeypatch.setattr(migrations, "revision_files", lambda service: sorted(tmp_path.glob("*.py")))
    (tmp_path / "0001_a.py").write_text('revision: str = "0001"\ndown_revision = None\n')
    (tmp_path / "0002_b.py").write_text('revision = "0002"\ndown_revision: str | None = "0001"\n')
    assert migrations.newest_revisions("x") == {"0002"}
    (tmp_path / "0003_c.py").write_text('revision = "0003"\ndown_revision = "0001"\n')  # a branch
    assert migrations.newest_revisions("x") == {"0002", "0003"}
    (tmp_path / "0003_c.py").write_text('revision = "0003"\ndown_revision = ("0001", "0002")\n')  # a merge
    assert migrations.newest_revisions("x") == {"0003"}
    # A dependency is kept out of the version table: Alembic's to say.
    (tmp_path / "0004_d.py").write_text("revision = '0004'\ndown_revision = '0003'\ndepends_on = '0002'\n")
    assert migrations.newest_revisions("x") is None
    (tmp_path / "0004_d.py").write_text("revision = make_id()\ndown_revision = '0003'\n")
    assert migrations.newest_revisions("x") is None


async def _schema(db: Database) -> dict:
    """Everything a schema is made of, as the database reports it; column
    defaults apart (see test_a_new_database_is_what_the_revisions_build)."""

    def read(sync) -> dict:
        inspector = inspect(sync)
        tables, defaults = {}, {}
        for name in sorted(inspector.get_table_names()):
            columns = inspector.get_columns(name)
            tables[name] = {
                # By name: a column a revision adds comes last, the same column in a model may not.
                "columns": {c["name"]: (str(c["type"]), c["nullable"]) for c in columns},
                "pk": inspector.get_pk_constraint(name),
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]), str(i.get("expressions")))
                    for i in inspector.get_indexes(name)
                ),
                "foreign_keys": sorted(str(sorted(fk.items())) for fk in inspector.get_foreign_keys(name)),
                "unique": sorted(str(sorted(u.items())) for u in inspector.get_unique_constraints(name)),
            }
            defaults |= {f"{name}.{c['name']}": c.get("default") for c in columns}
        if sync.dialect.name == "sqlite":
            # Tables are compared above; their CREATE text differs by the defaults and column order.
            rows = sync.execute(text("SELECT type, name, tbl_name, sql FROM sqlite_master"))
            objects = sorted(
                (
                    kind,
                    name,
                    table,
                    ""
                    if kind == "table" and not (sql or "").startswith("CREATE VIRTUAL")
                    else " ".join((sql or "").split()),
                )
                for kind, name, table, sql in rows
            )
        else:
            objects = sorted(
                sync.execute(
                    text(
                        "SELECT 'index', indexname, tablename, indexdef FROM pg_indexes "
                        "WHERE schemaname = 'public' "
                        "UNION ALL SELECT 'trigger', trigger_name, event_object_table, "
                        "event_manipulation || ' ' || action_timing || ' ' || action_statement "
                        "FROM information_schema.triggers WHERE trigger_schema = 'public' "
                        "UNION ALL SELECT 'function', proname, '', md5(prosrc) FROM pg_proc "
                        "JOIN pg_namespace n ON n.oid = pronamespace WHERE nspname = 'public' "
                        "UNION ALL SELECT 'extension', extname, '', '' FROM pg_extension"
                    )
                ).all()
            )
        version = sorted(sync.execute(text("SELECT version_num FROM alembic_version")).scalars())
        return {"tables": tables, "objects": objects, "version": version, "defaults": defaults}

    async with db.engine.connect() as conn:
        return await conn.run_sync(read)


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_a_new_database_is_what_the_revisions_build(service, db_url, second_db_url, tmp_path):
    tables = await service_tables(service, Settings(data_dir=tmp_path))
    migrated, created = Database(db_url), Database(second_db_url)
    try:
        assert await migrations.upgrade(migrated, service, tables, stamp_new=False) == "migrated"
        assert await migrations.upgrade(created, service, tables) == "created"
        assert await migrations.upgrade(created, service, tables) == "current"
        made, built = await _schema(created), await _schema(migrated)
        made_defaults, built_defaults = made.pop("defaults"), built.pop("defaults")
        assert made == built
        # The one difference allowed: a revision that adds a NOT NULL column to a
        # table holding rows gives it a server default to fill them; the model
        # has none, and the ORM writes every column anyway.
        assert made_defaults.keys() == built_defaults.keys()
        differing = {k for k, v in made_defaults.items() if v != built_defaults[k]}
        assert all(made_defaults[k] is None for k in differing), differing
        assert await migrations.current(created) == migrations.heads(service)
        assert await migrations.drift(created, tables) == []
    finally:
        await migrated.dispose()
        await created.dispose()


async def test_an_older_database_is_migrated_by_alembic(db_url, tmp_path):
    tables = await service_tables("results", Settings(data_dir=tmp_path))
    db = Database(db_url)
    try:
        assert await migrations.upgrade(db, "results", tables, revision="0001") == "migrated"
        assert await migrations.upgrade(db, "results", tables) == "migrated"
        assert await migrations.current(db) == migrations.newest_revisions("results")
        assert await migrations.upgrade(db, "results", tables) == "current"
    finally:
        await db.dispose()


# Starts one service's runtime (database, NATS, consumers, gRPC) in a fresh
# interpreter, then says whether Alembic was imported and where the schema is.
START_SERVICE = """
import asyncio, importlib, json, sys
from sqlalchemy import text
from services.runtime.settings import Settings

async def main(service, db_url, nats_url, data_dir):
    settings = Settings(
        data_dir=data_dir, nats_url=nats_url,
        **{f"{service}_db_url": db_url, f"{service}_port": 0, f"{service}_metrics_port": 0},
    )
    runtime = importlib.import_module(f"services.{service}.main").build(settings)
    await runtime.start()
    async with runtime.db.engine.connect() as conn:
        version = sorted((await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars())
    await runtime.stop()
    print(json.dumps({"alembic": sorted(m for m in sys.modules if m.split(".")[0] in ("alembic", "mako")),
                      "version": version}))

asyncio.run(main(*sys.argv[1:]))
"""


def _start(service: str, db_url: str, nats_url: str, data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGSHI_")}
    done = subprocess.run(
        [sys.executable, "-c", START_SERVICE, service, db_url, nats_url, str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # starts a service process
async def test_a_service_starts_without_alembic_unless_it_migrates(db_url, nats_server, tmp_path):
    head = sorted(migrations.newest_revisions("results"))
    # A new database: made from the models and stamped, no Alembic.
    assert _start("results", db_url, nats_server.url, tmp_path) == {"alembic": [], "version": head}
    # At the heads already: the rows compared, no Alembic.
    assert _start("results", db_url, nats_server.url, tmp_path) == {"alembic": [], "version": head}


@pytest.mark.slow  # starts a service process
async def test_a_service_behind_head_imports_alembic_and_migrates(db_url, nats_server, tmp_path):
    tables = await service_tables("results", Settings(data_dir=tmp_path))
    db = Database(db_url)
    try:
        await migrations.upgrade(db, "results", tables, revision="0001")
    finally:
        await db.dispose()
    started = _start("results", db_url, nats_server.url, tmp_path)
    head = sorted(migrations.newest_revisions("results"))
    assert "alembic" in started["alembic"] and started["version"] == head
    assert _start("results", db_url, nats_server.url, tmp_path) == {"alembic": [], "version": head}

"""Schema migrations: every service's revisions produce exactly its models,
and an old schema holding data is migrated to the current one."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from services.migrate_cli import service_tables
from services.runtime import migrations
from services.runtime.db import Database
from services.runtime.settings import SERVICE_NAMES, Settings


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_revisions_build_exactly_the_models(service, db_url, tmp_path):
    """Fails when a model changes without a revision (`gongshi migrate revision`)."""
    assert migrations.has_migrations(service), f"{service} has no revisions"
    tables = await service_tables(service, Settings(data_dir=tmp_path))
    db = Database(db_url)
    try:
        # Every revision, not the shortcut a new database takes (test_migrations_lazy.py).
        await migrations.upgrade(db, service, tables, stamp_new=False)
        assert await migrations.current(db) == migrations.head(service, tables)
        assert await migrations.drift(db, tables) == []
        await migrations.upgrade(db, service, tables)  # idempotent: a restart changes nothing
    finally:
        await db.dispose()


async def test_foundation_schema_with_data_is_upgraded(db_url, tmp_path):
    tables = await service_tables("results", Settings(data_dir=tmp_path))
    db = Database(db_url)
    now = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    try:
        await migrations.upgrade(db, "results", tables, revision="0001")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO results (id, agency_code, document_number, region_code, category, status, "
                    "public, decision_date, version, doc, created_at, updated_at) "
                    "VALUES ('r1', 'A1', '罚1号', '310101', 2, 1, :t, '2026-11-02', 1, :doc, :now, :now)"
                ),
                {"t": True, "doc": b"\x0a\x02r1", "now": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO outbox (event_id, subject, event_type, payload, headers, created_at) "
                    "VALUES ('e1', 'gongshi.results.published.A1', 't', :p, '{}', :now)"
                ),
                {"p": b"x", "now": now},
            )
        await migrations.upgrade(db, "results", tables)
        assert await migrations.drift(db, tables) == []
        async with db.engine.connect() as conn:
            row = (await conn.execute(text("SELECT document_number, doc FROM results WHERE id = 'r1'"))).one()
            outbox = (await conn.execute(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))).scalar()
        assert row == ("罚1号", b"\x0a\x02r1")
        assert outbox == 1  # an unpublished event survives the upgrade and is still sent
    finally:
        await db.dispose()

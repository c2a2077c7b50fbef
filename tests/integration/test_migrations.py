"""Schema migrations: every service's revisions produce exactly its models,
an old schema holding data is migrated to the current one, and the runtime's
tables live in one branch (services/migrations/versions/runtime/) that
databases made before it, and the runtime revisions written after it, fit."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Index, select, text
from sqlmodel import SQLModel

from gongshi.v1 import results_pb2 as pb
from services.migrate_cli import service_tables
from services.results.search_index import ResultSearchRow, facets
from services.runtime import migrations
from services.runtime.app import RUNTIME_TABLES
from services.runtime.db import Database
from services.runtime.settings import SERVICE_NAMES, Settings

# Results' first revision as it was before the runtime branch, frozen (it created
# the runtime's tables too, and results 0002 the audit log and the replay column).
BEFORE_RUNTIME_BRANCH = Path(__file__).resolve().parents[1] / "data" / "migrations_before_runtime_branch"
# The version table of every database made before the runtime branch: its service's
# head then (a new database was created from the models and stamped with it; an
# older one ended its upgrade there).
HEAD_BEFORE_RUNTIME_BRANCH = {"duties": "0001", "feedback": "0003", "procedures": "0001", "results": "0004"}
RUNTIME_NAMES = {table.name for table in RUNTIME_TABLES}


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_revisions_build_exactly_the_models(service, db_url, tmp_path):
    """Fails when a model changes without a revision (`gongshi migrate revision`)."""
    assert migrations.has_migrations(service), f"{service} has no revisions"
    tables = await service_tables(service, Settings(data_dir=tmp_path))
    db = Database(db_url)
    try:
        # Every revision, not the shortcut a new database takes (test_migrations_lazy.py).
        await migrations.upgrade(db, service, tables, stamp_new=False)
        assert await migrations.current(db) == migrations.heads(service)
        assert await migrations.drift(db, tables) == []
        await migrations.upgrade(db, service, tables)  # idempotent: a restart changes nothing
    finally:
        await db.dispose()


def test_the_runtime_tables_are_in_the_runtime_branch_only():
    """Each service's revisions create its own tables; the runtime's are created once, in their branch."""
    for service in SERVICE_NAMES:
        for path in migrations.versions_dir(service).glob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert not [name for name in RUNTIME_NAMES if f'"{name}"' in source], path
    runtime = " ".join(p.read_text() for p in migrations.versions_dir(migrations.RUNTIME).glob("*.py"))
    assert all(f'op.create_table(\n        "{name}"' in runtime for name in RUNTIME_NAMES)


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_a_database_made_before_the_runtime_branch_is_at_its_heads(service, db_url, tmp_path):
    """As the code before the branch made a database (its tables from the models,
    its service's head stamped): nothing to run, and it matches the models."""
    tables = await service_tables(service, Settings(data_dir=tmp_path))
    db = Database(db_url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(lambda sync: SQLModel.metadata.create_all(sync, tables=tables))
            await conn.execute(
                text(
                    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
                )
            )
            await conn.execute(
                text("INSERT INTO alembic_version VALUES (:v)"), {"v": HEAD_BEFORE_RUNTIME_BRANCH[service]}
            )
        # Nothing runs (nor is Alembic imported) until the runtime branch grows past what they hold.
        unchanged = migrations.heads(service) == {HEAD_BEFORE_RUNTIME_BRANCH[service]}
        assert await migrations.upgrade(db, service, tables) == ("current" if unchanged else "migrated")
        assert await migrations.current(db) == migrations.heads(service)
        assert await migrations.drift(db, tables) == []
    finally:
        await db.dispose()


async def _upgrade_with_revisions_in(db: Database, directory: Path, revision: str) -> None:
    from alembic import command

    def run(sync):
        config = migrations.alembic_config("results", [], sync)
        config.set_main_option("version_locations", str(directory))
        command.upgrade(config, revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


def _stored_result() -> pb.Result:
    return pb.Result(
        id="r1",
        agency_code="A1",
        region_code="310101",
        status=pb.RESULT_STATUS_PUBLISHED,
        document_number="罚1号",
        category=pb.DECISION_CATEGORY_PENALTY,
        party=pb.PublicParty(name="上海某某餐饮有限公司"),
        facts="超范围经营",
        violation_type="食品安全",
        violated_provisions=["食品安全法第三十五条"],
        legal_basis=["食品安全法第一百二十二条"],
        conclusion="罚款",
        penalty_kinds=[pb.PENALTY_KIND_WARNING, pb.PENALTY_KIND_FINE],
        fine_amount_fen=500_000,
        confiscation_amount_fen=12_300,
        licence_item="食品经营许可",
        decision_date="2026-11-02",
        severity=pb.SEVERITY_TIER_GENERAL,
        published_at="2026-11-03T09:00:00+08:00",
        publish_deadline="2026-11-11",
        published_on_time=True,
        publicity_end="2027-11-02",
    )


@pytest.mark.parametrize("made", ["before the runtime branch", "today"])
async def test_foundation_schema_with_data_is_upgraded(made, db_url, tmp_path):
    """Results at its first revision, holding a decision, a pending event and a
    dead letter: made by the frozen revision of before the runtime branch (the
    runtime's tables as it made them, no audit log) or by today's. Both reach
    the heads matching the models, keep their rows, and index the decision as
    the search index's code does today (results 0002's frozen copy of it)."""
    tables = await service_tables("results", Settings(data_dir=tmp_path))
    db = Database(db_url)
    now = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    result = _stored_result()
    try:
        if made == "today":
            await migrations.upgrade(db, "results", tables, revision="0001")
        else:
            await _upgrade_with_revisions_in(db, BEFORE_RUNTIME_BRANCH, "0001")
        assert await migrations.current(db) == {"0001"}
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO results (id, agency_code, document_number, region_code, category, status, "
                    "public, decision_date, version, doc, created_at, updated_at) "
                    "VALUES ('r1', 'A1', '罚1号', '310101', 2, 1, :t, '2026-11-02', 1, :doc, :now, :now)"
                ),
                {"t": True, "doc": result.SerializeToString(), "now": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO outbox (event_id, subject, event_type, payload, headers, created_at) "
                    "VALUES ('e1', 'gongshi.results.published.A1', 't', :p, '{}', :now)"
                ),
                {"p": b"x", "now": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO dead_letters (consumer, event_id, subject, event_type, stream_sequence, "
                    "deliveries, error, headers, payload, dead_lettered_at) "
                    "VALUES ('c', 'e0', 's', 't', 7, 5, 'boom', '{}', :p, :now)"
                ),
                {"p": b"y", "now": now},
            )
        assert await migrations.upgrade(db, "results", tables) == "migrated"
        assert await migrations.current(db) == migrations.heads("results")
        assert await migrations.drift(db, tables) == []
        async with db.engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT document_number, publish_deadline, published_at, publicity_end, severity "
                        "FROM results WHERE id = 'r1'"
                    )
                )
            ).one()
            outbox = (await conn.execute(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))).scalar()
            dead = (await conn.execute(text("SELECT event_id, replay_requested_at FROM dead_letters"))).all()
            audit = (await conn.execute(text("SELECT count(*) FROM audit_log"))).scalar()
            search = (await conn.execute(select(ResultSearchRow.__table__))).mappings().one()
            if db_url.startswith("sqlite"):
                found = await conn.execute(
                    text("SELECT rowid FROM results_search_fts WHERE results_search_fts MATCH '某某餐饮'")
                )
                assert found.scalars().all() == [search["seq"]]
        assert tuple(row) == ("罚1号", "2026-11-11", "2026-11-03T09:00:00+08:00", "2027-11-02", 2)
        assert outbox == 1  # an unpublished event survives the upgrade and is still sent
        assert dead == [("e0", None)] and audit == 0
        assert {k: v for k, v in search.items() if k != "seq"} == facets(result, True)
    finally:
        await db.dispose()


def _revision_file(path: str) -> tuple[Path, str]:
    """(its directory, its text with Alembic's quotes as ruff writes them)"""
    return Path(path).parent, Path(path).read_text(encoding="utf-8").replace("'", '"')


async def test_a_runtime_revision_written_later_reaches_a_database_at_its_service_head(
    db_url, tmp_path, monkeypatch
):
    """`gongshi migrate revision --runtime` writes a runtime table's change in the
    runtime's branch (off its newest revision, which the services' revisions
    revise) and nothing else; a database at its service's head gets it at the
    next upgrade and then holds two heads. A service revision written next holds
    only the service's change."""
    service = "feedback"
    tables = await service_tables(service, Settings(data_dir=tmp_path / "data"))
    db = Database(db_url)
    try:
        assert await migrations.upgrade(db, service, tables) == "created"
        versions = tmp_path / "versions"
        shutil.copytree(migrations.ROOT / "versions", versions, ignore=shutil.ignore_patterns("__pycache__"))
        monkeypatch.setattr(migrations, "versions_dir", lambda branch: versions / branch)
        changed = list(migrations.metadata_for(tables).tables.values())
        by_name = {table.name: table for table in changed}
        Index("ix_outbox_created_at", by_name["outbox"].c.created_at)
        Index("ix_feedback_items_received_at", by_name["feedback_items"].c.received_at)
        runtime_tables = [t for t in changed if t.name in RUNTIME_NAMES]
        own_tables = [t for t in changed if t.name not in RUNTIME_NAMES]

        where, source = _revision_file(
            await migrations.write_revision(
                db, service, changed, "outbox by age", branch=migrations.RUNTIME, branch_tables=runtime_tables
            )
        )
        assert where == versions / "runtime" and 'revision: str = "runtime_0003"' in source
        assert 'down_revision: str | None = "runtime_0002"' in source
        assert "ix_outbox_created_at" in source and "feedback_items" not in source
        assert migrations.heads(service) == migrations.newest_revisions(service) == {"0003", "runtime_0003"}
        assert await migrations.upgrade(db, service, changed) == "migrated"
        assert await migrations.current(db) == {"0003", "runtime_0003"}
        assert await migrations.upgrade(db, service, changed) == "current"

        where, source = _revision_file(
            await migrations.write_revision(
                db, service, changed, "items by age", branch=service, branch_tables=own_tables
            )
        )
        assert where == versions / service
        assert 'revision: str = "0004"' in source and 'down_revision: str | None = "0003"' in source
        assert "ix_feedback_items_received_at" in source and "outbox" not in source
        assert await migrations.upgrade(db, service, changed) == "migrated"
        assert await migrations.current(db) == migrations.heads(service) == {"0004", "runtime_0003"}
        assert await migrations.drift(db, changed) == []
    finally:
        await db.dispose()

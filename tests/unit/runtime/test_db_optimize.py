"""Database.optimize: SQLite gets sampled planner statistics where they are missing or a
table has grown tenfold; nothing else changes, and PostgreSQL is left to itself."""

from __future__ import annotations

import asyncio
import sqlite3

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, insert

from services.runtime import db as db_module
from services.runtime.db import Database

METADATA = MetaData()
ROWS = Table("rows", METADATA, Column("id", Integer, primary_key=True), Column("kind", String(8)))
Index("ix_rows_kind", ROWS.c.kind)
EMPTY = Table("empty", METADATA, Column("id", Integer, primary_key=True), Column("v", String(8), index=True))
PLAIN = Table("plain", METADATA, Column("v", String(8)))  # no index: nothing to plan with


async def _fill(db: Database, start: int, count: int) -> None:
    async with db.transaction() as session:
        conn = await session.connection()
        await conn.execute(insert(ROWS), [{"id": start + n, "kind": f"k{n % 7}"} for n in range(count)])


def _stats(path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {idx: stat for _tbl, idx, stat in conn.execute("SELECT tbl, idx, stat FROM sqlite_stat1")}
    finally:
        conn.close()


async def test_statistics_are_written_once_and_refreshed_when_a_table_grows(tmp_path):
    path = tmp_path / "o.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(METADATA.create_all)
        await _fill(db, 0, 150)
        assert await db.optimize() == ["rows"]  # empty tables and tables without indexes are skipped
        assert _stats(path)["ix_rows_kind"].split()[0] == "150"
        assert await db.optimize() == []  # nothing new: no write at all
        await _fill(db, 150, 850)  # 150 -> 1000 rows: under tenfold
        assert await db.optimize() == []
        await _fill(db, 10_000, 1000)  # max(rowid) 10,999: tenfold and more
        assert await db.optimize() == ["rows"]
        assert int(_stats(path)["ix_rows_kind"].split()[0]) > 1000
    finally:
        await db.dispose()


async def test_the_background_job_runs_after_start_up_and_survives_errors(tmp_path, monkeypatch):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'j.db'}")
    calls = []
    third = asyncio.Event()

    async def optimize():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("locked")
        if len(calls) == 3:
            third.set()
        return []

    monkeypatch.setattr(db, "optimize", optimize)
    job = asyncio.create_task(db.keep_optimized(first_after=0.01, every=0.01))
    try:
        await asyncio.wait_for(third.wait(), 10)
    finally:
        job.cancel()
        await db.dispose()


async def test_postgres_and_other_back_ends_are_left_alone(db_url):
    db = Database(db_url)
    try:
        if db.is_sqlite:
            assert await db.optimize() == []  # an empty database: nothing with rows to analyze
        else:
            assert await db.optimize() == [] and await db.keep_optimized() is None
    finally:
        await db.dispose()


def test_the_analysis_is_sampled():
    assert 0 < db_module.ANALYSIS_LIMIT <= 10_000 and db_module.REANALYZE_GROWTH >= 2

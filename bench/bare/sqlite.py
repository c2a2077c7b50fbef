"""bare_sqlite_insert / bare_sqlite_read: plain sqlite3, WAL, file under var/bench/."""

from __future__ import annotations

import contextlib
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from bench.harness import Benchmark, RunContext, register
from bench.load import timed_loop
from bench.records import FIELDS, row

INSERT_BATCH = 10_000  # rows per executemany, one transaction each
READ_ROWS = 100_000  # table size for the read benchmark (quick: 20k)
READ_ROWS_QUICK = 20_000
ID_POOL = 1 << 16  # random ids cycled through by the read benchmark
SYNCHRONOUS = "NORMAL"  # the usual WAL pairing: durable at checkpoints, no fsync per commit

_COLUMNS = ", ".join(FIELDS)
_TEXT_FIELDS = {"name", "origin", "category", "description", "created_at", "tags"}
_CREATE = "CREATE TABLE stones (id INTEGER PRIMARY KEY, {})".format(
    ", ".join(f"{f} {'TEXT' if f in _TEXT_FIELDS else 'INTEGER'}" for f in FIELDS[1:])
)
_INSERT = f"INSERT INTO stones ({_COLUMNS}) VALUES ({', '.join('?' * len(FIELDS))})"
_SELECT = f"SELECT {_COLUMNS} FROM stones WHERE id = ?"


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)  # autocommit: transactions are explicit
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
    return conn


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def fresh_db(path: Path) -> sqlite3.Connection:
    remove_db(path)
    conn = connect(path)
    conn.execute(_CREATE)
    return conn


def _insert_batch(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> int:
    conn.execute("BEGIN")
    conn.executemany(_INSERT, rows)
    conn.execute("COMMIT")
    return len(rows)


def run_insert(ctx: RunContext) -> float:
    path = ctx.data_dir / "insert.db"
    conn = fresh_db(path)
    template = [row(i) for i in range(INSERT_BATCH)]
    next_id = 0

    def batch() -> int:
        # Prebuilt rows with fresh ids: the timing is sqlite's, not record assembly's.
        nonlocal next_id
        base, next_id = next_id, next_id + INSERT_BATCH
        return _insert_batch(conn, [(base + i, *r[1:]) for i, r in enumerate(template)])

    try:
        return timed_loop(batch, ctx.seconds)
    finally:
        conn.close()
        remove_db(path)  # ~170 B/row: a few hundred MB per run is not worth keeping


def _row_count(path: Path) -> int:
    if not path.exists():
        return -1
    try:
        with contextlib.closing(connect(path)) as conn:
            return int(conn.execute("SELECT count(*) FROM stones").fetchone()[0])
    except sqlite3.Error:
        return -1


@contextlib.contextmanager
def read_db(ctx: RunContext) -> Iterator[Path]:
    """The read table, cached in var/bench/ across bench runs (rebuilt when missing or wrong)."""
    n = READ_ROWS_QUICK if ctx.quick else READ_ROWS
    path = ctx.data_dir / f"read-{n}.db"
    if _row_count(path) != n:
        conn = fresh_db(path)
        for start in range(0, n, INSERT_BATCH):
            _insert_batch(conn, [row(i) for i in range(start, min(n, start + INSERT_BATCH))])
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    yield path


def run_read(ctx: RunContext) -> float:
    conn = connect(ctx.fixture)
    try:
        n = conn.execute("SELECT count(*) FROM stones").fetchone()[0]
        rng = random.Random(7)
        ids = [(rng.randrange(n),) for _ in range(ID_POOL)]
        pos = 0

        def chunk() -> int:
            # 256 lookups per clock read, so timing overhead stays negligible.
            nonlocal pos
            execute = conn.execute
            for i in range(pos, pos + 256):
                if execute(_SELECT, ids[i % ID_POOL]).fetchone() is None:
                    raise RuntimeError(f"id {ids[i % ID_POOL][0]} missing")
            pos += 256
            return 256

        return timed_loop(chunk, ctx.seconds)
    finally:
        conn.close()


register(
    Benchmark(
        key="bare_sqlite_insert",
        unit="rows/s",
        run=run_insert,
        description=(
            f"sqlite3 executemany of {INSERT_BATCH:,} 12-column rows per transaction, "
            f"WAL, synchronous={SYNCHRONOUS}, file on disk"
        ),
    )
)
register(
    Benchmark(
        key="bare_sqlite_read",
        unit="reads/s",
        run=run_read,
        fixture=read_db,
        description=(
            f"sqlite3 primary-key SELECT + fetchone of random rows from a {READ_ROWS:,}-row WAL table, "
            "one connection"
        ),
    )
)

"""Database engine and transactions (sqlmodel over SQLAlchemy's asyncio layer).

SQLite by default (one file per service, WAL, a busy timeout), PostgreSQL by
URL. Writes on SQLite go through one in-process lock: SQLite allows one writer
at a time anyway, and queueing in asyncio is cheaper and fairer than letting
connections spin on "database is locked".

Two ways to write, by how hot the path is:
- `transaction()`: an async ORM session, for the cold paths (corrections,
  registrations, scans): every statement is an await, and on SQLite a hop
  from the event loop to aiosqlite's thread and back.
- `unit(work)`: `work(conn)` is plain synchronous SQLAlchemy Core on one
  connection, run as one transaction. On SQLite it runs in the database's own
  writer thread, so a whole unit of work (reads, executemany inserts, commit)
  is ONE hop however many statements it has; on PostgreSQL it runs on the
  asyncpg connection (`run_sync`), one round trip per statement, executemany
  pipelined. The hot writes (group-committed publishes, bulk publishes, the
  search index queue, the outbox's marks) are units.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, nullcontext
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Table, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.runtime.telemetry import tracer

_tracer = tracer(__name__)
log = logging.getLogger(__name__)
# session.info key: the transaction added outbox rows (services/runtime/outbox.py enqueue).
OUTBOX_ROWS_ADDED = "gongshi.outbox_rows_added"

# SQLite statistics (sqlite_stat1) for the query planner: sampled, so they cost milliseconds
# even on a file of millions of rows (ANALYZE reads about this many entries per index), and
# refreshed when a table has grown this many times over since it was last analyzed.
ANALYSIS_LIMIT = 1000
REANALYZE_GROWTH = 10
T = TypeVar("T")


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.is_postgres = parsed.get_backend_name() == "postgresql"
        self.sqlite_path = Path(parsed.database) if self.is_sqlite and parsed.database else None
        if self.sqlite_path:
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        # Errors never print statement parameters: they carry personal data
        # (citizens' contacts, followers' addresses) into logs.
        kwargs: dict = {"echo": echo, "hide_parameters": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._write_lock = WriteLock() if self.is_sqlite else None
        # Set by this database's outbox relay: wakes it after a transaction that enqueued events.
        self.outbox_committed: Callable[[], None] | None = None
        # SQLite units of work: a synchronous engine used by one thread only.
        self._unit_engine: Engine | None = None
        self._unit_thread: ThreadPoolExecutor | None = None
        if self.is_sqlite:
            self._unit_engine = create_engine(
                parsed.set(drivername="sqlite+pysqlite"),
                connect_args={"timeout": 30, "check_same_thread": False},
                pool_size=1,
                max_overflow=0,
                hide_parameters=True,
            )
            event.listen(self._unit_engine, "connect", _sqlite_unit_connection)
            event.listen(self._unit_engine, "begin", _sqlite_begin_immediate)
            self._unit_thread = ThreadPoolExecutor(1, thread_name_prefix=f"db-unit-{parsed.database}")

    async def create_tables(self, tables: Sequence[Table]) -> None:
        """Create this service's tables (and only those) if they do not exist."""
        async with self.engine.begin() as conn:
            if self.is_postgres:
                # Replicas starting together would race on CREATE TABLE (a unique
                # violation in pg_type): one creates, the others wait and find them.
                await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('gongshi.create_tables'))"))
            await conn.run_sync(lambda sync: SQLModel.metadata.create_all(sync, tables=list(tables)))

    def session(self) -> AsyncSession:
        return AsyncSession(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(
        self, name: str = "db.transaction", *, urgent: bool = False
    ) -> AsyncIterator[AsyncSession]:
        """A write transaction: commits on success, rolls back on any exception.

        `urgent` is for short bookkeeping writes (the outbox relay marking rows
        sent): on SQLite they go before writers already queued, so events keep
        leaving while a burst of requests waits for the database."""
        with _tracer.start_as_current_span(name, attributes={"db.system": self.engine.dialect.name}):
            lock = self._write_lock.hold(urgent=urgent) if self._write_lock is not None else nullcontext()
            async with lock, self.session() as session, session.begin():
                yield session
        # Committed: events it added to the outbox (outbox.enqueue) leave now.
        if session.info.get(OUTBOX_ROWS_ADDED) and self.outbox_committed is not None:
            self.outbox_committed()

    async def unit(
        self, work: Callable[[Connection], T], name: str = "db.unit", *, urgent: bool = False
    ) -> T:
        """Run `work(conn)` (synchronous SQLAlchemy Core) as one transaction:
        committed when it returns, rolled back if it raises. On SQLite the
        whole of it is one hop to the writer thread (see the module's doc);
        `urgent` as for `transaction`. `work` must not touch the event loop."""
        with _tracer.start_as_current_span(name, attributes={"db.system": self.engine.dialect.name}):
            if self._write_lock is None:
                async with self.engine.begin() as conn:
                    return await conn.run_sync(work)
            assert self._unit_engine is not None
            engine = self._unit_engine

            def in_thread() -> T:
                with engine.begin() as conn:
                    return work(conn)

            async with self._write_lock.hold(urgent=urgent):
                context = contextvars.copy_context()  # the trace, for spans made inside
                return await asyncio.get_running_loop().run_in_executor(
                    self._unit_thread, context.run, in_thread
                )

    @asynccontextmanager
    async def reader(self) -> AsyncIterator[AsyncSession]:
        async with self.session() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._unit_thread is not None:
            assert self._unit_engine is not None
            await asyncio.get_running_loop().run_in_executor(self._unit_thread, self._unit_engine.dispose)
            self._unit_thread.shutdown(wait=False)

    async def optimize(self) -> list[str]:
        """SQLite: give the query planner statistics where they are missing or stale
        (`PRAGMA optimize=0x10002` on SQLite 3.46+, the same rule by hand before: ANALYZE,
        sampled, each table with indexes that has no sqlite_stat1 rows or has grown
        REANALYZE_GROWTH-fold since). Returns what it analyzed; PostgreSQL analyzes itself."""
        if not self.is_sqlite:
            return []
        with _tracer.start_as_current_span("db.optimize", attributes={"db.system": "sqlite"}):
            assert self._write_lock is not None
            async with self._write_lock.hold(), self.engine.connect() as conn:
                analyzed = await conn.run_sync(_sqlite_optimize)
                await conn.commit()
        return analyzed

    async def keep_optimized(self, *, first_after: float = 2.0, every: float = 3600.0) -> None:
        """A background job (ServiceRuntime.add_job): `optimize` shortly after start-up,
        without holding start-up back, then every `every` seconds."""
        if not self.is_sqlite:
            return
        await asyncio.sleep(first_after)
        while True:
            try:
                analyzed = await self.optimize()
                if analyzed:
                    log.info("query planner statistics refreshed: %s", ", ".join(analyzed))
            except Exception as exc:  # statistics only make plans better: never fatal
                log.warning("PRAGMA optimize failed: %s", exc)
            await asyncio.sleep(every)


class WriteLock:
    """One writer at a time, in arrival order, except that urgent writers are
    served before every waiting normal one. The lock passes straight to the
    next waiter on release, so nothing can slip in between."""

    def __init__(self) -> None:
        self._held = False
        self._urgent: deque[asyncio.Future] = deque()
        self._normal: deque[asyncio.Future] = deque()

    @property
    def locked(self) -> bool:
        return self._held

    @asynccontextmanager
    async def hold(self, *, urgent: bool = False) -> AsyncIterator[None]:
        await self._acquire(urgent)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, urgent: bool) -> None:
        if not self._held and not self._urgent and not self._normal:
            self._held = True
            return
        waiter = asyncio.get_running_loop().create_future()
        queue = self._urgent if urgent else self._normal
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release()  # handed the lock just as we were cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):
                    queue.remove(waiter)
            raise

    def _release(self) -> None:
        for queue in (self._urgent, self._normal):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)  # the waiter owns the lock now
                    return
        self._held = False


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode survives any process crash; only an OS crash or power
    # loss can drop the last transactions (documented in docs/reliability.md).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_unit_connection(dbapi_conn, record) -> None:
    _sqlite_pragmas(dbapi_conn, record)
    # The driver must not open transactions on its own: `begin` below does, IMMEDIATE, so
    # a unit that reads before it writes holds the write lock from its first statement.
    dbapi_conn.isolation_level = None


def _sqlite_begin_immediate(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_optimize(connection) -> list[str]:
    run = connection.exec_driver_sql
    run(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")  # ANALYZE and PRAGMA optimize honour it
    version = tuple(int(p) for p in run("SELECT sqlite_version()").scalar_one().split(".")[:3])
    if version >= (3, 46, 0):
        run("PRAGMA optimize=0x10002")  # every table, not only those this connection used
        return ["PRAGMA optimize=0x10002"]
    analyzed_rows: dict[str, int] = {}
    if run("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is not None:
        for table, stat in run("SELECT tbl, stat FROM sqlite_stat1 WHERE idx IS NOT NULL"):
            rows = int(str(stat).split(" ", 1)[0] or 0)
            analyzed_rows[table] = max(analyzed_rows.get(table, 0), rows)
    tables = run(
        "SELECT t.name, t.sql FROM sqlite_master t WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' "
        "AND EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.tbl_name = t.name)"
    ).all()
    stale = []
    for name, sql in tables:
        if name not in analyzed_rows:
            # (an empty table leaves no statistics: it is looked at again next time)
            if run(f"SELECT 1 FROM {_quoted(name)} LIMIT 1").first() is not None:
                stale.append(name)
        elif "WITHOUT ROWID" not in (sql or "").upper():
            # max(rowid): a cheap upper bound of the row count (a count(*) reads the table).
            rows_now = run(f"SELECT max(rowid) FROM {_quoted(name)}").scalar() or 0
            if rows_now >= REANALYZE_GROWTH * max(analyzed_rows[name], 100):
                stale.append(name)
    for name in stale:
        run(f"ANALYZE {_quoted(name)}")
    return stale


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def after_commit(session: AsyncSession, callback) -> None:
    """Run callback once the session's current transaction has committed."""
    event.listen(session.sync_session, "after_commit", lambda _s: callback(), once=True)

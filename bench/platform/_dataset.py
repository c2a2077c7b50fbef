"""The 1M-result data set for search_1m and footprint: a results-service SQLite
file written directly (bulk inserts in one process), not through 1M RPCs.

The file has exactly the service's schema: every table the results service
creates (its SQLModel metadata, so the FTS5 table and triggers of
services/results/search_index.py come with it). Rows are what publishing would have
stored: the public view built by the service's own domain functions (masking,
publication dates, severity), one chain link per record per agency, the search
row and its FTS5 entry. Left out, to keep the first build within the bench's
time budget (they are ~45% of the bytes and no benchmark reads them): the
published version copies (results_versions), the unmasked decisions
(results_private), outbox rows (pruned once sent) and audit entries.

Building it runs in its own process (a clean SQLModel metadata holding only the
results service's tables) and is cached under var/bench/cache/ by a fingerprint
of the schema, the row count and this generator, so only the first bench run
(or a schema change) pays for it. Because the records' dates are relative to
the day of generation, a cached file is rebuilt after MAX_AGE_DAYS (before any
record's publicity period could end and the service's expiry job rewrite it).

    python -m bench.platform._dataset --rows 1000000 --dir var/bench/cache   # prints the path
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing
import operator
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

GENERATOR_VERSION = "5"
TEMPLATES = 4096  # distinct decisions run through masking; rows vary ids, numbers and party names
CHUNK = 5_000  # records per executemany round
WORKERS = 2  # processes building rows while this one inserts them
MAX_AGE_DAYS = 30


def _results_tables():
    """Every table the results service creates, from a metadata holding only its modules."""
    from sqlmodel import SQLModel

    import services.results.main  # noqa: F401  (registers every results + runtime table)

    return list(SQLModel.metadata.sorted_tables)


def _migration_files() -> list[Path]:
    """The results service's schema migrations, the runtime's branch and its own
    (it upgrades its database with them at start)."""
    from services.runtime import migrations

    return migrations.revision_files("results")


def fingerprint(rows: int) -> str:
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from services.results import search_index

    dialect = sqlite.dialect()
    parts = [GENERATOR_VERSION, str(rows), *search_index._SQLITE_DDL]
    parts += [f"{path.name}\n{path.read_text()}" for path in _migration_files()]
    for table in _results_tables():
        parts.append(str(CreateTable(table).compile(dialect=dialect)))
        parts += [str(CreateIndex(ix).compile(dialect=dialect)) for ix in sorted(table.indexes, key=str)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def _fresh(path: Path) -> bool:
    meta = Path(f"{path}.json")
    if not path.exists() or not meta.exists():
        return False
    made = dt.date.fromisoformat(json.loads(meta.read_text())["generated_on"])
    return (dt.date.today() - made).days < MAX_AGE_DAYS


def ensure(rows: int, cache_dir: Path, log=print) -> Path:
    """Path of the cached data set, building it first when missing or stale."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"results-{rows}-{fingerprint(rows)}.db"
    if _fresh(path):
        return path
    for old in cache_dir.glob(f"results-{rows}-*"):  # a stale or outdated build: gigabytes, drop them
        old.unlink()
    started = time.perf_counter()
    build(path, rows, log)
    Path(f"{path}.json").write_text(
        json.dumps(
            {
                "rows": rows,
                "generated_on": dt.date.today().isoformat(),
                "seconds": time.perf_counter() - started,
            }
        )
    )
    size = path.stat().st_size / 1e9
    log(f"built {path.name} ({rows:,} results, {size:.2f} GB) in {time.perf_counter() - started:.0f}s")
    return path


# ----------------------------------------------------------------------------- building


def _templates(today: dt.date, agencies: set[int]):
    """(agency, masked public view) of TEMPLATES decisions, made by the
    service's own rules; only those of ``agencies`` are built (the others are None)."""
    from bench.platform._decisions import AGENCIES, decision
    from gongshi.v1 import results_pb2 as pb
    from services.results import domain
    from services.results.policy import RegionPolicies
    from services.runtime.calendar import default_calendar

    policies, calendar = RegionPolicies(), default_calendar()
    out = []
    for i in range(TEMPLATES):
        if i % len(AGENCIES) not in agencies:
            out.append(None)
            continue
        agency = AGENCIES[i % len(AGENCIES)]
        d = decision(i, today=today - dt.timedelta(days=4), agency=agency)
        policy = policies.for_region(agency.region_code)
        domain.validate_decision(d, today)
        masked, _ = domain.mask_decision(d, policy.masking)
        decided = dt.date.fromisoformat(d.decision_date)
        deadline = domain.publication_deadline(d.category, decided, calendar)
        tier = domain.severity_of(d, policy)
        view = domain.public_view(
            "", agency.code, agency.region_code, masked,
            status=pb.RESULT_STATUS_PUBLISHED, deadline=deadline,
        )  # fmt: skip
        # Published a few days after the decision, like an agency system pushing daily.
        published_on = min(today, decided + dt.timedelta(days=1 + i % 5))
        span = domain.publicity_span(d, tier, published_on, policy)
        stamp = f"{published_on.isoformat()}T02:{i % 60:02d}:00.000Z"
        domain.publish_record(view, published_at=stamp, published_on=published_on, tier=tier, span=span)
        out.append((agency, view))
    return out


def _company(j: int, city: str) -> str:
    from bench.platform._decisions import _BRANDS, _TRADES

    # 24 x 24 brand pairs x 14 trades per city, e.g. 上海鑫源华泰餐饮管理有限公司
    n = len(_BRANDS)
    return f"{city}{_BRANDS[j % n]}{_BRANDS[(j // n) % n]}{_TRADES[(j // (n * n)) % len(_TRADES)]}有限公司"


def _rows(rows: int, today: dt.date, agencies: set[int], id_prefix: str) -> Iterator[tuple[str, dict]]:
    """(table name, values) of every row of the records of ``agencies`` (indexes into
    AGENCIES), record by record. Record j belongs to agency j % len(AGENCIES), so each
    agency's hash chain is built by one process, in order."""
    from bench.platform._decisions import AGENCIES
    from gongshi.v1 import results_pb2 as pb
    from services.results import records, search_index
    from services.results.chain import Head

    facets = getattr(search_index, "facets", None) or search_index._facets
    templates = _templates(today, agencies)
    heads: dict[str, Head] = {}
    now = _sql_datetime(dt.datetime.now(dt.UTC))
    for j in range(rows):
        if j % len(AGENCIES) not in agencies:
            continue
        agency, view = templates[j % TEMPLATES]
        result = pb.Result()
        result.CopyFrom(view)
        result.id = f"{id_prefix}{j:010d}"
        result.document_number = f"{agency.short}〔{view.decision_date[:4]}〕{j}号"
        if result.party.type == pb.PARTY_TYPE_LEGAL_PERSON:
            name = _company(j, agency.name[:2])
            result.facts = result.facts.replace(result.party.name, name)
            result.party.name = name
        head = heads.setdefault(agency.code, Head(agency.code))
        entry = head.append(result, "published", "", result.published_at)
        yield "results_chain", records.entry_values(entry)
        values = records.column_values(result)
        values.update(
            id=result.id,
            agency_code=agency.code,
            document_number=result.document_number,
            created_at=now,
            updated_at=now,
            non_publication_kind="",
            overdue_at=None,
        )
        yield "results", values
        yield "results_search", facets(result, True)
    for head in heads.values():
        yield "results_chain_heads", dict(agency_code=head.agency_code, seq=head.seq, hash=head.hash)


def _table_specs() -> dict[str, tuple[list[str], dict, operator.itemgetter]]:
    """Per table: its columns, the values of columns a row leaves out (the model's
    default, as an ORM insert would use; seq stays NULL and becomes the rowid), and
    a getter that turns a values dict into an insert tuple."""
    specs = {}
    for t in _results_tables():
        cols = [c.name for c in t.columns]
        defaults = {
            c.name: c.default.arg if c.default is not None and c.default.is_scalar else None
            for c in t.columns
        }
        specs[t.name] = (cols, defaults, operator.itemgetter(*cols))
    return specs


def _produce(rows: int, today: dt.date, agencies: set[int], id_prefix: str, out) -> None:
    """Worker process: put chunks {table: [insert tuples]} on ``out``, then None."""
    specs = _table_specs()
    chunk: dict[str, list[tuple]] = {}
    records_in_chunk = 0
    for name, values in _rows(rows, today, agencies, id_prefix):
        _, defaults, getter = specs[name]
        chunk.setdefault(name, []).append(getter(defaults | values))
        if name == "results_search":
            records_in_chunk += 1
            if records_in_chunk == CHUNK:
                out.put(chunk)
                chunk, records_in_chunk = {}, 0
    out.put(chunk)
    out.put(None)


def build(path: Path, rows: int, log=print, workers: int = WORKERS) -> None:
    """Write the file: ``workers`` processes build rows (agencies split between them),
    this one inserts them; then the indexes are built in bulk."""
    from sqlalchemy import create_engine

    from bench.platform._decisions import AGENCIES
    from services.results import search_index
    from services.runtime.ids import new_id

    specs = _table_specs()
    partial = Path(f"{path}.partial")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{partial}")
    _create_schema(engine)
    engine.dispose()

    # new_id() is time-ordered and costs ~10 us; a fixed time part and a counter keep its
    # shape (26 URL-safe characters, ordered by insertion) at a fraction of that.
    id_prefix = new_id()[:16]
    context = multiprocessing.get_context("fork")  # before any sqlite connection is open
    queue = context.Queue(maxsize=2 * workers)
    procs = [
        context.Process(
            target=_produce,
            args=(rows, dt.date.today(), set(range(w, len(AGENCIES), workers)), id_prefix, queue),
            daemon=True,
        )
        for w in range(workers)
    ]
    for proc in procs:
        proc.start()

    conn = sqlite3.connect(partial, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")  # 256 MB while building
    # Bulk load: secondary indexes and the FTS insert trigger go, and come back after.
    saved = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
    ).fetchall()
    for kind, name, _ in saved:
        conn.execute(f"DROP {kind.upper()} {name}")
    inserts = {
        name: f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        for name, (cols, _, _) in specs.items()
    }
    started = time.perf_counter()
    written, running, next_log = 0, workers, rows // 10
    try:
        while running:
            chunk = queue.get(timeout=600)
            if chunk is None:
                running -= 1
                continue
            conn.execute("BEGIN")
            for name, batch in chunk.items():
                conn.executemany(inserts[name], batch)
            conn.execute("COMMIT")
            written += len(chunk.get("results_search", ()))
            if written >= next_log:
                while next_log <= written:
                    next_log += max(1, rows // 10)
                rate = written / (time.perf_counter() - started)
                log(f"  {written:,} / {rows:,} results written ({rate:,.0f}/s)")
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
    if written != rows or any(proc.exitcode != 0 for proc in procs):
        raise RuntimeError(f"data set generation failed: {written:,} of {rows:,} results written")
    log("  indexing (FTS5 trigram rebuild and secondary indexes) ...")
    conn.execute("INSERT INTO results_search_fts(results_search_fts) VALUES ('rebuild')")
    for _, _, sql in saved:
        conn.execute(sql)
    for statement in search_index._SQLITE_DDL:  # IF NOT EXISTS: a no-op unless the loop above missed one
        conn.execute(statement)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    os.replace(partial, path)


def _create_schema(engine) -> None:
    """The schema exactly as the service makes it: its migrations when it has some (what
    ServiceRuntime.start runs), else create_all of its tables."""
    from alembic import command
    from sqlmodel import SQLModel

    from services.runtime import migrations

    tables = _results_tables()
    if not _migration_files():
        SQLModel.metadata.create_all(engine, tables=tables)
        return
    with engine.begin() as conn:
        command.upgrade(migrations.alembic_config("results", tables, conn), "heads")


def _sql_datetime(value):
    # SQLAlchemy's SQLite DateTime storage format (what the ORM reads back).
    if value is None:
        return None
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args(argv)
    path = ensure(args.rows, args.dir, log=lambda line: print(line, file=sys.stderr, flush=True))
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

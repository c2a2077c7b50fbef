"""Storing results: the columns mirrored from a record's public view, the
agency's chain head, and plain row values for bulk inserts.

Bulk ingest writes thousands of rows per transaction; building an ORM object
costs about five times what a dict costs (issue 8: ~25k against ~217k rows/s),
so the batch path inserts dicts through SQLAlchemy Core. `outbox_values` and
`audit_values` produce exactly what `outbox.enqueue` and `audit.record` would
store; tests/unit/results/test_records.py keeps them in step with the tables.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Connection, LargeBinary, Table, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.chain import GENESIS_HASH, Head
from services.results.models import ChainEntryRow, ChainHeadRow, ResultRow
from services.runtime import events as ev
from services.runtime.audit import digest
from services.runtime.auth import Principal
from services.runtime.clock import isoformat
from services.runtime.ids import new_id
from services.runtime.telemetry import current_trace_id, inject_headers

SOURCE = "results"


def column_values(result: pb.Result, doc: bytes | None = None) -> dict:
    """Every ResultRow column that mirrors the public view, from the view
    (`doc`: its serialisation, when the caller already has it)."""
    return dict(
        region_code=result.region_code,
        category=result.category,
        status=result.status,
        public=result.status in domain.PUBLIC_STATUSES,
        decision_date=result.decision_date,
        version=result.version,
        doc=result.SerializeToString() if doc is None else doc,
        publish_deadline=result.publish_deadline,
        published_at=result.published_at,
        publicity_end=result.publicity_end,
        severity=result.severity,
        under_appeal=result.under_appeal,
        withdrawn_at=result.withdrawn_at,
        chain_seq=result.chain_seq,
    )


def sync_columns(row: ResultRow, result: pb.Result, now: dt.datetime, doc: bytes | None = None) -> None:
    """Store `result` as the row's view; the mirrored columns follow it."""
    for name, value in column_values(result, doc).items():
        setattr(row, name, value)
    row.updated_at = now


def insert_rows(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert dicts through the driver's executemany, with the statement
    compiled once per table and columns: SQLAlchemy's per-row parameter
    handling costs more than the insert itself at bulk rates. Values still go
    through each column type's bind processor, so they are stored exactly as
    the ORM would store them. Every row must have the same keys."""
    if rows:
        keys = tuple(rows[0])
        _executemany(
            conn,
            table,
            ("insert", keys),
            lambda: insert(table).values({k: bindparam(k) for k in keys}),
            rows,
        )


def update_rows(conn: Connection, table: Table, key: str, rows: list[dict]) -> None:
    """Set the other columns of each dict on the row whose `key` column
    matches, in one executemany (as insert_rows). Every row must have the same keys."""
    if rows:
        names = tuple(name for name in rows[0] if name != key)
        # An UPDATE's bound names must differ from its columns': "_" + column.
        _executemany(
            conn,
            table,
            ("update", key, names),
            lambda: (
                update(table)
                .where(table.c[key] == bindparam(f"_{key}"))
                .values({name: bindparam(f"_{name}") for name in names})
            ),
            rows,
            prefix="_",
        )


def upsert_rows(conn: Connection, table: Table, key: str, rows: list[dict]) -> None:
    """Insert each dict, or where a row with the same `key` (a unique column)
    exists, set its other columns (INSERT ... ON CONFLICT DO UPDATE: SQLite
    and PostgreSQL). One executemany, as insert_rows."""
    if rows:
        keys = tuple(rows[0])
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite

        def build():
            statement = dialect.insert(table).values({k: bindparam(k) for k in keys})
            return statement.on_conflict_do_update(
                index_elements=[key], set_={k: statement.excluded[k] for k in keys if k != key}
            )

        _executemany(conn, table, ("upsert", key, keys), build, rows)


async def bulk_insert(session: AsyncSession, table: Table, rows: list[dict]) -> None:
    """insert_rows in an async session's transaction."""
    if rows:
        await session.run_sync(lambda s: insert_rows(s.connection(), table, rows))


async def bulk_update(session: AsyncSession, table: Table, key: str, rows: list[dict]) -> None:
    """update_rows in an async session's transaction."""
    if rows:
        await session.run_sync(lambda s: update_rows(s.connection(), table, key, rows))


def _executemany(conn: Connection, table: Table, shape: tuple, build, rows, prefix="") -> None:
    """Run the statement `build()` makes once per row; its bound names are the
    rows' keys (after `prefix`). Compiled once per table, shape and dialect."""
    plan_key = (table.name, conn.dialect.name, shape)
    plan = _PLANS.get(plan_key)
    if plan is None:
        compiled = build().compile(dialect=conn.dialect)
        keys = [name.removeprefix(prefix) for name in compiled.positiontup]
        processors = [_processor(table.c[name].type, conn.dialect) for name in keys]
        plan = _PLANS[plan_key] = (compiled.string, keys, processors)
    statement, keys, processors = plan
    # Column by column (one comprehension each), then zipped into rows: a
    # generator per row cost more than the rest of the batch's Python.
    columns = []
    for name, convert in zip(keys, processors, strict=True):
        values = [row[name] for row in rows]
        columns.append(values if convert is None else list(map(_memo(convert), values)))
    params = list(zip(*columns, strict=True))
    conn.exec_driver_sql(statement, params)


def _memo(convert):
    """A batch repeats the same few values per column (its timestamp, a
    status): convert each distinct value once."""
    seen: dict = {}

    def cached(value):
        if isinstance(value, (bytes, str)):
            return convert(value)  # unique per row (docs, texts): nothing to share
        try:
            return seen[value]
        except KeyError:
            seen[value] = converted = convert(value)
            return converted
        except TypeError:  # unhashable
            return convert(value)

    return cached


_PLANS: dict[tuple, tuple] = {}


def _processor(column_type, dialect):
    # sqlite3 stores bytes as a BLOB as they are; wrapping each in memoryview buys nothing.
    if dialect.name == "sqlite" and isinstance(column_type, LargeBinary):
        return None
    return column_type._cached_bind_processor(dialect)


# ---------------------------------------------------------------- the chain head


_HEADS = ChainHeadRow.__table__


def lock_head(conn: Connection, agency_code: str) -> Head:
    """The agency's chain head, locked until the transaction ends (PostgreSQL:
    FOR UPDATE; SQLite: the database's single writer already serialises).
    Read and written as plain values (save_head)."""
    query = select(_HEADS.c.seq, _HEADS.c.hash).where(_HEADS.c.agency_code == agency_code).with_for_update()
    row = conn.execute(query).first()
    if row is None:
        # Two first writers may race here: one insert wins, both then lock it.
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(
            dialect.insert(_HEADS)
            .values(agency_code=agency_code, seq=0, hash=GENESIS_HASH)
            .on_conflict_do_nothing()
        )
        row = conn.execute(query).one()
    return Head(agency_code, row.seq, row.hash)


def save_head(conn: Connection, head: Head) -> None:
    """Move the agency's head (locked by lock_head) to `head`: one UPDATE."""
    update_rows(
        conn, _HEADS, "agency_code", [dict(agency_code=head.agency_code, seq=head.seq, hash=head.hash)]
    )


async def lock_head_async(session: AsyncSession, agency_code: str) -> Head:
    return await session.run_sync(lambda s: lock_head(s.connection(), agency_code))


async def save_head_async(session: AsyncSession, head: Head) -> None:
    await session.run_sync(lambda s: save_head(s.connection(), head))


def entry_values(entry: pb.ChainEntry) -> dict:
    return dict(
        agency_code=entry.agency_code,
        seq=entry.seq,
        result_id=entry.result_id,
        version=entry.version,
        kind=entry.kind,
        recorded_at=entry.recorded_at,
        reason=entry.reason,
        doc_sha256=entry.doc_sha256,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )


def entry_from_row(row: ChainEntryRow) -> pb.ChainEntry:
    return pb.ChainEntry(
        agency_code=row.agency_code,
        seq=row.seq,
        result_id=row.result_id,
        version=row.version,
        kind=row.kind,
        recorded_at=row.recorded_at,
        reason=row.reason,
        doc_sha256=row.doc_sha256,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


# ---------------------------------------------------------------- runtime rows as values


class EventValues:
    """Outbox rows for one batch: the trace context is the same for every event
    of a batch, so the headers are built once and only the ids change."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self._base = inject_headers(
            {
                ev.HEADER_SOURCE: SOURCE,
                ev.HEADER_OCCURRED_AT: isoformat(now),
                ev.HEADER_SCHEMA_VERSION: ev.SCHEMA_VERSION,
            }
        )

    def __call__(self, event: ev.Event) -> dict:
        return self.raw(event.subject, type(event.message), event.message.SerializeToString(), event.event_id)

    def raw(self, subject: str, message_type, payload: bytes, event_id: str | None = None) -> dict:
        """An outbox row for an already serialised body of `message_type`."""
        event_id = event_id or new_id()
        event_type = ev.event_type(message_type)
        headers = {**self._base, ev.HEADER_MSG_ID: event_id, ev.HEADER_EVENT_TYPE: event_type}
        return dict(
            event_id=event_id,
            subject=subject,
            event_type=event_type,
            payload=payload,
            headers=json.dumps(headers),
            created_at=self.now,
            sent_at=None,
        )


def wrap_field(number: int, body: bytes) -> bytes:
    """The encoding of a message whose only field `number` holds the already
    encoded message `body` (e.g. ResultPublished{result}), without parsing and
    re-encoding the body: protobuf's length-delimited wire format."""
    out = bytearray(_varint(number << 3 | 2))
    out += _varint(len(body))
    out += body
    return bytes(out)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def audit_values(
    principal: Principal | None,
    *,
    operation: str,
    record_id: str,
    before,
    after,
    now: dt.datetime,
    trace_id: str | None = None,
) -> dict:
    return dict(
        at=now,
        credential_id=principal.credential_id if principal else "anonymous",
        role=principal.role if principal else 0,
        agency_code=principal.agency_code if principal else "",
        operation=operation,
        record_type="result",
        record_id=record_id,
        before_digest=digest(before),
        after_digest=digest(after),
        trace_id=current_trace_id() if trace_id is None else trace_id,
    )

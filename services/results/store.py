"""Storing a batch of prepared decisions: one unit of work (db.unit).

Everything a publish writes commits together: the record (or the registered
record it publishes), its private copy, its version and chain link, its
outbox row, its audit row and its place in the search index queue. The unit
is plain synchronous SQLAlchemy Core, so on SQLite the whole batch is one hop
to the database's thread: a handful of reads, then one executemany per table.
The search row itself is written right after by the indexer
(index_queue.py), and the outbox rows go to the relay's express lane once the
unit has committed (publishing.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from gongshi.v1 import results_pb2 as pb
from services.results import records
from services.results.index_queue import IndexQueueRow, queue_rows
from services.results.models import ChainEntryRow, ResultPrivateRow, ResultRow, ResultVersionRow
from services.runtime import events as ev
from services.runtime.audit import AuditRow
from services.runtime.clock import isoformat
from services.runtime.outbox import OutboxRow

SERVICE = "results"
_RESULTS = ResultRow.__table__


@dataclass
class Stored:
    """A record already stored under a draft's natural key (agency, document number)."""

    id: str
    status: int
    doc: bytes


@dataclass
class Batch:
    """Rows of one unit, inserted in bulk at its end. Each row records its
    draft's origin (who, when, which trace), not the transaction's."""

    results: list[dict] = field(default_factory=list)
    private: list[dict] = field(default_factory=list)
    versions: list[dict] = field(default_factory=list)
    chain: list[dict] = field(default_factory=list)
    outbox: list[dict] = field(default_factory=list)
    audit: list[dict] = field(default_factory=list)
    indexed: list[str] = field(default_factory=list)
    # Registered (PENDING) records being published: their new columns and private copies.
    updated: list[dict] = field(default_factory=list)
    updated_private: list[dict] = field(default_factory=list)

    def add(self, draft, before: bytes | None, replaces: Stored | None, entry: pb.ChainEntry | None) -> None:
        origin = draft.origin
        result, now = draft.result, origin.now
        doc = result.SerializeToString()
        if entry is not None:
            self.chain.append(records.entry_values(entry))
            self.versions.append(
                dict(
                    result_id=result.id,
                    version=result.version,
                    kind="published",
                    reason="",
                    doc=doc,
                    chain_seq=entry.seq,
                    created_at=now,
                )
            )
            self.outbox.append(
                origin.events.raw(
                    ev.subject(SERVICE, "published", draft.agency.code),
                    pb.ResultPublished,
                    records.wrap_field(1, doc),
                )
            )
        columns = records.column_values(result, doc)
        if replaces is None:
            self.results.append(
                dict(
                    id=result.id,
                    agency_code=draft.agency.code,
                    document_number=draft.decision.document_number,
                    created_at=now,
                    updated_at=now,
                    non_publication_kind=draft.withheld_kind,
                    overdue_at=None,
                    **columns,
                )
            )
            self.private.append(draft.private)
        else:
            self.updated.append(
                dict(id=replaces.id, updated_at=now, non_publication_kind=draft.withheld_kind, **columns)
            )
            self.updated_private.append(draft.private)
        self.indexed.append(result.id)
        # Without maps, the plain encoding is the deterministic one audit.digest uses.
        self.audit.append(
            records.audit_values(
                origin.principal,
                operation=origin.operation,
                record_id=result.id,
                before=before,
                after=doc,
                now=now,
                trace_id=origin.trace_id,
            )
        )

    def insert(self, conn: Connection) -> None:
        records.update_rows(conn, _RESULTS, "id", self.updated)
        records.update_rows(conn, ResultPrivateRow.__table__, "result_id", self.updated_private)
        for table, rows in (
            (_RESULTS, self.results),
            (ResultPrivateRow.__table__, self.private),
            (ResultVersionRow.__table__, self.versions),
            (ChainEntryRow.__table__, self.chain),
            (OutboxRow.__table__, self.outbox),
            (AuditRow.__table__, self.audit),
            (IndexQueueRow.__table__, queue_rows(self.indexed)),
        ):
            records.insert_rows(conn, table, rows)


def store_drafts(conn: Connection, drafts: Sequence, outcomes: list) -> Batch:
    """Store `drafts` in the unit's transaction, setting each one's outcome; the rows written.

    A push of a stored (agency, document number) answers with the stored record
    (created=False), except that publishing a registered (PENDING) one publishes it."""
    batch = Batch()
    existing = stored_by_key(conn, [d.key for d in drafts])
    seen: dict[tuple[str, str], int] = {}
    # (draft, stored view it replaces, stored record) of everything this batch writes
    writes: list[tuple[object, bytes | None, Stored | None]] = []
    for draft in drafts:
        outcome = outcomes[draft.index]
        if draft.key in seen:
            # The same decision twice in one batch: the later one is a retry.
            outcome.result, outcome.created = outcomes[seen[draft.key]].result, False
            continue
        seen[draft.key] = draft.index
        stored = existing.get(draft.key)
        pending = stored is not None and stored.status == pb.RESULT_STATUS_PENDING
        if stored is not None and not (pending and not draft.origin.register):
            outcome.result, outcome.created = pb.Result.FromString(stored.doc), False
            continue
        before = None
        if stored is not None:
            # A registered decision is published: same record, content as now pushed.
            before = stored.doc
            draft.result.id = draft.private["result_id"] = stored.id
            draft.result.registered_at = pb.Result.FromString(stored.doc).registered_at
        outcome.result, outcome.created = draft.result, True
        writes.append((draft, before, stored))
    published = [d for d, _, _ in writes if d.result.status == pb.RESULT_STATUS_PUBLISHED]
    # Chain heads are locked last and in order, so two batches never wait on each other in a circle.
    heads = {code: records.lock_head(conn, code) for code in sorted({d.agency.code for d in published})}
    for draft, before, stored in writes:
        entry = None
        if draft.result.status == pb.RESULT_STATUS_PUBLISHED:
            stamp = isoformat(draft.origin.now)
            entry = heads[draft.agency.code].append(draft.result, "published", "", stamp)
        batch.add(draft, before, stored, entry)
    for head in heads.values():
        records.save_head(conn, head)
    batch.insert(conn)
    return batch


def stored_by_key(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Stored]:
    c = _RESULTS.c
    found: dict[tuple[str, str], Stored] = {}
    by_agency: dict[str, list[str]] = {}
    for agency_code, number in keys:
        by_agency.setdefault(agency_code, []).append(number)
    for agency_code, numbers in by_agency.items():
        for start in range(0, len(numbers), 500):
            query = select(c.id, c.status, c.doc, c.document_number).where(
                c.agency_code == agency_code, c.document_number.in_(numbers[start : start + 500])
            )
            for row in conn.execute(query):
                found[(agency_code, row.document_number)] = Stored(row.id, row.status, row.doc)
    return found

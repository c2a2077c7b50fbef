"""The search index, applied right after the publishing transaction.

A publish commits the decision with its outbox row, audit row, chain link and
one row here naming the record: two small B-tree inserts instead of the search
row's five and its FTS5 trigram postings (~110 µs a decision). The indexer
then applies what is queued, a batch per transaction: it reads each record's
stored view as it is NOW, upserts its `results_search` row (the FTS index
follows by trigger) and deletes the queue rows. A crash between the two loses
nothing (the queue row committed with the record and is applied after the
restart), and indexing twice writes the same row again.

Searches see every publish that committed before they began (`caught_up`):
the query service waits, at most CATCH_UP_SECONDS, for the indexer to apply
what this process queued, so a record whose publish was answered is in the
next search (within one process; a replica's writes within a poll).

What hides a record does not wait for this queue: withdrawal and expiry change
`results.public` in their own transaction, and a trigger mirrors that into
`results_search` at once (search_index.py); a record not yet indexed is indexed with
the visibility it has when its turn comes, and search reads `public` from
`results` for every page anyway.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from sqlalchemy import Connection, delete, select
from sqlmodel import Field, SQLModel

from gongshi.v1 import results_pb2 as pb
from services.results import records, search_index
from services.results.models import ResultRow
from services.runtime.db import Database

log = logging.getLogger(__name__)

# Records indexed per transaction: large batches write fewer FTS5 segments.
INDEX_BATCH = 1000
# How often the indexer looks at the queue when nothing woke it (a commit in
# another process, rows left by a crash).
INDEX_POLL_SECONDS = 1.0
# The longest a search waits for the indexer to apply what committed before it.
CATCH_UP_SECONDS = 2.0


class IndexQueueRow(SQLModel, table=True):
    """A record whose search row is to be (re)written from its stored view."""

    __tablename__ = "results_index_queue"
    seq: int | None = Field(default=None, primary_key=True)
    result_id: str = Field(max_length=32)


_QUEUE = IndexQueueRow.__table__
_RESULTS = ResultRow.__table__
_SEARCH = search_index.ResultSearchRow.__table__


def queue_rows(result_ids: Iterable[str]) -> list[dict]:
    """Rows for `records.insert_rows(conn, IndexQueueRow.__table__, ...)` in a write's transaction."""
    return [{"result_id": result_id} for result_id in result_ids]


def apply_batch(conn: Connection, limit: int = INDEX_BATCH) -> int:
    """Index up to `limit` queued records in the caller's transaction; how many queue rows it took."""
    query = select(_QUEUE.c.seq, _QUEUE.c.result_id).order_by(_QUEUE.c.seq).limit(limit)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # replicas share the queue
    queued = conn.execute(query).all()
    if not queued:
        return 0
    ids = list(dict.fromkeys(result_id for _, result_id in queued))
    stored = conn.execute(select(_RESULTS.c.doc, _RESULTS.c.public).where(_RESULTS.c.id.in_(ids))).all()
    rows = [search_index.facets(pb.Result.FromString(doc), bool(public)) for doc, public in stored]
    records.upsert_rows(conn, _SEARCH, "result_id", rows)
    conn.execute(delete(_QUEUE).where(_QUEUE.c.seq.in_([seq for seq, _ in queued])))
    return len(queued)


class SearchIndexer:
    """Drains the queue: woken after each publish, and every INDEX_POLL_SECONDS.
    `paused` (GONGSHI_RESULTS_INDEX_PAUSED) leaves the queue as it is: for an
    operator's bulk reload, and for tests of a crash before indexing."""

    def __init__(self, db: Database, *, paused: bool = False, batch: int = INDEX_BATCH) -> None:
        self.db = db
        self.paused = paused
        self.batch = batch
        self.indexed_total = 0
        self._wake = asyncio.Event()
        # Publishes committed (queued) by this process, and how many of them are applied.
        self._queued = 0
        self._applied = 0
        self._progress = asyncio.Condition()

    def notify(self, queued: int = 0) -> None:
        """After a commit that queued `queued` records: apply them now."""
        self._queued += queued
        self._wake.set()

    async def caught_up(self) -> bool:
        """Wait (at most CATCH_UP_SECONDS) until everything this process queued
        before the call is applied; whether it was."""
        target = self._queued
        if self.paused or self._applied >= target:
            return self._applied >= target
        async with self._progress:
            try:
                async with asyncio.timeout(CATCH_UP_SECONDS):
                    await self._progress.wait_for(lambda: self._applied >= target)
            except TimeoutError:
                return False
        return True

    async def drain(self) -> int:
        target = self._queued  # committed before the queue is read below: applied by the end
        total = 0
        while True:
            taken = await self.db.unit(lambda conn: apply_batch(conn, self.batch), "results.index")
            total += taken
            if taken < self.batch:
                self.indexed_total += total
                break
        async with self._progress:
            self._applied = max(self._applied, target)
            self._progress.notify_all()
        return total

    async def run(self) -> None:
        while True:
            if not self.paused:
                try:
                    await self.drain()
                except Exception as exc:
                    log.warning("search indexer: %r; retrying", exc)
                    await asyncio.sleep(0.5)
                    continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=INDEX_POLL_SECONDS)
            except TimeoutError:
                pass
            self._wake.clear()

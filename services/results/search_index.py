"""The read model of search and statistics: the `results_search` table, its
full-text index, and how a result becomes a row of it. The queries are in
search.py (ResultSearch), search_request.py and search_plan.py.

`results_search` is this module's own table: one row per decision with the
searchable public text (masked: it is built from the public view) and the
facets that filters and statistics need, written by `index_result` in the
same transaction as the decision. The `doc` column of `results` is protobuf,
which SQL cannot read, so the handlers hand the text over; triggers on
`results` then mirror `public`/`status` changes (withdrawal, expiry) and
deletions, so no write path can leave a withdrawn record findable.

Index: SQLite FTS5 with the `trigram` tokenizer (external content, rowid =
results_search.seq), PostgreSQL pg_trgm GIN. Both only match terms of three
or more characters; Chinese has many two-character words (罰款, 餐飲), so
shorter terms are matched with LIKE over the same text, walking an index in
the requested order and stopping at the page size.
"""

from __future__ import annotations

import logging

from sqlalchemy import Column, Index, Text, event, text
from sqlmodel import Field, SQLModel, select

from gongshi.v1 import results_pb2 as pb

log = logging.getLogger(__name__)

# DOMAIN.md I3's penalty table, in column order; later columns are more severe.
# 警告 and 通報批評 share the first column. 其他 is the last column, but it says
# nothing about severity: a decision counts under 其他 only when it has no listed kind.
PENALTY_COLUMNS: list[tuple[int, ...]] = [
    (pb.PENALTY_KIND_WARNING, pb.PENALTY_KIND_CRITICISM),
    (pb.PENALTY_KIND_FINE,),
    (pb.PENALTY_KIND_CONFISCATION,),
    (pb.PENALTY_KIND_LICENCE_SUSPENSION,),
    (pb.PENALTY_KIND_LICENCE_REVOCATION,),
    (pb.PENALTY_KIND_BUSINESS_RESTRICTION,),
    (pb.PENALTY_KIND_SUSPENSION_CLOSURE,),
    (pb.PENALTY_KIND_DETENTION,),
    (pb.PENALTY_KIND_OTHER,),
]
_SEVERITY = {kind: rank for rank, kinds in enumerate(PENALTY_COLUMNS) for kind in kinds}
_SEVERITY[pb.PENALTY_KIND_OTHER] = -1


def most_severe_penalty(kinds) -> int:
    """The one column a decision counts in (I3): its most severe listed kind,
    reported under the column's first kind (WARNING stands for 警告、通報批評)."""
    known = [k for k in kinds if k in _SEVERITY]
    if not known:
        return pb.PENALTY_KIND_UNSPECIFIED
    worst = max(known, key=lambda k: _SEVERITY[k])
    return PENALTY_COLUMNS[_SEVERITY[worst]][0] if _SEVERITY[worst] >= 0 else pb.PENALTY_KIND_OTHER


class ResultSearchRow(SQLModel, table=True):
    """Search text and facets of one decision (public or not: statistics count
    every decision; search sees only rows with public set)."""

    __tablename__ = "results_search"
    __table_args__ = (
        Index("ix_results_search_order", "public", "decision_date", "seq"),
        Index("ix_results_search_agency", "agency_code", "decision_date"),
        Index("ix_results_search_region", "region_code", "decision_date"),
    )

    # A stable integer key: the FTS index's rowid.
    seq: int | None = Field(default=None, primary_key=True)
    result_id: str = Field(max_length=32, unique=True)
    agency_code: str = Field(max_length=40)
    region_code: str = Field(max_length=12)
    category: int
    status: int
    public: bool
    decision_date: str = Field(max_length=10)
    published_on_time: bool
    # ",3,4," so a LIKE '%,3,%' filter finds one kind without a join table.
    penalty_kinds: str = Field(default=",", max_length=400)
    top_penalty: int = 0
    fine_amount_fen: int = 0
    confiscation_amount_fen: int = 0
    search_text: str = Field(sa_column=Column(Text, nullable=False))


def search_text(result: pb.Result) -> str:
    """The searchable text of a result: only public (already masked) fields."""
    parts = [
        result.document_number,
        result.party.name,
        result.violation_type,
        result.licence_item,
        result.conclusion,
        result.facts,
        *result.legal_basis,
        *result.violated_provisions,
    ]
    return "\n".join(p for p in parts if p)


async def index_result(session, result: pb.Result, *, public: bool) -> None:
    """Write (or rewrite) the search row of a result in the caller's transaction.
    Call it wherever a result's public view is stored or replaced."""
    row = (await session.exec(select(ResultSearchRow).where(ResultSearchRow.result_id == result.id))).first()
    row = row or ResultSearchRow(result_id=result.id)
    row.agency_code, row.region_code = result.agency_code, result.region_code
    row.category, row.status, row.public = result.category, result.status, public
    row.decision_date = result.decision_date
    row.published_on_time = result.published_on_time
    row.penalty_kinds = "," + "".join(f"{k}," for k in result.penalty_kinds)
    row.top_penalty = most_severe_penalty(result.penalty_kinds)
    row.fine_amount_fen = result.fine_amount_fen
    row.confiscation_amount_fen = result.confiscation_amount_fen
    row.search_text = search_text(result)
    session.add(row)


# -- index DDL ------------------------------------------------------------------

_SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS results_search_fts USING fts5("
    "search_text, content='results_search', content_rowid='seq', tokenize='trigram')",
    # External content: the index is told exactly what it holds, public rows only.
    "CREATE TRIGGER IF NOT EXISTS results_search_ai AFTER INSERT ON results_search WHEN new.public BEGIN "
    "INSERT INTO results_search_fts(rowid, search_text) VALUES (new.seq, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS results_search_ad AFTER DELETE ON results_search WHEN old.public BEGIN "
    "INSERT INTO results_search_fts(results_search_fts, rowid, search_text) "
    "VALUES ('delete', old.seq, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS results_search_au AFTER UPDATE ON results_search BEGIN "
    "INSERT INTO results_search_fts(results_search_fts, rowid, search_text) "
    "SELECT 'delete', old.seq, old.search_text WHERE old.public; "
    "INSERT INTO results_search_fts(rowid, search_text) "
    "SELECT new.seq, new.search_text WHERE new.public; END",
    # Whatever changes a result's visibility also changes what search can find.
    "CREATE TRIGGER IF NOT EXISTS results_search_mirror_au AFTER UPDATE OF public, status ON results BEGIN "
    "UPDATE results_search SET public = new.public, status = new.status WHERE result_id = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS results_search_mirror_ad AFTER DELETE ON results BEGIN "
    "DELETE FROM results_search WHERE result_id = old.id; END",
]

_POSTGRES_DDL = [
    "CREATE INDEX IF NOT EXISTS ix_results_search_trgm "
    "ON results_search USING gin (search_text gin_trgm_ops)",
    "CREATE OR REPLACE FUNCTION results_search_mirror() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN DELETE FROM results_search WHERE result_id = OLD.id; RETURN OLD; END IF; "
    "UPDATE results_search SET public = NEW.public, status = NEW.status WHERE result_id = NEW.id; "
    "RETURN NEW; END $$",
    "CREATE OR REPLACE TRIGGER results_search_mirror_au AFTER UPDATE OF public, status ON results "
    "FOR EACH ROW EXECUTE FUNCTION results_search_mirror()",
    "CREATE OR REPLACE TRIGGER results_search_mirror_ad AFTER DELETE ON results "
    "FOR EACH ROW EXECUTE FUNCTION results_search_mirror()",
]


@event.listens_for(ResultSearchRow.__table__, "after_create")
def _create_index(_table, connection, **_) -> None:
    """Runs when results_search is created (a new database, or one from before
    search existed: then the rows already stored are indexed from their docs)."""
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_DDL:
            connection.exec_driver_sql(statement)
    elif connection.dialect.name == "postgresql":
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # no privilege: search still works, by scanning
            log.warning("pg_trgm is not available (%s); search will scan instead of using an index", exc)
        else:
            connection.exec_driver_sql(_POSTGRES_DDL[0])
        for statement in _POSTGRES_DDL[1:]:
            connection.exec_driver_sql(statement)
    _backfill(connection)


def _backfill(connection) -> None:
    table = ResultSearchRow.__table__
    rows = connection.execute(text("SELECT doc, public FROM results")).all()
    for doc, public in rows:
        result = pb.Result.FromString(doc)
        connection.execute(table.insert().values(**facets(result, bool(public))))


def facets(result: pb.Result, public: bool) -> dict:
    """The results_search row of a result as plain values (for bulk inserts)."""
    return dict(
        result_id=result.id,
        agency_code=result.agency_code,
        region_code=result.region_code,
        category=result.category,
        status=result.status,
        public=public,
        decision_date=result.decision_date,
        published_on_time=result.published_on_time,
        penalty_kinds="," + "".join(f"{k}," for k in result.penalty_kinds),
        top_penalty=most_severe_penalty(result.penalty_kinds),
        fine_amount_fen=result.fine_amount_fen,
        confiscation_amount_fen=result.confiscation_amount_fen,
        search_text=search_text(result),
    )


_facets = facets  # the name bulk ingest first used

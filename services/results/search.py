"""Chinese full-text search over published results, and the read model the
statistics are computed from.

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

import base64
import logging
import re
from dataclasses import dataclass

from sqlalchemy import Column, Index, Text, event, text
from sqlmodel import Field, SQLModel, select

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb
from services.results import domain
from services.results.models import ResultRow
from services.runtime import limits
from services.runtime.errors import FieldViolation, InvalidArgument, invalid

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


# -- queries --------------------------------------------------------------------


@dataclass(frozen=True)
class SearchQuery:
    terms: list[str]
    filters: dict
    sort: int
    offset: int
    limit: int


def parse_request(request: qpb.SearchResultsRequest) -> SearchQuery:
    """Validate a search request; every problem is named by its field."""
    violations: list[FieldViolation] = []
    query = request.query.strip()
    if len(query) > limits.MAX_SEARCH_QUERY_CHARS:
        violations.append(
            FieldViolation(
                "query", f"is {len(query)} characters long; the limit is {limits.MAX_SEARCH_QUERY_CHARS}"
            )
        )
    terms = list(dict.fromkeys(query.split()))
    if len(terms) > limits.MAX_SEARCH_TERMS:
        violations.append(
            FieldViolation("query", f"has {len(terms)} terms; the limit is {limits.MAX_SEARCH_TERMS}")
        )
    limit = request.page.page_size or limits.DEFAULT_PAGE_SIZE
    if not 0 < limit <= limits.MAX_PAGE_SIZE:
        violations.append(FieldViolation("page.page_size", f"must be between 1 and {limits.MAX_PAGE_SIZE}"))
    for name in ("decided_from", "decided_to"):
        value = getattr(request, name)
        if value and domain.parse_date(value) is None:
            violations.append(FieldViolation(name, "must be a date in the form YYYY-MM-DD"))
    for name, enum in (
        ("category", pb.DecisionCategory),
        ("penalty_kind", pb.PenaltyKind),
        ("status", pb.ResultStatus),
        ("sort", qpb.SearchSort),
    ):
        value = getattr(request, name)
        if value and value not in enum.values():
            violations.append(FieldViolation(name, f"unknown value {value}"))
    if violations:
        raise InvalidArgument(violations)
    filters = {
        "agency_code": request.agency_code,
        "region_code": request.region_code,
        "category": request.category,
        "penalty_kind": request.penalty_kind,
        "decided_from": request.decided_from,
        "decided_to": request.decided_to,
        "status": request.status,
    }
    # Newest first unless relevance is asked for: ranking must score every match, which
    # costs time on broad queries; newest-first stops at the page size.
    sort = request.sort or qpb.SEARCH_SORT_NEWEST
    return SearchQuery(terms, filters, sort, decode_offset(request.page.page_token), limit)


def encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_offset(token: str) -> int:
    if not token:
        return 0
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        kind, _, value = raw.partition(":")
        offset = int(value)
    except Exception as exc:
        raise invalid("page.page_token", "is not a cursor this service issued") from exc
    if kind != "o" or not 0 <= offset <= limits.MAX_SEARCH_OFFSET:
        raise invalid(
            "page.page_token",
            f"is not a cursor this service issued (search pages go {limits.MAX_SEARCH_OFFSET} rows deep)",
        )
    return offset


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SearchSql:
    """Builds the WHERE clause and order of one search for one dialect."""

    def __init__(self, query: SearchQuery, dialect: str) -> None:
        self.query = query
        self.postgres = dialect == "postgresql"
        self.params: dict = {}
        self.where = ["s.public = :public"]
        self.params["public"] = True
        self.use_fts = False
        f = query.filters
        for column in ("agency_code", "region_code", "category", "status"):
            if f[column]:
                self.where.append(f"s.{column} = :{column}")
                self.params[column] = f[column]
        if f["penalty_kind"]:
            self.where.append("s.penalty_kinds LIKE :penalty_kind")
            self.params["penalty_kind"] = f"%,{f['penalty_kind']},%"
        if f["decided_from"]:
            self.where.append("s.decision_date >= :decided_from")
            self.params["decided_from"] = f["decided_from"]
        if f["decided_to"]:
            self.where.append("s.decision_date <= :decided_to")
            self.params["decided_to"] = f["decided_to"]
        long_terms = [t for t in query.terms if len(t) >= 3]
        like = "ILIKE" if self.postgres else "LIKE"
        for i, term in enumerate(query.terms):
            if self.postgres or len(term) < 3:
                # pg_trgm serves ILIKE from its index for 3+ characters; shorter terms scan in order.
                self.where.append(f"s.search_text {like} :term{i} ESCAPE '\\'")
                self.params[f"term{i}"] = _like_pattern(term)
        if long_terms and not self.postgres:
            self.use_fts = True
            self.params["match"] = " AND ".join(_fts_phrase(t) for t in long_terms)
            if not self.by_rank:
                # The FTS index yields its matching rowids first; joining it row by row instead
                # lets the planner probe the index once per stored row (seconds on a rare term).
                self.where.append(
                    "s.seq IN (SELECT rowid FROM results_search_fts WHERE results_search_fts MATCH :match)"
                )

    @property
    def by_rank(self) -> bool:
        return self.query.sort == qpb.SEARCH_SORT_RELEVANCE and bool(self.query.terms)

    @property
    def source(self) -> str:
        if self.use_fts and self.by_rank:
            return (
                "results_search s JOIN (SELECT rowid AS fts_rowid, rank AS fts_rank FROM results_search_fts "
                "WHERE results_search_fts MATCH :match) AS f ON s.seq = f.fts_rowid"
            )
        return "results_search s"

    @property
    def order(self) -> str:
        sort = self.query.sort
        if sort == qpb.SEARCH_SORT_OLDEST:
            return "s.decision_date ASC, s.seq ASC"
        if sort == qpb.SEARCH_SORT_FINE:
            return "s.fine_amount_fen DESC, s.decision_date DESC, s.seq DESC"
        if sort == qpb.SEARCH_SORT_RELEVANCE and self.query.terms:
            if self.use_fts:
                return "f.fts_rank, s.decision_date DESC, s.seq DESC"
            # Where the first term first appears: document numbers and party names come first in the text.
            self.params["first_term"] = self.query.terms[0].lower()
            return (
                "strpos(lower(s.search_text), :first_term), s.decision_date DESC, s.seq DESC"
                if (self.postgres)
                else "instr(lower(s.search_text), :first_term), s.decision_date DESC, s.seq DESC"
            )
        return "s.decision_date DESC, s.seq DESC"

    def page_sql(self) -> str:
        return (
            f"SELECT s.result_id, s.search_text FROM {self.source} WHERE {' AND '.join(self.where)} "
            f"ORDER BY {self.order} LIMIT :limit OFFSET :offset"
        )

    def count_sql(self) -> str:
        return (
            f"SELECT count(*) FROM (SELECT 1 FROM {self.source} WHERE {' AND '.join(self.where)} "
            "LIMIT :count_cap) AS capped"
        )


def snippet(text_: str, terms: list[str], width: int = limits.SEARCH_SNIPPET_CHARS) -> str:
    """A window of the public text around the first term found."""
    flat = re.sub(r"\s+", " ", text_)
    lowered = flat.lower()
    positions = [p for p in (lowered.find(t.lower()) for t in terms) if p >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


class ResultSearch:
    def __init__(self, db) -> None:
        self.db = db

    async def search(self, request: qpb.SearchResultsRequest) -> qpb.SearchResultsResponse:
        query = parse_request(request)
        response = qpb.SearchResultsResponse()
        if query.filters["status"] and query.filters["status"] not in domain.PUBLIC_STATUSES:
            return response  # withdrawn, expired, never published: not searchable
        sql = SearchSql(query, self.db.engine.dialect.name)
        page_sql, count_sql = text(sql.page_sql()), text(sql.count_sql())
        params = {**sql.params, "limit": query.limit + 1, "offset": query.offset}
        async with self.db.reader() as session:
            rows = (await session.execute(page_sql, params)).all()
            total = await session.scalar(count_sql, {**sql.params, "count_cap": limits.SEARCH_COUNT_CAP + 1})
            ids = [row[0] for row in rows[: query.limit]]
            docs = (
                dict(
                    (
                        await session.execute(
                            select(ResultRow.id, ResultRow.doc).where(
                                ResultRow.id.in_(ids), ResultRow.public.is_(True)
                            )
                        )
                    ).all()
                )
                if ids
                else {}
            )
        for result_id, text_ in rows[: query.limit]:
            if result_id in docs:  # the row itself is the final word on visibility
                response.hits.append(
                    qpb.SearchHit(
                        result=pb.Result.FromString(docs[result_id]), snippet=snippet(text_, query.terms)
                    )
                )
        response.total = min(total or 0, limits.SEARCH_COUNT_CAP)
        response.total_is_lower_bound = (total or 0) > limits.SEARCH_COUNT_CAP
        next_offset = query.offset + query.limit
        if len(rows) > query.limit and next_offset <= limits.MAX_SEARCH_OFFSET:
            response.next_page_token = encode_offset(next_offset)
        return response

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
from collections.abc import Generator
from dataclasses import dataclass

from sqlalchemy import Column, Index, Text, event, text
from sqlmodel import Field, SQLModel, select

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb
from services.results import domain
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


# How a search runs on SQLite. The FTS5 index answers "which rows contain these words"
# quickly, but the planner cannot know how many rows that is, and a plan that suits a
# rare word (start from the index's rowids) is the worst for a common one (walk the date
# order and stop at the page) and the other way round. So the service asks first:
#
# 1. probe: how many rows contain the 3+ character words, counted up to FTS_DRIVE_MAX + 1
#    (FTS5 yields rowids lazily: ~0.3 ms per 1,000). None: the answer is empty.
# 2. selective (at most FTS_DRIVE_MAX rows): start from the FTS rowids (CROSS JOIN keeps
#    that order), look each row up by primary key, filter, sort what is left.
# 3. broad (more): walk the index of the requested order (or of the filters) and test each
#    row's text with LIKE, which stops at the page: a word in 1% of the rows needs ~100
#    rows per hit. LIKE is used only where it matches exactly what the trigram phrase does
#    (`like_equivalent`, e.g. any Chinese, digits, most ASCII); otherwise the row is tested
#    against the list of FTS rowids as before. The capped count starts from the FTS
#    rowids (in rowid order, so its lookups are cheap) and stops at SEARCH_COUNT_CAP + 1
#    hits; when the filters leave too few hits within FTS_COUNT_BUDGET rowids it counts
#    from the filters' index instead.
# 4. 1–2 character words (which the trigram index cannot match) are tested with LIKE along an
#    index; their count is first tried from the FTS rows holding the trigrams the page's hits
#    show them in (a subset of the matches: reaching the cap there is proof enough).
# 5. A page that is the last one gives the count without counting.
#
# Sorting by fine amount or by relevance orders every match, which no index serves: it is
# refused (INVALID_ARGUMENT on `sort`) when the query matches more than SORT_CAP records,
# and, for relevance on SQLite, when more than SORT_CAP records contain the 3+ character
# words (ranking scores each of them, whatever the filters). Newest and oldest first work
# at any size. PostgreSQL runs the page and count below as they are (pg_trgm GIN index, its
# own statistics) and applies the same sort rule.
FTS_DRIVE_MAX = 5_000
FTS_COUNT_BUDGET = 50_000
SORT_CAP = limits.SEARCH_SORT_CAP
_MAX_SEEN_TRIGRAMS = 64
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

_TABLE = "results_search s"


def like_equivalent(term: str) -> bool:
    """Whether `search_text LIKE '%term%'` (ASCII case folded) matches exactly the rows
    the FTS5 trigram phrase of the term does (Unicode case folded). It does when no
    character of the term has a case outside ASCII: FTS5 also folds e.g. Ä into ä, and
    the KELVIN SIGN and LONG S into k and s; U+FFFD–FFFF are folded together."""
    return all(_like_safe(ch) for ch in term)


def _like_safe(ch: str) -> bool:
    if ch.isascii():
        return ch not in "kKsS"
    return ch.lower() == ch == ch.upper() and ch.casefold() == ch and ch not in "\ufffd\ufffe\uffff"


class SearchSql:
    """The conditions, sources and statements of one search for one dialect."""

    def __init__(self, query: SearchQuery, dialect: str) -> None:
        self.query = query
        self.postgres = dialect == "postgresql"
        self.params: dict = {"public": True}
        f = query.filters
        # Facets: what every plan filters on (the search row is the word on visibility).
        # With an agency or region, SQLite must walk that index ((code, decision_date) and the
        # rowid: the order itself) and not the one of every public row; unary + keeps it from
        # choosing by `public` when it has no statistics.
        narrow = not self.postgres and bool(f["agency_code"] or f["region_code"])
        self.filters = ["+s.public = :public" if narrow else "s.public = :public"]
        for column in ("agency_code", "region_code", "category", "status"):
            if f[column]:
                self.filters.append(f"s.{column} = :{column}")
                self.params[column] = f[column]
        if f["penalty_kind"]:
            self.filters.append("s.penalty_kinds LIKE :penalty_kind")
            self.params["penalty_kind"] = f"%,{f['penalty_kind']},%"
        if f["decided_from"]:
            self.filters.append("s.decision_date >= :decided_from")
            self.params["decided_from"] = f["decided_from"]
        if f["decided_to"]:
            self.filters.append("s.decision_date <= :decided_to")
            self.params["decided_to"] = f["decided_to"]
        like = "ILIKE" if self.postgres else "LIKE"
        # Terms tested with LIKE in every plan (pg_trgm serves ILIKE from its index; on SQLite
        # terms under 3 characters, which the trigram index cannot match).
        self.like: list[str] = []
        # SQLite: 3+ character terms, matched by FTS5 (and, where equivalent, by LIKE).
        self.long_like: list[str] = []
        self.long_terms: list[str] = []
        self.short_terms: list[str] = []  # SQLite: under 3 characters
        for i, term in enumerate(query.terms):
            condition = f"s.search_text {like} :term{i} ESCAPE '\\'"
            self.params[f"term{i}"] = _like_pattern(term)
            if self.postgres or len(term) < 3:
                self.like.append(condition)
                if not self.postgres:
                    self.short_terms.append(term)
            else:
                self.long_like.append(condition)
                self.long_terms.append(term)
        if self.long_terms:
            self.params["match"] = " AND ".join(_fts_phrase(t) for t in self.long_terms)

    def seen_after_short_terms(self, rows: list) -> str:
        """An FTS query for rows holding the short terms as the page's hits hold them: each
        term with the characters that follow it there (a trigram), any of those per term.
        Every row it finds contains the terms (they match as LIKE does: `like_equivalent`);
        it misses rows whose terms are followed by other characters, or end the text. ""
        when it cannot be built."""
        if not self.short_terms or not rows or not all(like_equivalent(t) for t in self.short_terms):
            return ""
        groups = []
        for term in self.short_terms:
            needle = term.translate(_ASCII_LOWER)
            seen: dict[str, None] = {}
            for row in rows:
                text_ = row[1]
                folded = text_.translate(_ASCII_LOWER)
                at = folded.find(needle)
                while at >= 0 and len(seen) < _MAX_SEEN_TRIGRAMS:
                    if at + 3 <= len(text_):
                        seen[text_[at : at + 3]] = None
                    at = folded.find(needle, at + 1)
            if not seen:
                return ""
            groups.append("(" + " OR ".join(_fts_phrase(t) for t in seen) + ")")
        return " AND ".join(groups)

    @property
    def sorts_every_match(self) -> bool:
        """Fine amount and relevance: no index gives that order, every match is sorted."""
        sort = self.query.sort
        return sort == qpb.SEARCH_SORT_FINE or (sort == qpb.SEARCH_SORT_RELEVANCE and bool(self.query.terms))

    def order(self, *, fts_rank: bool = False) -> str:
        sort = self.query.sort
        if sort == qpb.SEARCH_SORT_OLDEST:
            return "s.decision_date ASC, s.seq ASC"
        if sort == qpb.SEARCH_SORT_FINE:
            return "s.fine_amount_fen DESC, s.decision_date DESC, s.seq DESC"
        if sort == qpb.SEARCH_SORT_RELEVANCE and self.query.terms:
            if fts_rank:
                return "f.fts_rank, s.decision_date DESC, s.seq DESC"
            # Where the first term first appears: document numbers and party names come first in the text.
            self.params["first_term"] = self.query.terms[0].lower()
            return (
                "strpos(lower(s.search_text), :first_term), s.decision_date DESC, s.seq DESC"
                if self.postgres
                else "instr(lower(s.search_text), :first_term), s.decision_date DESC, s.seq DESC"
            )
        return "s.decision_date DESC, s.seq DESC"

    # -- sources and their conditions (SQLite with 3+ character terms) -------------

    def fts_source(self, *, rank: bool = False, budget: bool = False) -> str:
        """Rows containing the words, in FTS rowid order (CROSS JOIN: the FTS side leads)."""
        columns = "rowid AS fts_rowid, rank AS fts_rank" if rank else "rowid AS fts_rowid"
        limit = " LIMIT :fts_budget" if budget else ""
        return (
            f"(SELECT {columns} FROM results_search_fts WHERE results_search_fts MATCH :match{limit}) AS f "
            "CROSS JOIN results_search s ON s.seq = f.fts_rowid"
        )

    def walk_conditions(self) -> list[str]:
        """The words as row tests for a walk along an index of results_search."""
        if all(like_equivalent(t) for t in self.long_terms):
            return [*self.filters, *self.long_like, *self.like]
        # The FTS index yields its matching rowids first (a list SQLite keeps in memory);
        # probing it per row would cost ~0.2 ms a row.
        return [
            *self.filters,
            *self.like,
            "s.seq IN (SELECT rowid FROM results_search_fts WHERE results_search_fts MATCH :match)",
        ]

    # -- statements ----------------------------------------------------------------

    @staticmethod
    def page_sql(source: str, where: list[str], order: str) -> str:
        return (
            f"SELECT s.result_id, s.search_text FROM {source} WHERE {' AND '.join(where)} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        )

    @staticmethod
    def count_sql(source: str, where: list[str]) -> str:
        return (
            f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {' AND '.join(where)} "
            "LIMIT :count_cap) AS capped"
        )

    @staticmethod
    def probe_sql() -> str:
        return (
            "SELECT count(*) FROM (SELECT 1 FROM results_search_fts WHERE results_search_fts MATCH :match "
            "LIMIT :fts_cap) AS capped"
        )


# One statement of a search: SQL text with named parameters.
Step = tuple[str, dict]


@dataclass
class SearchPage:
    rows: list  # (result_id, search_text), up to the page size + 1
    total: int  # the count, capped at SEARCH_COUNT_CAP + 1
    docs: dict  # result_id -> serialized public view, for the rows still public


def search_steps(query: SearchQuery, dialect: str) -> Generator[Step, list, SearchPage]:
    """The statements of one search, in order: yields each (sql, params), is sent the
    rows it returned, and returns the page. The service runs it through SQLAlchemy, the
    bench's bare reference through plain sqlite3: both execute exactly these."""
    sql = SearchSql(query, dialect)
    cap = limits.SEARCH_COUNT_CAP + 1
    base = {**sql.params}

    def page(source: str, where: list[str], order: str) -> Step:
        return sql.page_sql(source, where, order), {
            **sql.params,
            "limit": query.limit + 1,
            "offset": query.offset,
        }

    def count(source: str, where: list[str], count_cap: int, **extra) -> Step:
        return sql.count_sql(source, where), {**base, "count_cap": count_cap, **extra}

    def fts_count(match: str, near: list[str], count_cap: int, *, subset: bool = False):
        """Capped count from the FTS rowids of `match` (in rowid order: cheap lookups), within
        FTS_COUNT_BUDGET rowids, and whether that saw every rowid: (None, False) when it could
        not tell. A `subset` match only ever proves the cap."""
        params = {"match": match, "fts_budget": FTS_COUNT_BUDGET}
        total = _scalar((yield count(sql.fts_source(budget=True), near, count_cap, **params)))
        if total >= count_cap:
            return total, False
        if subset:
            return None, False
        matching = _scalar((yield sql.probe_sql(), {"match": match, "fts_cap": FTS_COUNT_BUDGET + 1}))
        return (total if matching <= FTS_COUNT_BUDGET else None), matching <= FTS_COUNT_BUDGET

    if not sql.long_terms:  # PostgreSQL, or SQLite with filters and short terms only
        where = [*sql.filters, *sql.like]
        total = None
        if sql.sorts_every_match:
            total = _scalar((yield count(_TABLE, where, SORT_CAP + 1)))
            _check_sort(total)
        rows = yield page(_TABLE, where, sql.order())
        total = _known_total(rows, query) if total is None else total
        if total is None and (match := sql.seen_after_short_terms(rows)):
            # Short words: the trigram index cannot find them, but it finds the rows holding
            # any 3-character sequence the page's hits show them in: a subset of the matches,
            # which proves "more than the cap" without testing row after row.
            total, _ = yield from fts_count(match, where, cap, subset=True)
        if total is None:
            total = _scalar((yield count(_TABLE, where, cap)))
        return (yield from _with_docs(rows, min(total, cap), query.limit))

    rank = query.sort == qpb.SEARCH_SORT_RELEVANCE
    probe_cap = max(FTS_DRIVE_MAX, SORT_CAP) if rank else FTS_DRIVE_MAX
    matching = _scalar((yield sql.probe_sql(), {"match": sql.params["match"], "fts_cap": probe_cap + 1}))
    if matching == 0:
        return SearchPage([], 0, {})
    if rank and matching > SORT_CAP:
        raise _sort_refused("contain its words of 3 or more characters")
    near = [*sql.filters, *sql.like]  # what the FTS rowids are filtered with
    if matching <= FTS_DRIVE_MAX or rank:
        source = sql.fts_source(rank=rank)
        total = None
        if sql.sorts_every_match and matching > SORT_CAP:  # (only if FTS_DRIVE_MAX > SORT_CAP)
            total = _scalar((yield count(source, near, SORT_CAP + 1)))
            _check_sort(total)
        rows = yield page(source, near, sql.order(fts_rank=rank))
        total = _known_total(rows, query) if total is None else total
        if total is None:
            total = _scalar((yield count(source, near, cap)))
        return (yield from _with_docs(rows, min(total, cap), query.limit))

    # Broad: count from the FTS rowids within a budget, else from the filters' index.
    walk = sql.walk_conditions()
    if sql.sorts_every_match:  # fine amount (relevance was decided above): count first
        total, counted_all = yield from fts_count(sql.params["match"], near, SORT_CAP + 1)
        if total is None:
            total = _scalar((yield count(_TABLE, walk, SORT_CAP + 1)))
        _check_sort(total)
        source, where = (sql.fts_source(), near) if counted_all else (_TABLE, walk)
        rows = yield page(source, where, sql.order())
        return (yield from _with_docs(rows, min(total, cap), query.limit))
    rows = yield page(_TABLE, walk, sql.order())
    total = _known_total(rows, query)
    if total is None:
        total, _ = yield from fts_count(sql.params["match"], near, cap)
    if total is None:
        total = _scalar((yield count(_TABLE, walk, cap)))
    return (yield from _with_docs(rows, min(total, cap), query.limit))


def _known_total(rows: list, query: SearchQuery) -> int | None:
    """A page that is the last one tells the count: the rows before it and on it."""
    if rows and len(rows) <= query.limit:
        return query.offset + len(rows)
    if not rows and query.offset == 0:
        return 0
    return None


def _sort_refused(what: str) -> InvalidArgument:
    return invalid(
        "sort",
        f"sorting by fine amount or relevance orders every match, so at most {SORT_CAP:,} records may "
        f"{what}; this query matches more: add words or filters, or sort by date (newest or oldest "
        "first work at any size)",
    )


def _check_sort(matches: int) -> None:
    if matches > SORT_CAP:
        raise _sort_refused("match")


def _scalar(rows: list) -> int:
    return int(rows[0][0] or 0) if rows else 0


def _with_docs(rows: list, total: int, limit: int) -> Generator[Step, list, SearchPage]:
    """The stored public views of the page, by primary key. Whether a row is still public
    is read with it and checked here: a `public` condition in SQL lets SQLite choose an
    index on public (every public row) over the primary key."""
    ids = [row[0] for row in rows[:limit]]
    if not ids:
        return SearchPage(list(rows), total, {})
    names = [f"id{i}" for i in range(len(ids))]
    found = yield (
        f"SELECT id, doc, public FROM results WHERE id IN ({', '.join(':' + n for n in names)})",
        dict(zip(names, ids, strict=True)),
    )
    return SearchPage(list(rows), total, {result_id: doc for result_id, doc, public in found if public})


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
        steps = search_steps(query, self.db.engine.dialect.name)
        async with self.db.engine.connect() as conn:
            rows = None
            try:
                while True:
                    statement, params = steps.send(rows)
                    rows = (await conn.execute(text(statement), params)).all()
            except StopIteration as done:
                found: SearchPage = done.value
        for result_id, text_ in found.rows[: query.limit]:
            doc = found.docs.get(result_id)
            if doc is not None:  # the row itself is the final word on visibility
                hit = response.hits.add(snippet=snippet(text_, query.terms))
                hit.result.ParseFromString(doc)
        response.total = min(found.total, limits.SEARCH_COUNT_CAP)
        response.total_is_lower_bound = found.total > limits.SEARCH_COUNT_CAP
        next_offset = query.offset + query.limit
        if len(found.rows) > query.limit and next_offset <= limits.MAX_SEARCH_OFFSET:
            response.next_page_token = encode_offset(next_offset)
        return response

"""The statements of one search, chosen by what the FTS5 probe finds (SQLite)
or as they are (PostgreSQL): `search_steps` drives the service and the
bench's bare reference alike."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from gongshi.v1 import results_query_pb2 as qpb
from services.results.search_request import SearchQuery
from services.runtime import limits
from services.runtime.errors import InvalidArgument, invalid


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

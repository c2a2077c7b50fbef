"""Use cases of the results service that bring decisions in and read them out:
publish (one or a batch), register ahead of publication, and the public
reads (records, lists, history, takedown log, the hash chain).

Publishing one decision and a bulk stream take the same path: a batch is
validated and masked outside the transaction (`prepare`), then stored with
bulk inserts (rows, versions, chain links, outbox, audit, search) in ONE
transaction (`commit`); idempotency stays per item (agency + document
number). Single calls (PublishDecision, RegisterDecision) each prepare their
own decision and are then committed together with the calls that arrived
meanwhile (group_commit.py); each draft carries its call's `Origin`, so its
rows are what they would be had it been stored alone.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from opentelemetry import trace
from sqlalchemy import bindparam, func, literal_column, tuple_
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from gongshi.v1 import results_pb2 as pb
from services.results import domain, duty_items, records, store
from services.results.chain import Verifier
from services.results.group_commit import GroupCommitter
from services.results.history_masking import mask_version
from services.results.index_queue import SearchIndexer
from services.results.models import (
    AgencyCopy,
    ChainEntryRow,
    ChainHeadRow,
    ResultPrivateRow,
    ResultRow,
    ResultVersionRow,
)
from services.results.policy import PublicationPolicy, RegionPolicies
from services.runtime import limits
from services.runtime.app import ServiceRuntime
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.calendar import WorkingDayCalendar, default_calendar
from services.runtime.clock import CHINA_TZ, isoformat
from services.runtime.errors import DomainError, FailedPrecondition, NotFound, invalid
from services.runtime.ids import new_id
from services.runtime.telemetry import current_trace_id, tracer

SERVICE = "results"
_tracer = tracer(__name__)


class AgencyDirectory:
    """Agencies known locally (from duties' events), cached in memory: they
    change rarely and are read on every publish."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime
        self._cache: dict[str, AgencyCopy] = {}

    async def get(self, code: str) -> AgencyCopy:
        agency = self._cache.get(code)
        if agency is None:
            async with self.runtime.db.reader() as session:
                agency = await session.get(AgencyCopy, code)
            if agency is None:
                raise FailedPrecondition(
                    f"agency {code} is not known to the results service yet; register it with the duties "
                    "service (its registration event may still be on its way)"
                )
            self._cache[code] = agency
        return agency

    def forget(self, code: str) -> None:
        self._cache.pop(code, None)


@dataclass
class Origin:
    """The call a batch of drafts came from, as its rows record it: who (the
    audit entry), when (timestamps, the event's occurred-at), which trace
    (event headers, the audit's trace id) and whether it registers."""

    principal: Principal | None
    now: dt.datetime
    register: bool
    events: records.EventValues
    trace_id: str
    span: trace.SpanContext

    @property
    def operation(self) -> str:
        return "RegisterDecision" if self.register else "PublishDecision"


@dataclass
class Draft:
    """One pushed decision, validated and masked, with the rows it would add
    as a new record already built: only the chain links and the final
    serialisation are left for the transaction, which holds the write lock."""

    index: int
    origin: Origin
    agency: AgencyCopy
    decision: pb.Decision
    withheld_kind: str
    withheld_reason: str
    tier: int
    policy: PublicationPolicy
    # The view as a new record (a fresh id), and the private row (no chain needed).
    result: pb.Result
    private: dict

    @property
    def key(self) -> tuple[str, str]:
        return self.agency.code, self.decision.document_number


@dataclass
class Outcome:
    """What became of one item: a record (created or found), or an error."""

    result: pb.Result | None = None
    created: bool = False
    error: DomainError | None = None


@dataclass
class Prepared:
    """A batch checked and masked, waiting for its transaction."""

    outcomes: list[Outcome]
    drafts: list[Draft]
    origin: Origin

    @staticmethod
    def merge(group: Sequence[Prepared]) -> Prepared:
        """Several calls' batches as one (drafts keep their origins)."""
        outcomes: list[Outcome] = []
        drafts: list[Draft] = []
        for prepared in group:
            offset = len(outcomes)
            outcomes.extend(prepared.outcomes)
            drafts.extend(replace(d, index=offset + d.index) for d in prepared.drafts)
        return Prepared(outcomes, drafts, group[0].origin)


@dataclass
class ResultsHandlers:
    runtime: ServiceRuntime
    agencies: AgencyDirectory
    indexer: SearchIndexer
    policies: RegionPolicies = field(default_factory=RegionPolicies)
    calendar: WorkingDayCalendar = field(default_factory=default_calendar)
    # One chain verification at a time: it reads a whole agency's log, and
    # the RPC is public.
    _verifying: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))

    @property
    def db(self):
        return self.runtime.db

    def policy(self, region_code: str) -> PublicationPolicy:
        return self.policies.for_region(region_code)

    # ------------------------------------------------------------ writing

    def __post_init__(self) -> None:
        # Single calls are stored in groups; registering and publishing apart,
        # since a push's meaning (and its audit operation) depends on which.
        self._committers = {register: GroupCommitter(self._commit_group) for register in (False, True)}

    async def publish_decision(
        self, principal: Principal | None, agency_code: str, decision: pb.Decision
    ) -> tuple[pb.Result, bool]:
        return await self._single(principal, agency_code, decision, register=False)

    async def register_decision(
        self, principal: Principal | None, agency_code: str, decision: pb.Decision
    ) -> tuple[pb.Result, bool]:
        return await self._single(principal, agency_code, decision, register=True)

    async def _single(
        self, principal: Principal | None, agency_code: str, decision: pb.Decision, *, register: bool
    ) -> tuple[pb.Result, bool]:
        """One decision: prepared by this call, stored in a group with the
        calls that arrived while the previous group's transaction ran."""
        prepared = await self.prepare(principal, [(agency_code, decision)], register=register)
        if prepared.drafts:
            prepared.outcomes = await self._committers[register].submit(prepared)
        (outcome,) = prepared.outcomes
        if outcome.error is not None:
            raise outcome.error
        return outcome.result, outcome.created

    async def _commit_group(self, group: list[Prepared]) -> list[list[Outcome]]:
        """Commit several calls' batches in one transaction; each call's outcomes back.

        Runs in the first call's trace context; the span links the others."""
        links = [trace.Link(p.origin.span) for p in group[1:] if p.origin.span.is_valid]
        with _tracer.start_as_current_span(
            "results.group_commit", links=links, attributes={"gongshi.group.calls": len(group)}
        ):
            outcomes = await self.commit(Prepared.merge(group))
        split, offset = [], 0
        for prepared in group:
            split.append(outcomes[offset : offset + len(prepared.outcomes)])
            offset += len(prepared.outcomes)
        return split

    async def publish_batch(
        self,
        principal: Principal | None,
        items: Sequence[tuple[str, pb.Decision]],
        *,
        register: bool = False,
    ) -> list[Outcome]:
        """Store many decisions in one transaction; one outcome per item, in order.

        A push of a stored (agency, document number) returns the stored record
        (created=False), except that publishing a registered (PENDING) one
        publishes it. If a concurrent writer wins an insert, the batch is
        retried item by item so each item still gets its exact outcome."""
        return await self.commit(await self.prepare(principal, items, register=register))

    async def prepare(
        self,
        principal: Principal | None,
        items: Sequence[tuple[str, pb.Decision]],
        *,
        register: bool = False,
    ) -> Prepared:
        """The CPU half of a batch (check, validate, mask, build rows): no
        database writes, so a stream prepares its next batch while the last
        one commits. It notes the caller (principal, time, trace) for the rows."""
        now = self.runtime.clock.now()
        origin = Origin(
            principal,
            now,
            register,
            records.EventValues(now),
            current_trace_id(),
            trace.get_current_span().get_span_context(),
        )
        prepared = Prepared([Outcome() for _ in items], [], origin)
        for index, (agency_code, decision) in enumerate(items):
            try:
                prepared.drafts.append(await self._draft(index, origin, agency_code, decision))
            except DomainError as exc:
                prepared.outcomes[index].error = exc
        await self._check_duty_items(prepared)
        return prepared

    async def _check_duty_items(self, prepared: Prepared) -> None:
        """A decision citing a duty item must cite one its agency has published
        (results' local copy, fed by duties' events; issue 3)."""
        citing = [d for d in prepared.drafts if d.decision.duty_item_code]
        if not citing:
            return
        async with self.db.reader() as session:
            known = await duty_items.statuses(
                session, {(d.agency.code, d.decision.duty_item_code) for d in citing}
            )
        refused: set[int] = set()
        for draft in citing:
            key = (draft.agency.code, draft.decision.duty_item_code)
            error = duty_items.refusal(*key, known.get(key))
            if error is not None:
                prepared.outcomes[draft.index].error = error
                refused.add(draft.index)
        if refused:
            prepared.drafts = [d for d in prepared.drafts if d.index not in refused]

    async def commit(self, prepared: Prepared) -> list[Outcome]:
        """The database half of a batch: one transaction for all of it."""
        outcomes, drafts = prepared.outcomes, prepared.drafts
        if not drafts:
            return outcomes
        try:
            await self._store(drafts, outcomes)
        except IntegrityError as exc:
            if len(drafts) == 1:
                await self._answer_with_stored(drafts[0], outcomes, exc)
            else:
                # A concurrent writer won an insert: item by item, each gets its exact outcome.
                for draft in drafts:
                    try:
                        await self._store([draft], outcomes)
                    except IntegrityError as item_exc:
                        await self._answer_with_stored(draft, outcomes, item_exc)
        return outcomes

    async def _answer_with_stored(self, draft: Draft, outcomes: list[Outcome], exc: IntegrityError) -> None:
        # A concurrent retry of the same push won the insert: answer with its record.
        async with self.db.engine.connect() as conn:
            existing = (await conn.run_sync(lambda c: store.stored_by_key(c, [draft.key]))).get(draft.key)
        if existing is None:
            raise exc
        outcomes[draft.index] = Outcome(pb.Result.FromString(existing.doc), False)

    async def _draft(self, index: int, origin: Origin, agency_code: str, decision: pb.Decision) -> Draft:
        principal, now, register = origin.principal, origin.now, origin.register
        agency_code = agency_code or (principal.agency_code if principal else "")
        require_agency_writer(principal, agency_code)
        agency = await self.agencies.get(agency_code)
        today = now.astimezone(CHINA_TZ).date()
        domain.validate_decision(decision, today)
        policy = self.policy(agency.region_code)
        kind, reason = domain.non_publication(decision, policy, today)
        masked, applied = domain.mask_decision(decision, policy.masking)
        tier = domain.severity_of(decision, policy)
        result = self._view(agency, decision, masked, tier, kind, policy, new_id(), now, today, register)
        result.non_publication_reason = reason  # the agency's reply says why (never public)
        private = dict(
            result_id=result.id,
            decision=decision.SerializeToString(),
            non_publication_reason=reason,
            redaction_log=json.dumps([{"rule": r.rule, "field": r.field, "count": r.count} for r in applied]),
        )
        return Draft(
            index,
            origin,
            agency,
            decision,
            kind,
            reason,
            tier,
            policy,
            result,
            private,
        )

    def _view(
        self, agency, decision, masked, tier, withheld_kind, policy, result_id, now, today, register
    ) -> pb.Result:
        status = (
            pb.RESULT_STATUS_NOT_PUBLISHED
            if withheld_kind
            else pb.RESULT_STATUS_PENDING
            if register
            else pb.RESULT_STATUS_PUBLISHED
        )
        deadline = domain.publication_deadline(
            decision.category, domain.parse_date(decision.decision_date), self.calendar
        )
        result = domain.public_view(
            result_id, agency.code, agency.region_code, masked, status=status, deadline=deadline
        )
        result.severity = tier
        result.updated_at = isoformat(now)
        if status == pb.RESULT_STATUS_PUBLISHED:
            start = domain.publicity_start(decision, today, policy)
            domain.publish_record(
                result,
                published_at=isoformat(now),
                published_on=today,
                tier=tier,
                span=domain.publicity_span(decision, tier, start, policy),
                start=start,
            )
        elif status == pb.RESULT_STATUS_PENDING:
            result.registered_at = isoformat(now)
        return result

    async def _store(self, drafts: list[Draft], outcomes: list[Outcome]) -> None:
        """One unit of work (store.py), then its events straight to JetStream
        and its records to the search indexer."""
        batch = await self.db.unit(lambda conn: store.store_drafts(conn, drafts, outcomes), "results.publish")
        self.runtime.relay.publish_committed(batch.outbox)
        if batch.indexed:
            self.indexer.notify(len(batch.indexed))

    # ------------------------------------------------------------ reading

    async def get_result(self, result_id: str) -> pb.Result:
        """The public view; a record taken out of publication answers with its
        tombstone (status says which), anything never public with NOT_FOUND."""
        async with self.db.reader() as session:
            row = await session.get(ResultRow, result_id)
        if row is None or (not row.public and row.status not in domain.ENDED_STATUSES):
            raise NotFound(f"no public result with id {result_id}")
        result = pb.Result.FromString(row.doc)
        return result if row.public else domain.tombstone(result)

    async def list_results(self, request: pb.ListResultsRequest) -> pb.ListResultsResponse:
        """Newest decision first (then id), cursor paging. `total` is exact up to
        LIST_COUNT_CAP and a lower bound beyond it (`total_is_lower_bound`), like
        search: an exact count of a million rows is ~95% of the call. See
        `_listing_statements` at the end of this module."""
        page_size = _page_size(request.page)
        listing, params = _listing_statements(request, page_size, sqlite=self.db.is_sqlite)
        async with self.db.engine.connect() as conn:
            if listing.page_with_count is not None:  # one statement: the page, each row with the count
                rows = (await conn.execute(listing.page_with_count, params)).all()
                total = rows[0][3] if rows else (await conn.execute(listing.count, params)).scalar_one()
            else:
                total = (await conn.execute(listing.count, params)).scalar_one()
                page = listing.page_few if total <= LIST_COUNT_CAP else listing.page_many
                rows = (await conn.execute(page, params)).all()
        return _listing_response(rows, page_size, total)

    async def get_history(self, result_id: str) -> pb.ResultHistory:
        """Every published version and every change of a record. Once a record
        has left publication, only the changes (kinds, reasons, dates) remain.
        Versions are shown with today's masking rules (history_masking.py)."""
        async with self.db.reader() as session:
            row = await session.get(ResultRow, result_id)
            if row is None or row.chain_seq == 0:
                raise NotFound(f"no public result with id {result_id}")
            entries = (
                await session.exec(
                    select(ChainEntryRow)
                    .where(ChainEntryRow.agency_code == row.agency_code, ChainEntryRow.result_id == result_id)
                    .order_by(ChainEntryRow.seq)
                )
            ).all()
            versions, private = [], None
            if row.public:
                versions = (
                    await session.exec(
                        select(ResultVersionRow.doc)
                        .where(ResultVersionRow.result_id == result_id)
                        .order_by(ResultVersionRow.version)
                    )
                ).all()
                # Read only to know whom to mask; none of it is returned.
                private = await session.get(ResultPrivateRow, result_id)
        history = pb.ResultHistory(id=result_id, status=row.status)
        decision = pb.Decision.FromString(private.decision) if private else pb.Decision()
        masking = self.policy(row.region_code).masking
        for doc in versions:
            version = history.versions.add()
            version.MergeFromString(doc)
            if mask_version(version, decision, masking):
                history.masked_on_read.append(version.version)
        history.changes.extend(
            pb.ResultChange(
                chain_seq=e.seq,
                version=e.version,
                kind=e.kind,
                reason=e.reason,
                at=e.recorded_at,
                record_hash=e.hash,
            )
            for e in entries
        )
        return history

    async def list_takedowns(self, request: pb.ListTakedownsRequest) -> pb.ListTakedownsResponse:
        page_size = _page_size(request.page)
        filters = [ResultRow.status == pb.RESULT_STATUS_WITHDRAWN]
        if request.agency_code:
            filters.append(ResultRow.agency_code == request.agency_code)
        page_filters = list(filters)
        if request.page.page_token:
            stamp, result_id = _decode_token(request.page.page_token)
            page_filters.append(tuple_(ResultRow.withdrawn_at, ResultRow.id) < (stamp, result_id))
        query = (
            select(ResultRow.doc, ResultRow.withdrawn_at, ResultRow.id)
            .where(*page_filters)
            .order_by(ResultRow.withdrawn_at.desc(), ResultRow.id.desc())
            .limit(page_size + 1)
        )
        async with self.db.reader() as session:
            rows = (await session.exec(query)).all()
            total = await session.scalar(select(func.count()).select_from(ResultRow).where(*filters))
        response = pb.ListTakedownsResponse(total=total)
        for doc, _, _ in rows[:page_size]:
            r = pb.Result.FromString(doc)
            response.takedowns.append(
                pb.Takedown(
                    result_id=r.id,
                    agency_code=r.agency_code,
                    document_number=r.document_number,
                    category=r.category,
                    decision_date=r.decision_date,
                    withdrawn_at=r.withdrawn_at,
                    reason=r.withdrawal_reason,
                    statement=r.withdrawal_statement,
                    withdrawal_deadline=r.withdrawal_deadline,
                    withdrawn_on_time=r.withdrawn_on_time,
                )
            )
        if len(rows) > page_size:
            last = rows[page_size - 1]
            response.next_page_token = _encode_token(last[1], last[2])
        return response

    async def get_chain(self, request: pb.GetChainRequest) -> pb.GetChainResponse:
        page_size = _page_size(request.page)
        after = 0
        if request.page.page_token:
            try:
                after = int(_decode_token(request.page.page_token)[0])
            except ValueError as exc:
                raise invalid("page.page_token", "is not a cursor this service issued") from exc
        async with self.db.reader() as session:
            head = await session.get(ChainHeadRow, request.agency_code)
            rows = (
                await session.exec(
                    select(ChainEntryRow)
                    .where(ChainEntryRow.agency_code == request.agency_code, ChainEntryRow.seq > after)
                    .order_by(ChainEntryRow.seq)
                    .limit(page_size + 1)
                )
            ).all()
        if head is None:
            raise NotFound(f"agency {request.agency_code} has published nothing yet")
        response = pb.GetChainResponse(length=head.seq, head_hash=head.hash)
        response.entries.extend(records.entry_from_row(r) for r in rows[:page_size])
        if len(rows) > page_size:
            response.next_page_token = _encode_token(str(rows[page_size - 1].seq), "")
        return response

    async def verify_chain(self, agency_code: str) -> pb.VerifyChainResponse:
        """Walk the agency's whole chain and check every stored record and
        version against it (see chain.Verifier)."""
        verifier = Verifier(agency_code)
        async with self._verifying, self.db.reader() as session:
            head = await session.get(ChainHeadRow, agency_code)
            if head is None:
                raise NotFound(f"agency {agency_code} has published nothing yet")
            after = 0
            while True:
                # Links in seq order, each with the version it signed (if a content link).
                query = (
                    select(ChainEntryRow, ResultVersionRow.doc)
                    .join(
                        ResultVersionRow,
                        (ResultVersionRow.result_id == ChainEntryRow.result_id)
                        & (ResultVersionRow.chain_seq == ChainEntryRow.seq),
                        isouter=True,
                    )
                    .where(ChainEntryRow.agency_code == agency_code, ChainEntryRow.seq > after)
                    .order_by(ChainEntryRow.seq)
                    .limit(_VERIFY_CHUNK)
                )
                rows = (await session.exec(query)).all()
                for entry_row, version_doc in rows:
                    verifier.link(records.entry_from_row(entry_row), version_doc)
                if len(rows) < _VERIFY_CHUNK:
                    break
                after = rows[-1][0].seq
            verifier.head(head.seq, head.hash)
            await self._verify_records(session, agency_code, verifier)
        return pb.VerifyChainResponse(
            intact=verifier.intact,
            entries_checked=verifier.entries_checked,
            records_checked=verifier.records_checked,
            head_hash=head.hash,
            problems=verifier.problems,
        )

    async def _verify_records(self, session, agency_code: str, verifier: Verifier) -> None:
        # Every record that is or was public, with the link it claims as its latest.
        after = ""
        while True:
            query = (
                select(ResultRow.id, ResultRow.doc, ResultRow.public, ResultRow.status, ChainEntryRow)
                .join(
                    ChainEntryRow,
                    (ChainEntryRow.agency_code == ResultRow.agency_code)
                    & (ChainEntryRow.seq == ResultRow.chain_seq),
                    isouter=True,
                )
                .where(
                    ResultRow.agency_code == agency_code,
                    (ResultRow.chain_seq > 0) | ResultRow.public.is_(True),
                    ResultRow.id > after,
                )
                .order_by(ResultRow.id)
                .limit(_VERIFY_CHUNK)
            )
            rows = (await session.exec(query)).all()
            for result_id, doc, public, status, entry_row in rows:
                entry = records.entry_from_row(entry_row) if entry_row is not None else None
                verifier.record(result_id, doc, bool(public), status, entry)
            if len(rows) < _VERIFY_CHUNK:
                break
            after = rows[-1][0]
        # A record's latest link must be the one it points at, and no link may
        # point at a record that is gone.
        latest = (
            select(ChainEntryRow.result_id, func.max(ChainEntryRow.seq).label("last"))
            .where(ChainEntryRow.agency_code == agency_code)
            .group_by(ChainEntryRow.result_id)
            .subquery()
        )
        mismatched = (
            await session.exec(
                select(latest.c.result_id, latest.c.last, ResultRow.chain_seq)
                .join(ResultRow, ResultRow.id == latest.c.result_id, isouter=True)
                .where((ResultRow.id.is_(None)) | (ResultRow.chain_seq != latest.c.last))
                .limit(verifier.max_problems)
            )
        ).all()
        for result_id, last, seq in mismatched:
            if seq is None:
                verifier.problem(last, result_id, "chained record is missing from the store")
            else:
                verifier.problem(last, result_id, f"record points at link {seq}, its latest is {last}")


_VERIFY_CHUNK = 2000


def _page_size(page) -> int:
    page_size = page.page_size or limits.DEFAULT_PAGE_SIZE
    if not 0 < page_size <= limits.MAX_PAGE_SIZE:
        raise invalid("page.page_size", f"must be between 1 and {limits.MAX_PAGE_SIZE}")
    return page_size


def _encode_token(first: str, second: str) -> str:
    return base64.urlsafe_b64encode(f"{first}|{second}".encode()).decode().rstrip("=")


def _decode_token(token: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        first, second = raw.split("|", 1)
    except Exception as exc:
        raise invalid("page.page_token", "is not a cursor this service issued") from exc
    return first, second


def _encode_cursor(decision_date: str, result_id: str) -> str:
    return _encode_token(decision_date, result_id)


def _decode_cursor(token: str) -> tuple[str, str]:
    date, result_id = _decode_token(token)
    if domain.parse_date(date) is None:
        raise invalid("page.page_token", "is not a cursor this service issued")
    return date, result_id


# ------------------------------------------------------------ ListResults, at the end of the module

# Totals of ListResults are exact up to this many records, then reported as a lower bound.
LIST_COUNT_CAP = limits.SEARCH_COUNT_CAP
_RESULTS = ResultRow.__table__


@dataclass(frozen=True)
class _Listing:
    """The statements of one shape of ListResults request (which filters, a cursor or not),
    built once with bound parameters: a call only binds its values."""

    count: object  # the count, capped at :count_cap (LIST_COUNT_CAP + 1)
    page_few: object  # the page when the count is at most LIST_COUNT_CAP
    page_many: object  # the page when it is more
    page_with_count: object | None  # the page with the count as a 4th column, when both pages are one


def _listing_statements(
    request: pb.ListResultsRequest, page_size: int, *, sqlite: bool
) -> tuple[_Listing, dict]:
    """The statements and parameters of one ListResults call (its filters validated)."""
    params: dict = {"limit": page_size + 1, "count_cap": LIST_COUNT_CAP + 1}
    for name in ("agency_code", "region_code", "category"):
        if getattr(request, name):
            params[name] = getattr(request, name)
    for name in ("decided_from", "decided_to"):
        value = getattr(request, name)
        if value:
            if domain.parse_date(value) is None:
                raise invalid(name, "must be a date in the form YYYY-MM-DD")
            params[name] = value
    if request.page.page_token:
        params["cursor_date"], params["cursor_id"] = _decode_cursor(request.page.page_token)
    key = (frozenset(params), sqlite)
    listing = _LISTING_SHAPES.get(key)
    if listing is None:
        listing = _LISTING_SHAPES[key] = _listing_shape(*key)
    return listing, params


_LISTING_SHAPES: dict[tuple[frozenset[str], bool], _Listing] = {}  # at most 2^6 shapes x 2 back-ends


def _listing_shape(names: frozenset[str], sqlite: bool) -> _Listing:
    """On SQLite (no ANALYZE needed):
    - no filter, or dates: the page walks ix_results_public_order, the count the covering
      (public, ...) index and stops at the cap; one statement does both;
    - an agency: page and count walk ix_results_agency_order (agency, date, id: the order);
    - a region: the count walks ix_results_region_code; the page walks the public order and
      stops at the page when the region holds more than the cap, else it sorts the region's
      (at most LIST_COUNT_CAP) rows from ix_results_region_code instead of walking past
      every other region's rows: the only case where the count comes first."""
    c = _RESULTS.c
    # `public` where SQLite must not pick an index by it: with an agency or a region filter
    # the index of that column is the one to walk (without statistics SQLite prefers the
    # (public, ...) indexes, which hold every public row).
    public_not_indexed = literal_column("+results.public") == 1
    public = c.public.is_(True)
    filters = [
        getattr(c, n) == bindparam(n) for n in ("agency_code", "region_code", "category") if n in names
    ]
    if "decided_from" in names:
        filters.append(c.decision_date >= bindparam("decided_from"))
    if "decided_to" in names:
        filters.append(c.decision_date <= bindparam("decided_to"))
    # Stable order: newest decision first, then id; the cursor is the last row seen.
    cursor = (
        [tuple_(c.decision_date, c.id) < tuple_(bindparam("cursor_date"), bindparam("cursor_id"))]
        if "cursor_date" in names
        else []
    )
    narrow = sqlite and bool({"agency_code", "region_code"} & names)
    capped = select(c.id).where(public_not_indexed if narrow else public, *filters)
    count = select(func.count()).select_from(capped.limit(bindparam("count_cap")).subquery())

    def page(by_own_index: bool, *columns):
        return (
            select(c.doc, c.decision_date, c.id, *columns)
            .where(public_not_indexed if sqlite and by_own_index else public, *filters, *cursor)
            .order_by(c.decision_date.desc(), c.id.desc())
            .limit(bindparam("limit"))
        )

    agency = "agency_code" in names
    if sqlite and "region_code" in names and not agency:
        return _Listing(count, page(True), page(False), None)
    return _Listing(count, page(agency), page(agency), page(agency, count.scalar_subquery()))


def _listing_response(rows, page_size: int, total: int) -> pb.ListResultsResponse:
    response = pb.ListResultsResponse(
        total=min(total, LIST_COUNT_CAP), total_is_lower_bound=total > LIST_COUNT_CAP
    )
    # The stored docs are Result messages: concatenated as field 1 they parse in one call.
    response.MergeFromString(
        b"".join(
            records.wrap_field(pb.ListResultsResponse.RESULTS_FIELD_NUMBER, row[0])
            for row in rows[:page_size]
        )
    )
    if len(rows) > page_size:
        last = rows[page_size - 1]
        response.next_page_token = _encode_cursor(last[1], last[2])
    return response

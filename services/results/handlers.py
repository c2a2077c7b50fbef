"""Use cases of the results service that bring decisions in and read them out:
publish (one or a batch), register ahead of publication, and the public
reads (records, lists, history, takedown log, the hash chain).

Publishing one decision and a bulk stream take the same path, `publish_batch`:
a batch is validated and masked outside the transaction, then stored with
bulk inserts (rows, versions, chain links, outbox, audit, search) in ONE
transaction; idempotency stays per item (agency + document number).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, insert, tuple_
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from gongshi.v1 import results_pb2 as pb
from services.results import domain, records, search
from services.results.chain import Verifier
from services.results.duty_items import check_duty_item
from services.results.models import (
    AgencyCopy,
    ChainEntryRow,
    ChainHeadRow,
    ResultPrivateRow,
    ResultRow,
    ResultVersionRow,
)
from services.results.policy import PublicationPolicy, RegionPolicies
from services.runtime import events as ev
from services.runtime import limits
from services.runtime.app import ServiceRuntime
from services.runtime.audit import AuditRow
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.calendar import WorkingDayCalendar, default_calendar
from services.runtime.clock import CHINA_TZ, isoformat
from services.runtime.errors import DomainError, FailedPrecondition, NotFound, invalid
from services.runtime.ids import new_id
from services.runtime.masking import AppliedRule
from services.runtime.outbox import OutboxRow

SERVICE = "results"


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
class Draft:
    """One pushed decision, validated and masked, ready to store."""

    index: int
    agency: AgencyCopy
    decision: pb.Decision
    masked: pb.Decision
    applied: list[AppliedRule]
    withheld_kind: str
    withheld_reason: str
    tier: int
    deadline: dt.date
    deadline_note: str
    policy: PublicationPolicy

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
class _Batch:
    """Rows of one transaction, inserted in bulk at its end."""

    results: list[dict] = field(default_factory=list)
    private: list[dict] = field(default_factory=list)
    versions: list[dict] = field(default_factory=list)
    chain: list[dict] = field(default_factory=list)
    outbox: list[dict] = field(default_factory=list)
    audit: list[dict] = field(default_factory=list)
    search: list[dict] = field(default_factory=list)
    # Registered (PENDING) records being published: (row, private values, view).
    updates: list[tuple[ResultRow, dict, pb.Result]] = field(default_factory=list)

    async def insert(self, session) -> None:
        for row, private, result in self.updates:
            session.add(row)
            stored = await session.get(ResultPrivateRow, row.id)
            stored.decision, stored.redaction_log = private["decision"], private["redaction_log"]
            stored.non_publication_reason = private["non_publication_reason"]
            session.add(stored)
            await search.index_result(session, result, public=result.status in domain.PUBLIC_STATUSES)
        for table, rows in (
            (ResultRow.__table__, self.results),
            (ResultPrivateRow.__table__, self.private),
            (ResultVersionRow.__table__, self.versions),
            (ChainEntryRow.__table__, self.chain),
            (OutboxRow.__table__, self.outbox),
            (AuditRow.__table__, self.audit),
            (search.ResultSearchRow.__table__, self.search),
        ):
            if rows:
                await session.exec(insert(table), params=rows)


@dataclass
class ResultsHandlers:
    runtime: ServiceRuntime
    agencies: AgencyDirectory
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

    async def publish_decision(
        self, principal: Principal | None, agency_code: str, decision: pb.Decision
    ) -> tuple[pb.Result, bool]:
        (outcome,) = await self.publish_batch(principal, [(agency_code, decision)])
        if outcome.error is not None:
            raise outcome.error
        return outcome.result, outcome.created

    async def register_decision(
        self, principal: Principal | None, agency_code: str, decision: pb.Decision
    ) -> tuple[pb.Result, bool]:
        (outcome,) = await self.publish_batch(principal, [(agency_code, decision)], register=True)
        if outcome.error is not None:
            raise outcome.error
        return outcome.result, outcome.created

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
        now = self.runtime.clock.now()
        outcomes = [Outcome() for _ in items]
        drafts: list[Draft] = []
        for index, (agency_code, decision) in enumerate(items):
            try:
                drafts.append(await self._draft(index, principal, agency_code, decision, now))
            except DomainError as exc:
                outcomes[index].error = exc
        if not drafts:
            return outcomes
        try:
            await self._store(principal, drafts, outcomes, now, register)
        except IntegrityError:
            if len(drafts) == 1:
                # A concurrent retry of the same push won the insert: answer with its record.
                draft = drafts[0]
                async with self.db.reader() as session:
                    existing = await _by_natural_key(session, *draft.key)
                if existing is None:
                    raise
                outcomes[draft.index] = Outcome(pb.Result.FromString(existing.doc), False)
            else:
                for draft in drafts:
                    (outcomes[draft.index],) = await self.publish_batch(
                        principal, [(draft.agency.code, draft.decision)], register=register
                    )
        self.runtime.relay.notify()
        return outcomes

    async def _draft(
        self, index: int, principal: Principal | None, agency_code: str, decision: pb.Decision, now
    ) -> Draft:
        agency_code = agency_code or (principal.agency_code if principal else "")
        require_agency_writer(principal, agency_code)
        agency = await self.agencies.get(agency_code)
        domain.validate_decision(decision, now.astimezone(CHINA_TZ).date())
        policy = self.policy(agency.region_code)
        decided = domain.parse_date(decision.decision_date)
        deadline, note = domain.publication_deadline(decision.category, decided, self.calendar)
        kind, reason = domain.non_publication(decision, policy)
        masked, applied = domain.mask_decision(decision, policy.masking)
        return Draft(
            index,
            agency,
            decision,
            masked,
            applied,
            kind,
            reason,
            domain.severity_of(decision, policy),
            deadline,
            note,
            policy,
        )

    async def _store(self, principal, drafts: list[Draft], outcomes: list[Outcome], now, register) -> None:
        stamp = isoformat(now)
        today = now.astimezone(CHINA_TZ).date()
        batch = _Batch()
        events = records.EventValues(now)
        operation = "RegisterDecision" if register else "PublishDecision"
        async with self.db.transaction("results.publish") as session:
            existing = await _existing(session, [d.key for d in drafts])
            seen: dict[tuple[str, str], int] = {}
            befores: dict[int, bytes] = {}
            to_chain: list[tuple[Draft, pb.Result, ResultRow | None]] = []
            for draft in drafts:
                outcome = outcomes[draft.index]
                if draft.key in seen:
                    # The same decision twice in one batch: the later one is a retry.
                    outcome.result, outcome.created = outcomes[seen[draft.key]].result, False
                    continue
                seen[draft.key] = draft.index
                row = existing.get(draft.key)
                if row is not None and not (row.status == pb.RESULT_STATUS_PENDING and not register):
                    outcome.result, outcome.created = pb.Result.FromString(row.doc), False
                    continue
                try:
                    await check_duty_item(session, draft.agency.code, draft.decision.duty_item_code)
                except FailedPrecondition as exc:
                    outcome.error = exc
                    del seen[draft.key]
                    continue
                result = self._view(draft, row.id if row else new_id(), now, today, register)
                if row is not None:
                    befores[draft.index] = row.doc
                    result.registered_at = pb.Result.FromString(row.doc).registered_at
                outcome.result, outcome.created = result, True
                if result.status == pb.RESULT_STATUS_PUBLISHED:
                    to_chain.append((draft, result, row))
                else:
                    self._stage(batch, draft, result, row, now, events)
            if to_chain:
                # Lock chain heads last (sorted, so two batches never wait on each other in a circle).
                heads = {
                    code: await records.lock_head(session, code)
                    for code in sorted({d.agency.code for d, _, _ in to_chain})
                }
                for draft, result, row in to_chain:
                    entry = heads[draft.agency.code].append(result, "published", "", stamp)
                    batch.chain.append(records.entry_values(entry))
                    batch.versions.append(
                        dict(
                            result_id=result.id,
                            version=result.version,
                            kind="published",
                            reason="",
                            doc=result.SerializeToString(),
                            chain_seq=entry.seq,
                            created_at=now,
                        )
                    )
                    self._stage(batch, draft, result, row, now, events)
                    batch.outbox.append(
                        events(
                            ev.Event(
                                ev.subject(SERVICE, "published", draft.agency.code),
                                pb.ResultPublished(result=result),
                            )
                        )
                    )
                for head in heads.values():
                    await records.save_head(session, head)
            for draft in drafts:
                outcome = outcomes[draft.index]
                if outcome.created and seen.get(draft.key) == draft.index:
                    batch.audit.append(
                        records.audit_values(
                            principal,
                            operation=operation,
                            record_id=outcome.result.id,
                            before=befores.get(draft.index),
                            after=outcome.result,
                            now=now,
                        )
                    )
            await batch.insert(session)

    def _view(self, draft: Draft, result_id: str, now, today: dt.date, register: bool) -> pb.Result:
        status = (
            pb.RESULT_STATUS_NOT_PUBLISHED
            if draft.withheld_kind
            else pb.RESULT_STATUS_PENDING
            if register
            else pb.RESULT_STATUS_PUBLISHED
        )
        result = domain.public_view(
            result_id,
            draft.agency.code,
            draft.agency.region_code,
            draft.masked,
            status=status,
            deadline=draft.deadline,
            deadline_note=draft.deadline_note,
        )
        result.severity = draft.tier
        result.updated_at = isoformat(now)
        if status == pb.RESULT_STATUS_PUBLISHED:
            span = domain.publicity_span(draft.decision, draft.tier, today, draft.policy)
            domain.publish_record(
                result, published_at=isoformat(now), published_on=today, tier=draft.tier, span=span
            )
        elif status == pb.RESULT_STATUS_PENDING:
            result.registered_at = isoformat(now)
        return result

    def _stage(
        self, batch: _Batch, draft: Draft, result: pb.Result, row: ResultRow | None, now, events
    ) -> None:
        """Queue the rows of one record: a new one is inserted in bulk; a
        registered one being published is updated in place."""
        private = dict(
            result_id=result.id,
            decision=draft.decision.SerializeToString(),
            non_publication_reason=draft.withheld_reason,
            redaction_log=json.dumps([asdict(rule) for rule in draft.applied]),
        )
        if row is None:
            batch.results.append(
                dict(
                    id=result.id,
                    agency_code=draft.agency.code,
                    document_number=draft.decision.document_number,
                    created_at=now,
                    updated_at=now,
                    non_publication_kind=draft.withheld_kind,
                    overdue_at=None,
                    **records.column_values(result),
                )
            )
            batch.private.append(private)
            batch.search.append(search._facets(result, result.status in domain.PUBLIC_STATUSES))
        else:
            records.sync_columns(row, result, now)
            row.non_publication_kind = draft.withheld_kind
            batch.updates.append((row, private, result))

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
        page_size = _page_size(request.page)
        filters = [ResultRow.public.is_(True)]
        if request.agency_code:
            filters.append(ResultRow.agency_code == request.agency_code)
        if request.region_code:
            filters.append(ResultRow.region_code == request.region_code)
        if request.category:
            filters.append(ResultRow.category == request.category)
        for name, op in (("decided_from", "__ge__"), ("decided_to", "__le__")):
            value = getattr(request, name)
            if value:
                if domain.parse_date(value) is None:
                    raise invalid(name, "must be a date in the form YYYY-MM-DD")
                filters.append(getattr(ResultRow.decision_date, op)(value))
        page_filters = list(filters)
        if request.page.page_token:
            date, result_id = _decode_cursor(request.page.page_token)
            # Stable order: newest decision first, then id; the cursor is the last row seen.
            page_filters.append(tuple_(ResultRow.decision_date, ResultRow.id) < (date, result_id))
        query = (
            select(ResultRow.doc, ResultRow.decision_date, ResultRow.id)
            .where(*page_filters)
            .order_by(ResultRow.decision_date.desc(), ResultRow.id.desc())
            .limit(page_size + 1)
        )
        async with self.db.reader() as session:
            rows = (await session.exec(query)).all()
            total = await session.scalar(select(func.count()).select_from(ResultRow).where(*filters))
        response = pb.ListResultsResponse(total=total)
        for doc, _, _ in rows[:page_size]:
            response.results.append(pb.Result.FromString(doc))
        if len(rows) > page_size:
            last = rows[page_size - 1]
            response.next_page_token = _encode_cursor(last[1], last[2])
        return response

    async def get_history(self, result_id: str) -> pb.ResultHistory:
        """Every published version and every change of a record. Once a record
        has left publication, only the changes (kinds, reasons, dates) remain."""
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
            versions = []
            if row.public:
                versions = (
                    await session.exec(
                        select(ResultVersionRow.doc)
                        .where(ResultVersionRow.result_id == result_id)
                        .order_by(ResultVersionRow.version)
                    )
                ).all()
        history = pb.ResultHistory(id=result_id, status=row.status)
        history.versions.extend(pb.Result.FromString(doc) for doc in versions)
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


async def _by_natural_key(session, agency_code: str, document_number: str) -> ResultRow | None:
    query = select(ResultRow).where(
        ResultRow.agency_code == agency_code, ResultRow.document_number == document_number
    )
    return (await session.exec(query)).first()


async def _existing(session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], ResultRow]:
    found: dict[tuple[str, str], ResultRow] = {}
    by_agency: dict[str, list[str]] = {}
    for agency_code, number in keys:
        by_agency.setdefault(agency_code, []).append(number)
    for agency_code, numbers in by_agency.items():
        for start in range(0, len(numbers), 500):
            query = select(ResultRow).where(
                ResultRow.agency_code == agency_code,
                ResultRow.document_number.in_(numbers[start : start + 500]),
            )
            for row in (await session.exec(query)).all():
                found[(row.agency_code, row.document_number)] = row
    return found


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

"""Bringing decisions in: publish (one or a batch) and register ahead of
publication. Mixed into ResultsHandlers (handlers.py).

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

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from opentelemetry import trace
from sqlalchemy.exc import IntegrityError

from gongshi.v1 import results_pb2 as pb
from services.results import domain, duty_items, records, store
from services.results.group_commit import GroupCommitter
from services.results.models import AgencyCopy
from services.results.policy import PublicationPolicy
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.clock import CHINA_TZ, isoformat
from services.runtime.errors import DomainError
from services.runtime.ids import new_id
from services.runtime.telemetry import current_trace_id, tracer

_tracer = tracer(__name__)


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


class Publishing:
    """PublishDecision, RegisterDecision and bulk streams; uses ResultsHandlers'
    runtime, agencies, indexer, policies and calendar."""

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

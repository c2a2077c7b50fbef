"""Every write of a versioned record, the same way for every kind: check the
caller, validate, plan (publication.py), save the version, its outbox event
and its audit entry in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from google.protobuf.message import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import common_pb2
from services.runtime import audit, publication
from services.runtime import events as ev
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.errors import DomainError, FieldViolation, InvalidArgument, invalid
from services.runtime.outbox import enqueue
from services.runtime.publication import Plan, VersionState
from services.runtime.versioned.spec import RecordSpec
from services.runtime.versioned.store import VersionedStore
from services.runtime.versioned.tables import RecordStateBase, RecordVersionBase


@dataclass(frozen=True)
class PutItem:
    message: Message
    reason: str = ""
    publish: bool = False


@dataclass
class PutOutcome:
    """What became of one put: the record as stored (changed or not), or an error."""

    record: Message | None = None
    changed: bool = False
    error: DomainError | None = None


@dataclass(frozen=True)
class _Prepared:
    content: Message
    agency_code: str
    code: str
    region_code: str
    item: PutItem


RegionOf = Callable[[str], Awaitable[str]]


@dataclass
class RecordWriter:
    """Every write of a versioned record, the same way for every kind."""

    service: str
    runtime: object  # services.runtime.app.ServiceRuntime (not imported: it imports grpc)
    store: VersionedStore
    # The agency's region; raises FailedPrecondition when the agency is unknown.
    region_of: RegionOf
    specs: dict[int, RecordSpec] = field(default_factory=dict)

    def spec(self, kind: int) -> RecordSpec:
        spec = self.specs.get(kind)
        if spec is None:
            raise invalid("kind", f"this service keeps no records of kind {kind}")
        return spec

    @property
    def db(self):
        return self.runtime.db

    def owner(self, principal: Principal | None, agency_code: str) -> str:
        """The agency the write is for; an agency writes only its own records."""
        code = agency_code or (principal.agency_code if principal else "")
        require_agency_writer(principal, code)
        return code

    async def put(
        self, principal: Principal | None, spec: RecordSpec, message: Message, reason: str, publish: bool
    ) -> tuple[Message, bool]:
        (outcome,) = await self.put_many(principal, spec, [PutItem(message, reason, publish)])
        if outcome.error is not None:
            raise outcome.error
        return outcome.record, outcome.changed

    async def put_many(
        self, principal: Principal | None, spec: RecordSpec, items: Sequence[PutItem]
    ) -> list[PutOutcome]:
        """Store many records in ONE transaction, one outcome per item in order.

        A bad item (invalid, not the caller's, citing an unknown record) gets
        its errors and never stops the others; an unexpected failure of the
        batch falls back to one transaction per item, so each still gets its
        exact outcome.
        """
        outcomes = [PutOutcome() for _ in items]
        ready: list[tuple[int, _Prepared]] = []
        regions: dict[str, str] = {}
        for index, item in enumerate(items):
            try:
                ready.append((index, await self._prepare(principal, spec, item, regions)))
            except DomainError as exc:
                outcomes[index].error = exc
        if not ready:
            return outcomes
        try:
            async with self.db.transaction(f"{self.service}.put_{spec.label}") as session:
                for index, prepared in ready:
                    outcomes[index] = await self._store_one(session, principal, spec, prepared)
        except Exception:
            if len(ready) == 1:
                raise
            for index, prepared in ready:
                async with self.db.transaction(f"{self.service}.put_{spec.label}") as session:
                    outcomes[index] = await self._store_one(session, principal, spec, prepared)
        return outcomes

    async def _prepare(
        self, principal: Principal | None, spec: RecordSpec, item: PutItem, regions: dict[str, str]
    ) -> _Prepared:
        """Everything that needs no transaction: who, is it well-formed, where."""
        agency_code = self.owner(principal, item.message.agency_code)
        violations = _violations(spec.validate, item.message)
        try:
            publication.check_reason(item.reason, required=False)
        except InvalidArgument as exc:
            violations.extend(exc.violations)
        if violations:
            raise InvalidArgument(violations)
        if agency_code not in regions:
            regions[agency_code] = await self.region_of(agency_code)
        content = type(item.message)()
        content.CopyFrom(item.message)
        content.agency_code = agency_code
        return _Prepared(content, agency_code, spec.code(content), regions[agency_code], item)

    async def _store_one(
        self, session: AsyncSession, principal: Principal | None, spec: RecordSpec, prepared: _Prepared
    ) -> PutOutcome:
        agency_code, code, content, item = (
            prepared.agency_code,
            prepared.code,
            prepared.content,
            prepared.item,
        )
        now = self.runtime.clock.now()
        state = await self.store.state(session, spec.kind, agency_code, code)
        latest_row, public_row = await self.store._states(session, state)
        digest = publication.content_hash(spec.content(content))
        try:
            plan = publication.plan_put(
                _vs(latest_row), _vs(public_row), digest, publish=item.publish, reason=item.reason
            )
            if not plan.changed:
                return PutOutcome(self.store.view(spec, state, latest_row), False)
            # Checks only read, so a refused item leaves nothing behind in the batch.
            await spec.check(session, content)
        except DomainError as exc:
            return PutOutcome(error=exc)
        view = await self._save(
            session,
            principal,
            spec,
            state,
            plan,
            operation="Put",
            agency_code=agency_code,
            code=code,
            region_code=prepared.region_code,
            content=content,
            reason=item.reason,
            before=latest_row.doc if latest_row is not None else None,
            now=now,
        )
        return PutOutcome(view, True)

    async def change_status(
        self, principal: Principal | None, request: common_pb2.ChangeStatusRequest, *, retire: bool
    ) -> common_pb2.ChangeStatusResponse:
        spec = self.spec(request.kind)
        agency_code = self.owner(principal, request.agency_code)
        if not request.code:
            raise invalid("code", "is required")
        now = self.runtime.clock.now()
        async with self.db.transaction(f"{self.service}.{'retire' if retire else 'publish'}") as session:
            state = await self.store.state(session, spec.kind, agency_code, request.code)
            latest_row, public_row = await self.store._states(session, state)
            what = f"{spec.label} {request.code} of agency {agency_code}"
            if retire:
                plan = publication.plan_retire(_vs(latest_row), _vs(public_row), what, request.reason)
            else:
                plan = publication.plan_publish(_vs(latest_row), _vs(public_row), what)
                publication.check_reason(request.reason, required=False)
            if not plan.changed:
                shown = (
                    latest_row
                    if not retire
                    else await self.store.version(
                        session,
                        spec.kind,
                        agency_code,
                        request.code,
                        state.shown_version or state.latest_version,
                    )
                )
                return common_pb2.ChangeStatusResponse(
                    publication=self.store.view(spec, state, shown).publication, changed=False
                )
            if plan.publish:
                await spec.check(session, spec.message.FromString(latest_row.doc))
            view = await self._save(
                session,
                principal,
                spec,
                state,
                plan,
                operation="Retire" if retire else "Publish",
                agency_code=agency_code,
                code=request.code,
                region_code=await self.region_of(agency_code),
                content=None,
                reason=request.reason,
                before=None,
                now=now,
            )
        return common_pb2.ChangeStatusResponse(publication=view.publication, changed=True)

    async def _save(
        self,
        session: AsyncSession,
        principal: Principal | None,
        spec: RecordSpec,
        state: RecordStateBase | None,
        plan: Plan,
        *,
        operation: str,
        agency_code: str,
        code: str,
        region_code: str,
        content: Message | None,
        reason: str,
        before: bytes | None,
        now: dt.datetime,
    ) -> Message:
        """The end of every write: store the planned change, audit it (as
        `<operation><Kind>`) and announce it; the record as readers see it."""
        state, row = await self.store.apply(
            session,
            spec,
            state,
            plan,
            agency_code=agency_code,
            code=code,
            region_code=region_code,
            content=content,
            reason=reason,
            now=now,
        )
        view = self.store.view(spec, state, row)
        audit.record(
            session,
            principal,
            operation=f"{operation}{_camel(spec.label)}",
            record_type=spec.label,
            record_id=f"{agency_code}/{code}",
            before=before,
            after=view,
            now=now,
        )
        await self._announce(session, principal, spec, plan, view, now)
        return view

    async def _announce(
        self,
        session: AsyncSession,
        principal: Principal | None,
        spec: RecordSpec,
        plan: Plan,
        view: Message,
        now: dt.datetime,
    ) -> None:
        """The public event of a change (drafts are private and announce nothing)."""
        if not plan.event:
            return
        enqueue(
            session,
            ev.Event(
                ev.subject(self.service, f"{spec.label}_{plan.event}", view.agency_code),
                spec.event_message(plan.event, view, plan.supersedes),
            ),
            source=self.service,
            now=now,
        )
        await spec.after_change(session, principal, view, plan.event, now)


def _vs(row: RecordVersionBase | None) -> VersionState | None:
    return None if row is None else VersionState(row.version, row.status, row.content_hash)


def _violations(validate: Callable[[Message], None], message: Message) -> list[FieldViolation]:
    try:
        validate(message)
    except InvalidArgument as exc:
        return list(exc.violations)
    return []


def _camel(label: str) -> str:
    return "".join(part.title() for part in label.split("_"))

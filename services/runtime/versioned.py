"""Storage and use cases of versioned ex-ante records, written once for the
duties and procedures services (the rules are in publication.py).

A service declares its two tables (current state and versions, each named
for the service) on the bases below, and one RecordSpec per kind of record;
RecordWriter then does every write the same way: check the caller, validate,
plan, save the version, its outbox event and its audit entry in one
transaction. Reads compose the stored content with its publication envelope,
so a published version's bytes are never rewritten.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from google.protobuf.message import Message
from sqlalchemy import LargeBinary, and_, func
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import duties_pb2
from services.runtime import audit, limits, publication
from services.runtime import events as ev
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.clock import isoformat
from services.runtime.errors import DomainError, FieldViolation, InvalidArgument, NotFound, invalid
from services.runtime.outbox import enqueue
from services.runtime.publication import Plan, VersionState

# ---- tables ----------------------------------------------------------------


class RecordStateBase(SQLModel):
    """The current state of one record: which version is newest, which is
    public, plus the columns lists filter on (copied from the public version)."""

    kind: int = Field(primary_key=True)
    agency_code: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=64)
    latest_version: int
    # The PUBLISHED version (0: none, e.g. retired or draft only).
    public_version: int = 0
    # The version "current" shows: the published one, else the last retired one.
    shown_version: int = 0
    name: str = Field(default="", max_length=limits.SHORT_TEXT)
    category: int = 0
    region_code: str = Field(default="", max_length=12)
    ref_code: str = Field(default="", max_length=64)
    # Set by the platform (e.g. a cited instrument was repealed); cleared by a new publication.
    review_reason: str = ""
    updated_at: dt.datetime


class RecordVersionBase(SQLModel):
    kind: int = Field(primary_key=True)
    agency_code: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=64)
    version: int = Field(primary_key=True)
    status: int
    reason: str = ""
    content_hash: str = Field(max_length=64)
    # The agency's content (no envelope): immutable once the version is published.
    doc: bytes = Field(sa_type=LargeBinary)
    created_at: dt.datetime
    published_at: dt.datetime | None = None
    superseded_at: dt.datetime | None = None
    retired_at: dt.datetime | None = None
    retire_reason: str = ""
    record_hash: str = Field(default="", max_length=64)
    previous_hash: str = Field(default="", max_length=64)


# ---- what a kind of record is ---------------------------------------------

Check = Callable[[AsyncSession, Message], Awaitable[None]]
# (session, principal, the changed version as readers see it, event, now)
AfterChange = Callable[[AsyncSession, Principal | None, Message, str, dt.datetime], Awaitable[None]]


async def _no_check(_session: AsyncSession, _message: Message) -> None:
    return None


async def _no_after(_s: AsyncSession, _p: Principal | None, _m: Message, _e: str, _n: dt.datetime) -> None:
    return None


@dataclass(frozen=True)
class RecordSpec:
    kind: int
    # snake_case name: event subjects (<label>_published), audit record type, field prefix.
    label: str
    message: type[Message]
    # The field of the event messages that holds the record.
    event_field: str
    events: tuple[type[Message], type[Message], type[Message]]  # published, revised, retired
    validate: Callable[[Message], None]
    name_of: Callable[[Message], str]
    code_field: str = "code"
    category_of: Callable[[Message], int] = lambda _m: 0
    ref_of: Callable[[Message], str] = lambda _m: ""
    # Fields the service sets; never part of the agency's content.
    derived_fields: tuple[str, ...] = ("publication", "region_code")
    # Hooks: reference checks before storing; effects after a public change.
    check: Check = _no_check
    after_change: AfterChange = _no_after

    def code(self, message: Message) -> str:
        return getattr(message, self.code_field)

    def content(self, message: Message) -> bytes:
        copy = type(message)()
        copy.CopyFrom(message)
        for name in self.derived_fields:
            copy.ClearField(name)
        return copy.SerializeToString(deterministic=True)

    def event_message(self, event: str, record: Message, previous_version: int = 0) -> Message:
        published, revised, retired = self.events
        kind = {"published": published, "revised": revised, "retired": retired}[event]
        message = kind(**{self.event_field: record})
        if event == "revised":
            message.previous_version = previous_version
        return message


@dataclass
class PageQuery:
    page_size: int
    token: str = ""


def page_query(page) -> PageQuery:
    size = page.page_size or limits.DEFAULT_PAGE_SIZE
    if not 0 < size <= limits.MAX_PAGE_SIZE:
        raise invalid("page.page_size", f"must be between 1 and {limits.MAX_PAGE_SIZE}")
    return PageQuery(size, page.page_token)


def _encode(*parts: str) -> str:
    return base64.urlsafe_b64encode("|".join(parts).encode()).decode().rstrip("=")


def _decode(token: str, count: int) -> list[str]:
    try:
        parts = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split("|")
    except Exception as exc:
        raise invalid("page.page_token", "is not a cursor this service issued") from exc
    if len(parts) != count:
        raise invalid("page.page_token", "is not a cursor this service issued")
    return parts


@dataclass
class ListFilter:
    agency_code: str = ""
    region_code: str = ""
    category: int = 0
    ref_code: str = ""
    # Substring of the record's name.
    query: str = ""
    needs_review: bool = False


@dataclass
class Listing:
    records: list[Message]
    next_page_token: str
    total: int


# ---- storage ---------------------------------------------------------------


@dataclass
class VersionedStore:
    state_table: type[RecordStateBase]
    version_table: type[RecordVersionBase]

    async def state(self, session: AsyncSession, kind: int, agency: str, code: str) -> RecordStateBase | None:
        return await session.get(self.state_table, (kind, agency, code))

    async def version(
        self, session: AsyncSession, kind: int, agency: str, code: str, version: int
    ) -> RecordVersionBase | None:
        return await session.get(self.version_table, (kind, agency, code, version))

    async def find_code(self, session: AsyncSession, kind: int, code: str) -> list[RecordStateBase]:
        """Records of a kind with this code in any agency (e.g. a certificate number)."""
        S = self.state_table
        return list((await session.exec(select(S).where(S.kind == kind, S.code == code))).all())

    async def _states(
        self, session: AsyncSession, state: RecordStateBase | None
    ) -> tuple[RecordVersionBase | None, RecordVersionBase | None]:
        if state is None:
            return None, None
        latest = await self.version(session, state.kind, state.agency_code, state.code, state.latest_version)
        public = (
            await self.version(session, state.kind, state.agency_code, state.code, state.public_version)
            if state.public_version
            else None
        )
        return latest, public

    def view(self, spec: RecordSpec, state: RecordStateBase, row: RecordVersionBase) -> Message:
        """A stored version as readers see it: content plus envelope."""
        message = spec.message.FromString(row.doc)
        message.agency_code = state.agency_code
        if hasattr(message, "region_code"):
            message.region_code = state.region_code
        p = message.publication
        p.version, p.status, p.reason = row.version, row.status, row.reason
        p.created_at = isoformat(row.created_at)
        p.published_at = isoformat(row.published_at) if row.published_at else ""
        p.superseded_at = isoformat(row.superseded_at) if row.superseded_at else ""
        p.retired_at = isoformat(row.retired_at) if row.retired_at else ""
        p.retire_reason, p.record_hash, p.previous_hash = (
            row.retire_reason,
            row.record_hash,
            row.previous_hash,
        )
        if state.review_reason and row.version == state.public_version and hasattr(message, "needs_review"):
            message.needs_review, message.review_reason = True, state.review_reason
        return message

    async def apply(
        self,
        session: AsyncSession,
        spec: RecordSpec,
        state: RecordStateBase | None,
        plan: Plan,
        *,
        agency_code: str,
        code: str,
        region_code: str,
        content: Message | None,
        reason: str,
        now: dt.datetime,
    ) -> tuple[RecordStateBase, RecordVersionBase]:
        """Carry out a plan; returns the state and the version the change was about."""
        V = self.version_table
        if state is None:
            state = self.state_table(
                kind=spec.kind, agency_code=agency_code, code=code, latest_version=0, updated_at=now
            )
        row = await self.version(session, spec.kind, agency_code, code, plan.version)
        if plan.write in ("new", "overwrite") and content is not None:
            doc = spec.content(content)
            if row is None:
                row = V(
                    kind=spec.kind,
                    agency_code=agency_code,
                    code=code,
                    version=plan.version,
                    status=publication.DRAFT,
                    content_hash="",
                    doc=b"",
                    created_at=now,
                )
            row.doc, row.content_hash = doc, publication.content_hash(doc)
            row.reason = reason or (publication.FIRST_VERSION_REASON if plan.version == 1 else "")
            state.latest_version = max(state.latest_version, plan.version)
            if not state.shown_version:
                _copy_columns(spec, state, content, region_code)
        if plan.publish:
            if reason and plan.write == "none":
                row.reason = reason
            if plan.supersedes:
                old = await self.version(session, spec.kind, agency_code, code, plan.supersedes)
                old.status, old.superseded_at = publication.REVISED, now
                session.add(old)
            # The last version ever published is the one "current" shows (published or retired).
            last = (
                await self.version(session, spec.kind, agency_code, code, state.shown_version)
                if state.shown_version and state.shown_version != plan.version
                else None
            )
            row.previous_hash = last.record_hash if last is not None else ""
            row.record_hash = publication.chain_hash(row.previous_hash, row.content_hash)
            row.status, row.published_at = publication.PUBLISHED, now
            state.public_version = state.shown_version = plan.version
            state.review_reason = ""  # a new publication is the agency's review
            _copy_columns(spec, state, spec.message.FromString(row.doc), region_code)
        if plan.retire:
            row = await self.version(session, spec.kind, agency_code, code, plan.retire)
            row.status, row.retired_at, row.retire_reason = publication.RETIRED, now, reason
            state.public_version = 0
            state.shown_version = plan.retire
        state.updated_at = now
        session.add(state)
        if row is not None:
            session.add(row)
        return state, row

    async def list_current(
        self, session: AsyncSession, spec: RecordSpec, where: ListFilter, page: PageQuery
    ) -> Listing:
        S, V = self.state_table, self.version_table
        filters = [S.kind == spec.kind, S.public_version > 0]
        if where.agency_code:
            filters.append(S.agency_code == where.agency_code)
        if where.region_code:
            filters.append(S.region_code == where.region_code)
        if where.category:
            filters.append(S.category == where.category)
        if where.ref_code:
            filters.append(S.ref_code == where.ref_code)
        if where.query:
            filters.append(S.name.contains(where.query, autoescape=True))
        if where.needs_review:
            filters.append(S.review_reason != "")
        page_filters = list(filters)
        if page.token:
            agency, code = _decode(page.token, 2)
            # Stable order (agency, code): the cursor is the last row seen.
            page_filters.append((S.agency_code > agency) | and_(S.agency_code == agency, S.code > code))
        query = (
            select(S, V)
            .join(
                V,
                and_(
                    V.kind == S.kind,
                    V.agency_code == S.agency_code,
                    V.code == S.code,
                    V.version == S.public_version,
                ),
            )
            .where(*page_filters)
            .order_by(S.agency_code, S.code)
            .limit(page.page_size + 1)
        )
        rows = (await session.exec(query)).all()
        total = await session.scalar(select(func.count()).select_from(S).where(*filters))
        records = [self.view(spec, state, row) for state, row in rows[: page.page_size]]
        token = ""
        if len(rows) > page.page_size:
            last = rows[page.page_size - 1][0]
            token = _encode(last.agency_code, last.code)
        return Listing(records, token, total or 0)

    async def list_versions(
        self,
        session: AsyncSession,
        spec: RecordSpec,
        agency: str,
        code: str,
        page: PageQuery,
        *,
        include_drafts: bool,
    ) -> Listing:
        state = await self.state(session, spec.kind, agency, code)
        if state is None or (not state.shown_version and not include_drafts):
            raise NotFound(f"no published {spec.label} {code} of agency {agency}")
        V = self.version_table
        filters = [V.kind == spec.kind, V.agency_code == agency, V.code == code]
        if not include_drafts:
            filters.append(V.status != publication.DRAFT)
        page_filters = list(filters)
        if page.token:
            (after,) = _decode(page.token, 1)
            if not after.isdigit():
                raise invalid("page.page_token", "is not a cursor this service issued")
            page_filters.append(V.version > int(after))
        query = select(V).where(*page_filters).order_by(V.version).limit(page.page_size + 1)
        rows = (await session.exec(query)).all()
        total = await session.scalar(select(func.count()).select_from(V).where(*filters))
        token = _encode(str(rows[page.page_size - 1].version)) if len(rows) > page.page_size else ""
        return Listing([self.view(spec, state, r) for r in rows[: page.page_size]], token, total or 0)

    async def get_public(
        self, session: AsyncSession, spec: RecordSpec, agency: str, code: str, version: int = 0
    ) -> Message:
        """The current public version (version 0) or a given non-draft version."""
        state = await self.state(session, spec.kind, agency, code)
        wanted = version or (state.shown_version if state else 0)
        row = await self.version(session, spec.kind, agency, code, wanted) if state and wanted else None
        if row is None or row.status == publication.DRAFT:
            what = f"version {version} of " if version else ""
            raise NotFound(f"no published {what}{spec.label} {code} of agency {agency}")
        return self.view(spec, state, row)


def _copy_columns(spec: RecordSpec, state: RecordStateBase, content: Message, region_code: str) -> None:
    state.name = spec.name_of(content)[: limits.SHORT_TEXT]
    state.category = spec.category_of(content)
    state.ref_code = spec.ref_of(content)[:64]
    state.region_code = region_code


# ---- use cases -------------------------------------------------------------


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
        self.runtime.relay.notify()
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
        before = latest_row.doc if latest_row is not None else None
        state, row = await self.store.apply(
            session,
            spec,
            state,
            plan,
            agency_code=agency_code,
            code=code,
            region_code=prepared.region_code,
            content=content,
            reason=item.reason,
            now=now,
        )
        view = self.store.view(spec, state, row)
        audit.record(
            session,
            principal,
            operation=f"Put{_camel(spec.label)}",
            record_type=spec.label,
            record_id=f"{agency_code}/{code}",
            before=before,
            after=view,
            now=now,
        )
        await self._announce(session, principal, spec, plan, view, now)
        return PutOutcome(view, True)

    async def change_status(
        self, principal: Principal | None, request: duties_pb2.ChangeStatusRequest, *, retire: bool
    ) -> duties_pb2.ChangeStatusResponse:
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
                return duties_pb2.ChangeStatusResponse(
                    publication=self.store.view(spec, state, shown).publication, changed=False
                )
            if plan.publish:
                await spec.check(session, spec.message.FromString(latest_row.doc))
            state, row = await self.store.apply(
                session,
                spec,
                state,
                plan,
                agency_code=agency_code,
                code=request.code,
                region_code=await self.region_of(agency_code),
                content=None,
                reason=request.reason,
                now=now,
            )
            view = self.store.view(spec, state, row)
            audit.record(
                session,
                principal,
                operation=f"{'Retire' if retire else 'Publish'}{_camel(spec.label)}",
                record_type=spec.label,
                record_id=f"{agency_code}/{request.code}",
                before=None,
                after=view,
                now=now,
            )
            await self._announce(session, principal, spec, plan, view, now)
        self.runtime.relay.notify()
        return duties_pb2.ChangeStatusResponse(publication=view.publication, changed=True)

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


class VersionedRecordsApi:
    """The use cases every service of versioned records offers the same way
    (status changes, reads, version history); a service's handlers inherit
    them and set `runtime`, `store` and `records`."""

    runtime: object
    store: VersionedStore
    records: RecordWriter

    async def change_status(
        self, principal: Principal | None, request: duties_pb2.ChangeStatusRequest, *, retire: bool
    ) -> duties_pb2.ChangeStatusResponse:
        return await self.records.change_status(principal, request, retire=retire)

    async def get_record(self, kind: int, request: duties_pb2.GetRecordRequest):
        if request.version < 0:
            raise invalid("version", "must not be negative")
        async with self.runtime.db.reader() as session:
            return await self.store.get_public(
                session, self.records.spec(kind), request.agency_code, request.code, request.version
            )

    async def list_records(self, kind: int, page, where: ListFilter) -> Listing:
        query = page_query(page)
        if len(where.query) > limits.SHORT_TEXT:
            raise invalid("query", f"is longer than {limits.SHORT_TEXT} characters")
        async with self.runtime.db.reader() as session:
            return await self.store.list_current(session, self.records.spec(kind), where, query)

    async def list_versions(
        self, principal: Principal | None, kind: int, request: duties_pb2.ListVersionsRequest
    ) -> Listing:
        # The owning agency also sees its unpublished drafts; everybody else, what was public.
        own = (
            principal is not None
            and bool(request.agency_code)
            and principal.agency_code == request.agency_code
        )
        async with self.runtime.db.reader() as session:
            return await self.store.list_versions(
                session,
                self.records.spec(kind),
                request.agency_code,
                request.code,
                page_query(request.page),
                include_drafts=own,
            )

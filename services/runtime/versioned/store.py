"""Storage of versioned records: the current state and the versions of each
record, composed with their publication envelope on read (a published
version's bytes are never rewritten)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from google.protobuf.message import Message
from sqlalchemy import and_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.runtime import limits, publication
from services.runtime.clock import isoformat
from services.runtime.errors import NotFound, invalid
from services.runtime.paging import NOT_OURS, count_of, decode_token, encode_token, read_page
from services.runtime.publication import Plan
from services.runtime.versioned.paging import ListFilter, Listing, PageQuery
from services.runtime.versioned.spec import RecordSpec
from services.runtime.versioned.tables import RecordStateBase, RecordVersionBase


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
            agency, code = decode_token(page.token, 2)
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
        )
        found = await read_page(
            session,
            query,
            page.page_size,
            lambda last: encode_token(last[0].agency_code, last[0].code),
            count_of(S, filters),
        )
        return Listing(
            [self.view(spec, state, row) for state, row in found.rows], found.next_page_token, found.total
        )

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
            (after,) = decode_token(page.token, 1)
            if not after.isdigit():
                raise invalid("page.page_token", NOT_OURS)
            page_filters.append(V.version > int(after))
        query = select(V).where(*page_filters).order_by(V.version)
        found = await read_page(
            session, query, page.page_size, lambda last: encode_token(str(last.version)), count_of(V, filters)
        )
        return Listing([self.view(spec, state, r) for r in found.rows], found.next_page_token, found.total)

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

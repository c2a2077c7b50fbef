"""Agencies, registered and revised by administrators, read by anyone.
Mixed into DutiesHandlers (handlers.py)."""

from __future__ import annotations

from sqlmodel import select

from gongshi.v1 import duties_pb2 as pb
from services.duties import domain
from services.duties.kinds import SERVICE
from services.duties.models import AgencyRow, AgencyVersionRow
from services.duties.propagation import AGENCY_COPIES, await_copies
from services.runtime import audit, paging, publication
from services.runtime import events as ev
from services.runtime.auth import Principal, require_admin
from services.runtime.clock import isoformat
from services.runtime.errors import NotFound, invalid
from services.runtime.outbox import enqueue
from services.runtime.versioned import page_query


class Agencies:
    async def register_agency(
        self, principal: Principal | None, agency: pb.Agency, reason: str = ""
    ) -> tuple[pb.Agency, bool]:
        require_admin(principal)
        domain.validate_agency(agency)
        publication.check_reason(reason, required=False)
        now = self.runtime.clock.now()
        async with self.runtime.db.transaction("duties.register_agency") as session:
            row = await session.get(AgencyRow, agency.code)
            stored = pb.Agency()
            stored.CopyFrom(agency)
            stored.updated_at = isoformat(now)
            if row is not None:
                current = _agency_content(pb.Agency.FromString(row.doc))
                if current == _agency_content(agency):
                    return pb.Agency.FromString(row.doc), False
                stored.version = row.version + 1
                stored.change_reason = reason or "变更登记信息"
            else:
                stored.version = 1
                stored.change_reason = reason or "登记"
                row = AgencyRow(code=agency.code, region_code="", name="", version=0, doc=b"", updated_at=now)
            before = row.doc or None
            row.region_code, row.name, row.version = stored.region_code, stored.name, stored.version
            row.doc, row.updated_at = stored.SerializeToString(), now
            session.add(row)
            # Earlier versions stay readable: the current row is overwritten, the history is not.
            session.add(
                AgencyVersionRow(code=agency.code, version=stored.version, doc=row.doc, changed_at=now)
            )
            audit.record(
                session,
                principal,
                operation="RegisterAgency",
                record_type="agency",
                record_id=agency.code,
                before=before,
                after=stored,
                now=now,
            )
            event = ev.Event(
                ev.subject(SERVICE, "agency_registered", agency.code), pb.AgencyRegistered(agency=stored)
            )
            enqueue(session, event, source=SERVICE, now=now)
        await await_copies(self.runtime, event.event_id, event.subject, AGENCY_COPIES)
        return stored, True

    async def get_agency(self, code: str) -> pb.Agency:
        async with self.runtime.db.reader() as session:
            row = await session.get(AgencyRow, code)
        if row is None:
            raise NotFound(f"no agency with code {code}")
        return pb.Agency.FromString(row.doc)

    async def list_agencies(self, request: pb.ListAgenciesRequest) -> pb.ListAgenciesResponse:
        page_size = paging.page_size(request.page)
        filters = [AgencyRow.region_code == request.region_code] if request.region_code else []
        page_filters = list(filters)
        if request.page.page_token:
            page_filters.append(AgencyRow.code > request.page.page_token)
        query = select(AgencyRow.doc, AgencyRow.code).where(*page_filters).order_by(AgencyRow.code)
        async with self.runtime.db.reader() as session:
            found = await paging.read_page(
                session, query, page_size, lambda last: last.code, paging.count_of(AgencyRow, filters)
            )
        return pb.ListAgenciesResponse(
            agencies=[pb.Agency.FromString(row.doc) for row in found.rows],
            next_page_token=found.next_page_token,
            total=found.total,
        )

    async def list_agency_versions(
        self, request: pb.ListAgencyVersionsRequest
    ) -> pb.ListAgencyVersionsResponse:
        page = page_query(request.page)
        after = 0
        if page.token:
            if not page.token.isdigit():
                raise invalid("page.page_token", paging.NOT_OURS)
            after = int(page.token)
        async with self.runtime.db.reader() as session:
            if await session.get(AgencyRow, request.code) is None:
                raise NotFound(f"no agency with code {request.code}")
            filters = [AgencyVersionRow.code == request.code]
            query = (
                select(AgencyVersionRow.doc, AgencyVersionRow.version)
                .where(*filters, AgencyVersionRow.version > after)
                .order_by(AgencyVersionRow.version)
            )
            found = await paging.read_page(
                session,
                query,
                page.page_size,
                lambda last: str(last.version),
                paging.count_of(AgencyVersionRow, filters),
            )
        return pb.ListAgencyVersionsResponse(
            versions=[pb.Agency.FromString(row.doc) for row in found.rows],
            next_page_token=found.next_page_token,
            total=found.total,
        )


def _agency_content(agency: pb.Agency) -> pb.Agency:
    """An agency without what the service sets, to tell a real change from a retry."""
    content = pb.Agency()
    content.CopyFrom(agency)
    for name in ("version", "updated_at", "change_reason"):
        content.ClearField(name)
    return content

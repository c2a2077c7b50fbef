"""Use cases of the duties service."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from gongshi.v1 import common_pb2
from gongshi.v1 import duties_pb2 as pb
from services.duties import domain
from services.duties.models import AgencyRow
from services.runtime import audit, limits
from services.runtime import events as ev
from services.runtime.app import ServiceRuntime
from services.runtime.auth import CredentialRow, Principal, new_token, require_admin
from services.runtime.clock import isoformat
from services.runtime.errors import NotFound, invalid
from services.runtime.outbox import enqueue

SERVICE = "duties"


@dataclass
class DutiesHandlers:
    runtime: ServiceRuntime

    async def register_agency(self, principal: Principal | None, agency: pb.Agency) -> tuple[pb.Agency, bool]:
        require_admin(principal)
        domain.validate_agency(agency)
        now = self.runtime.clock.now()
        async with self.runtime.db.transaction("duties.register_agency") as session:
            row = await session.get(AgencyRow, agency.code)
            stored = pb.Agency()
            stored.CopyFrom(agency)
            stored.updated_at = isoformat(now)
            if row is not None:
                current = pb.Agency.FromString(row.doc)
                current.ClearField("version"), current.ClearField("updated_at")
                candidate = pb.Agency()
                candidate.CopyFrom(agency)
                candidate.ClearField("version"), candidate.ClearField("updated_at")
                if current == candidate:
                    return pb.Agency.FromString(row.doc), False
                stored.version = row.version + 1
            else:
                stored.version = 1
                row = AgencyRow(code=agency.code, region_code="", name="", version=0, doc=b"", updated_at=now)
            before = row.doc or None
            row.region_code, row.name, row.version = stored.region_code, stored.name, stored.version
            row.doc, row.updated_at = stored.SerializeToString(), now
            session.add(row)
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
            enqueue(
                session,
                ev.Event(
                    ev.subject(SERVICE, "agency_registered", agency.code), pb.AgencyRegistered(agency=stored)
                ),
                source=SERVICE,
                now=now,
            )
        self.runtime.relay.notify()
        return stored, True

    async def issue_credential(
        self, principal: Principal | None, request: pb.IssueCredentialRequest
    ) -> pb.IssueCredentialResponse:
        require_admin(principal)
        if request.role not in (common_pb2.ROLE_AGENCY, common_pb2.ROLE_OVERSIGHT):
            raise invalid("role", "must be ROLE_AGENCY or ROLE_OVERSIGHT")
        if request.role == common_pb2.ROLE_AGENCY and not request.agency_code:
            raise invalid("agency_code", "is required for an agency credential")
        if request.role == common_pb2.ROLE_OVERSIGHT and request.agency_code:
            raise invalid("agency_code", "must be empty for an oversight credential")
        now = self.runtime.clock.now()
        credential_id, token, digest = new_token()
        async with self.runtime.db.transaction("duties.issue_credential") as session:
            if request.agency_code and await session.get(AgencyRow, request.agency_code) is None:
                raise NotFound(f"no agency with code {request.agency_code}")
            session.add(
                CredentialRow(
                    credential_id=credential_id,
                    role=request.role,
                    agency_code=request.agency_code,
                    secret_sha256=digest,
                    issued_at=now,
                )
            )
            audit.record(
                session,
                principal,
                operation="IssueCredential",
                record_type="credential",
                record_id=credential_id,
                before=None,
                after=digest,
                now=now,
            )
            owner = request.agency_code or ev.PLATFORM_OWNER
            enqueue(
                session,
                ev.Event(
                    ev.subject("auth", "credential_issued", owner, internal=True),
                    pb.CredentialIssued(
                        credential_id=credential_id,
                        role=request.role,
                        agency_code=request.agency_code,
                        secret_sha256=digest,
                        issued_at=now.isoformat(),
                    ),
                ),
                source=SERVICE,
                now=now,
            )
        self.runtime.relay.notify()
        return pb.IssueCredentialResponse(credential_id=credential_id, token=token)

    async def revoke_credential(self, principal: Principal | None, credential_id: str) -> bool:
        require_admin(principal)
        now = self.runtime.clock.now()
        async with self.runtime.db.transaction("duties.revoke_credential") as session:
            row = await session.get(CredentialRow, credential_id)
            if row is None:
                raise NotFound(f"no credential with id {credential_id}")
            if row.revoked_at is not None:
                return False
            row.revoked_at = now
            session.add(row)
            audit.record(
                session,
                principal,
                operation="RevokeCredential",
                record_type="credential",
                record_id=credential_id,
                before=row.secret_sha256,
                after=None,
                now=now,
            )
            enqueue(
                session,
                ev.Event(
                    ev.subject(
                        "auth", "credential_revoked", row.agency_code or ev.PLATFORM_OWNER, internal=True
                    ),
                    pb.CredentialRevoked(
                        credential_id=credential_id, agency_code=row.agency_code, revoked_at=now.isoformat()
                    ),
                ),
                source=SERVICE,
                now=now,
            )
        self.runtime.authenticator.forget(credential_id)
        self.runtime.relay.notify()
        return True

    async def get_agency(self, code: str) -> pb.Agency:
        async with self.runtime.db.reader() as session:
            row = await session.get(AgencyRow, code)
        if row is None:
            raise NotFound(f"no agency with code {code}")
        return pb.Agency.FromString(row.doc)

    async def list_agencies(self, request: pb.ListAgenciesRequest) -> pb.ListAgenciesResponse:
        page_size = request.page.page_size or limits.DEFAULT_PAGE_SIZE
        if not 0 < page_size <= limits.MAX_PAGE_SIZE:
            raise invalid("page.page_size", f"must be between 1 and {limits.MAX_PAGE_SIZE}")
        filters = [AgencyRow.region_code == request.region_code] if request.region_code else []
        if request.page.page_token:
            filters.append(AgencyRow.code > request.page.page_token)
        query = (
            select(AgencyRow.doc, AgencyRow.code)
            .where(*filters)
            .order_by(AgencyRow.code)
            .limit(page_size + 1)
        )
        async with self.runtime.db.reader() as session:
            rows = (await session.exec(query)).all()
            count_filters = [AgencyRow.region_code == request.region_code] if request.region_code else []
            total = await session.scalar(select(func.count()).select_from(AgencyRow).where(*count_filters))
        response = pb.ListAgenciesResponse(total=total)
        response.agencies.extend(pb.Agency.FromString(doc) for doc, _ in rows[:page_size])
        if len(rows) > page_size:
            response.next_page_token = rows[page_size - 1][1]
        return response

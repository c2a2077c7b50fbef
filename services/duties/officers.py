"""Officers (DOMAIN.md C1): their versioned public record with its private part
(ID number, photo; audited as digests), and the public certificate check.
Mixed into DutiesHandlers (handlers.py)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import duties_pb2 as pb
from services.duties import domain
from services.duties.kinds import OFFICER
from services.duties.models import AgencyRow, OfficerPrivateRow
from services.runtime import audit
from services.runtime.auth import Principal
from services.runtime.errors import AlreadyExists, invalid


class Officers:
    async def put_officer(
        self, principal: Principal | None, request: pb.PutOfficerRequest
    ) -> tuple[pb.Officer, bool]:
        officer = pb.Officer()
        officer.CopyFrom(request.officer)
        if officer.status == pb.CERTIFICATE_STATUS_UNSPECIFIED:
            officer.status = pb.CERTIFICATE_STATUS_ACTIVE
        private_given = request.HasField("private")
        if private_given:
            domain.validate_officer_private(request.private)
        stored, changed = await self.records.put(
            principal, self.records.spec(OFFICER), officer, request.reason, request.publish
        )
        if private_given and await self._save_private(principal, stored, request.private):
            changed = True
        return stored, changed

    async def _save_private(
        self, principal: Principal | None, officer: pb.Officer, private: pb.OfficerPrivate
    ) -> bool:
        now = self.runtime.clock.now()
        key = (officer.agency_code, officer.certificate_number)
        async with self.runtime.db.transaction("duties.officer_private") as session:
            row = await session.get(OfficerPrivateRow, key)
            if row is not None and row.id_number == private.id_number and row.photo == private.photo:
                return False
            before = private_digest_input(row) if row is not None else None
            row = row or OfficerPrivateRow(agency_code=key[0], certificate_number=key[1], updated_at=now)
            row.id_number, row.photo, row.updated_at = private.id_number, private.photo, now
            session.add(row)
            audit.record(
                session,
                principal,
                operation="PutOfficerPrivate",
                record_type="officer_private",
                record_id=f"{key[0]}/{key[1]}",
                before=before,
                after=private_digest_input(row),
                now=now,
            )
        return True

    async def check_certificate(self, certificate_number: str) -> pb.CheckCertificateResponse:
        """執法證核驗 (DOMAIN.md C1): public fields and today's validity, nothing else."""
        today = self.runtime.clock.today()
        response = pb.CheckCertificateResponse(checked_on=today.isoformat())
        if len(certificate_number) > 64:
            raise invalid("certificate_number", "is longer than 64 characters")
        spec = self.records.spec(OFFICER)
        async with self.runtime.db.reader() as session:
            states = [
                s for s in await self.store.find_code(session, OFFICER, certificate_number) if s.shown_version
            ]
            if not states:
                response.validity = pb.CERTIFICATE_VALIDITY_UNKNOWN
                return response
            state = states[0]
            row = await self.store.version(
                session, OFFICER, state.agency_code, state.code, state.shown_version
            )
            agency = await session.get(AgencyRow, state.agency_code)
        officer = self.store.view(spec, state, row)
        response.validity = domain.certificate_validity(officer, row.status, today)
        response.officer.CopyFrom(officer)
        response.agency_name = agency.name if agency else ""
        return response

    async def _check_certificate_is_ours(self, session: AsyncSession, officer: pb.Officer) -> None:
        for state in await self.store.find_code(session, OFFICER, officer.certificate_number):
            if state.agency_code != officer.agency_code:
                raise AlreadyExists(
                    f"officer.certificate_number: {officer.certificate_number} is registered by agency "
                    f"{state.agency_code}; certificate numbers are unique on the platform"
                )


def private_digest_input(row: OfficerPrivateRow) -> bytes:
    """What the audit log digests for private data (never the data itself in the clear)."""
    return row.id_number.encode() + b"|" + row.photo

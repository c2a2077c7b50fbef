"""Agencies' credentials: issued, revoked and rotated by administrators, each
change sent to every service's copy. Mixed into DutiesHandlers (handlers.py)."""

from __future__ import annotations

import datetime as dt

from gongshi.v1 import common_pb2, events_pb2
from gongshi.v1 import duties_pb2 as pb
from services.duties.kinds import SERVICE
from services.duties.models import AgencyRow
from services.duties.propagation import await_copies
from services.runtime import audit, limits
from services.runtime import events as ev
from services.runtime.auth import CredentialRow, Principal, is_revoked, new_token, require_admin
from services.runtime.clock import isoformat
from services.runtime.errors import FailedPrecondition, NotFound, invalid
from services.runtime.outbox import enqueue


class Credentials:
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
            event = ev.Event(
                ev.subject("auth", "credential_issued", owner, internal=True),
                events_pb2.CredentialIssued(
                    credential_id=credential_id,
                    role=request.role,
                    agency_code=request.agency_code,
                    secret_sha256=digest,
                    issued_at=now.isoformat(),
                ),
            )
            enqueue(session, event, source=SERVICE, now=now)
        await await_copies(self.runtime, event.event_id, event.subject, self.credential_copies)
        return pb.IssueCredentialResponse(credential_id=credential_id, token=token)

    async def revoke_credential(self, principal: Principal | None, credential_id: str) -> bool:
        require_admin(principal)
        now = self.runtime.clock.now()
        async with self.runtime.db.transaction("duties.revoke_credential") as session:
            row = await session.get(CredentialRow, credential_id)
            if row is None:
                raise NotFound(f"no credential with id {credential_id}")
            if is_revoked(row, now):
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
                    events_pb2.CredentialRevoked(
                        credential_id=credential_id, agency_code=row.agency_code, revoked_at=now.isoformat()
                    ),
                ),
                source=SERVICE,
                now=now,
            )
        self.runtime.authenticator.forget(credential_id)
        return True

    async def rotate_credential(
        self, principal: Principal | None, request: pb.RotateCredentialRequest
    ) -> pb.RotateCredentialResponse:
        """Issue a new credential for the same role and agency; the old one is
        refused from now + grace (its local copies learn both through events)."""
        require_admin(principal)
        if not 0 <= request.grace_seconds <= limits.MAX_ROTATION_GRACE_SECONDS:
            raise invalid(
                "grace_seconds", f"must be between 0 and {limits.MAX_ROTATION_GRACE_SECONDS} seconds"
            )
        now = self.runtime.clock.now()
        revoke_at = now + dt.timedelta(seconds=request.grace_seconds)
        credential_id, token, digest = new_token()
        async with self.runtime.db.transaction("duties.rotate_credential") as session:
            old = await session.get(CredentialRow, request.credential_id)
            if old is None:
                raise NotFound(f"no credential with id {request.credential_id}")
            if is_revoked(old, now):
                raise FailedPrecondition(f"credential {request.credential_id} is revoked; issue a new one")
            if old.revoked_at is not None:
                revoke_at = min(revoke_at, old.revoked_at)
            session.add(
                CredentialRow(
                    credential_id=credential_id,
                    role=old.role,
                    agency_code=old.agency_code,
                    secret_sha256=digest,
                    issued_at=now,
                )
            )
            old.revoked_at = revoke_at
            session.add(old)
            audit.record(
                session,
                principal,
                operation="RotateCredential",
                record_type="credential",
                record_id=request.credential_id,
                before=old.secret_sha256,
                after=digest,
                now=now,
            )
            owner = old.agency_code or ev.PLATFORM_OWNER
            issued = events_pb2.CredentialIssued(
                credential_id=credential_id,
                role=old.role,
                agency_code=old.agency_code,
                secret_sha256=digest,
                issued_at=now.isoformat(),
            )
            revoked = events_pb2.CredentialRevoked(
                credential_id=old.credential_id, agency_code=old.agency_code, revoked_at=revoke_at.isoformat()
            )
            events = [
                ev.Event(ev.subject("auth", name, owner, internal=True), message)
                for name, message in (("credential_issued", issued), ("credential_revoked", revoked))
            ]
            for event in events:
                enqueue(session, event, source=SERVICE, now=now)
        self.runtime.authenticator.forget(request.credential_id)
        # Both events share a subject: waiting for the later one covers the first.
        await await_copies(self.runtime, events[-1].event_id, events[-1].subject, self.credential_copies)
        return pb.RotateCredentialResponse(
            credential_id=credential_id, token=token, old_revoked_at=isoformat(revoke_at)
        )

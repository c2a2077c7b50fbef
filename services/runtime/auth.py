"""Credentials: issued by administrators, stored hashed, checked on every write.

A token is `gs_<credential id>_<secret>`. Only SHA-256(secret) is stored: the
secret is 256 random bits, so a slow password hash would add cost without
adding safety. The duties service owns the credential registry; every other
service keeps a local copy fed by internal events, so checking a credential
never needs a call to another service. The gateway passes the caller's token
through to the service, so this is the one implementation of the check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import common_pb2, events_pb2
from services.runtime.clock import Clock
from services.runtime.db import Database, after_commit
from services.runtime.errors import PermissionDenied, Unauthenticated
from services.runtime.subscription import InboundEvent, Subscription

TOKEN_PREFIX = "gs"
ROLE_AGENCY = common_pb2.ROLE_AGENCY
ROLE_OVERSIGHT = common_pb2.ROLE_OVERSIGHT
ROLE_ADMIN = common_pb2.ROLE_ADMIN


class CredentialRow(SQLModel, table=True):
    __tablename__ = "credentials"
    credential_id: str = Field(primary_key=True, max_length=40)
    role: int
    agency_code: str = Field(default="", max_length=40, index=True)
    secret_sha256: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    issued_at: dt.datetime
    revoked_at: dt.datetime | None = None


@dataclass(frozen=True)
class Principal:
    credential_id: str
    role: int
    agency_code: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN


ADMIN_CREDENTIAL_ID = "admin"


def new_token() -> tuple[str, str, bytes]:
    """Return (credential id, token to hand out once, stored hash)."""
    credential_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return credential_id, f"{TOKEN_PREFIX}_{credential_id}_{secret}", _digest(secret)


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def parse_bearer(value: str | None) -> str | None:
    """Extract the token from an `authorization: Bearer <token>` value."""
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("authorization must be 'Bearer <token>'")
    return token.strip()


class Authenticator:
    """Checks tokens against the local credential table (cached in memory)."""

    def __init__(self, db: Database, admin_token: str = "", *, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or Clock()
        self._admin_digest = _digest(admin_token) if admin_token else None
        self._cache: dict[str, CredentialRow | None] = {}
        # Bumped by every `forget`: a lookup that read the table before an
        # event's commit must not cache what it read after the event forgot it.
        self._generation = 0

    async def authenticate(self, token: str) -> Principal:
        if self._admin_digest is not None and hmac.compare_digest(_digest(token), self._admin_digest):
            return Principal(ADMIN_CREDENTIAL_ID, ROLE_ADMIN)
        prefix, _, rest = token.partition("_")
        credential_id, _, secret = rest.partition("_")
        if prefix != TOKEN_PREFIX or not credential_id or not secret:
            raise Unauthenticated("malformed credential")
        row = await self._lookup(credential_id)
        if row is None or not hmac.compare_digest(row.secret_sha256, _digest(secret)):
            raise Unauthenticated("unknown credential")
        if is_revoked(row, self.clock.now()):
            raise Unauthenticated("credential revoked")
        return Principal(row.credential_id, row.role, row.agency_code)

    async def _lookup(self, credential_id: str) -> CredentialRow | None:
        if credential_id in self._cache and self._cache[credential_id] is not None:
            return self._cache[credential_id]
        generation = self._generation
        async with self.db.reader() as session:
            row = await session.get(CredentialRow, credential_id)
        if generation == self._generation:
            self._cache[credential_id] = row
        return row

    def forget(self, credential_id: str) -> None:
        self._generation += 1
        self._cache.pop(credential_id, None)

    # -- keeping the local copy current (internal events) -------------------

    def subscription(self, service: str) -> Subscription:
        return (
            Subscription(f"{service}-credentials", "GONGSHI_INTERNAL", ["internal.auth.>"])
            .on(events_pb2.CredentialIssued, self._on_issued)
            .on(events_pb2.CredentialRevoked, self._on_revoked)
        )

    async def _on_issued(
        self, session: AsyncSession, event: events_pb2.CredentialIssued, _: InboundEvent
    ) -> None:
        if await session.get(CredentialRow, event.credential_id) is None:
            session.add(
                CredentialRow(
                    credential_id=event.credential_id,
                    role=event.role,
                    agency_code=event.agency_code,
                    secret_sha256=event.secret_sha256,
                    issued_at=dt.datetime.fromisoformat(event.issued_at),
                )
            )
        after_commit(session, lambda: self.forget(event.credential_id))

    async def _on_revoked(
        self, session: AsyncSession, event: events_pb2.CredentialRevoked, _: InboundEvent
    ) -> None:
        row = await session.get(CredentialRow, event.credential_id)
        revoked_at = dt.datetime.fromisoformat(event.revoked_at)
        # A rotation revokes at a future instant; a later revocation may bring it forward.
        if row is not None and (row.revoked_at is None or revoked_at < row.revoked_at):
            row.revoked_at = revoked_at
            session.add(row)
        after_commit(session, lambda: self.forget(event.credential_id))


def is_revoked(row: CredentialRow, now: dt.datetime) -> bool:
    """Revoked from `revoked_at` on: a rotation's grace period sets it in the future."""
    return row.revoked_at is not None and row.revoked_at <= now


def require_agency_writer(principal: Principal | None, agency_code: str) -> None:
    """An agency may write only its own records; no other role writes at all."""
    if principal is None:
        raise Unauthenticated("this operation needs an agency credential")
    if principal.role != ROLE_AGENCY:
        raise PermissionDenied("only an agency credential may write enforcement records")
    if principal.agency_code != agency_code:
        raise PermissionDenied(
            f"this credential writes for agency {principal.agency_code}, not {agency_code}"
        )


def require_admin(principal: Principal | None) -> None:
    if principal is None:
        raise Unauthenticated("this operation needs an administrator credential")
    if not principal.is_admin:
        raise PermissionDenied("only an administrator may do this")

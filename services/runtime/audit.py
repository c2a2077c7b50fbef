"""The audit log: every write appends who did what to which record, with
digests of the record before and after, in the write's own transaction.

No RPC updates or deletes audit rows; administrators and oversight read them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from google.protobuf.message import Message
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.runtime.auth import Principal
from services.runtime.telemetry import current_trace_id


class AuditRow(SQLModel, table=True):
    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime
    credential_id: str = Field(max_length=40)
    role: int
    agency_code: str = Field(default="", max_length=40)
    operation: str = Field(max_length=80)
    record_type: str = Field(max_length=60)
    record_id: str = Field(max_length=80, index=True)
    before_digest: str = Field(default="", max_length=64)
    after_digest: str = Field(default="", max_length=64)
    trace_id: str = Field(default="", max_length=32)


def digest(value: Message | bytes | None) -> str:
    """SHA-256 of a record's serialized form ("" when there is no record)."""
    if value is None:
        return ""
    raw = value if isinstance(value, bytes) else value.SerializeToString(deterministic=True)
    return hashlib.sha256(raw).hexdigest()


def record(
    session: AsyncSession,
    principal: Principal | None,
    *,
    operation: str,
    record_type: str,
    record_id: str,
    before: Message | bytes | None,
    after: Message | bytes | None,
    now: dt.datetime,
) -> None:
    """Append one audit entry in the caller's transaction."""
    session.add(
        AuditRow(
            at=now,
            credential_id=principal.credential_id if principal else "anonymous",
            role=principal.role if principal else 0,
            agency_code=principal.agency_code if principal else "",
            operation=operation,
            record_type=record_type,
            record_id=record_id,
            before_digest=digest(before),
            after_digest=digest(after),
            trace_id=current_trace_id(),
        )
    )

"""The read side of the audit log: `gongshi.v1.AuditService/ListAudit`, served
by every service over its own log (registered by ServiceRuntime), readable by
administrators and oversight bodies only. There is deliberately no RPC that
changes an entry; `protect()` makes the database refuse it too."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlmodel import select

from gongshi.v1 import audit_pb2 as pb
from gongshi.v1 import audit_pb2_grpc
from services.runtime import limits, paging
from services.runtime.audit import AuditRow
from services.runtime.auth import ROLE_ADMIN, ROLE_OVERSIGHT, Principal
from services.runtime.clock import isoformat
from services.runtime.db import Database
from services.runtime.errors import PermissionDenied, Unauthenticated, invalid
from services.runtime.grpc_server import current_principal

SERVICE_NAME = "gongshi.v1.AuditService"
READER_ROLES = (ROLE_ADMIN, ROLE_OVERSIGHT)

_POSTGRES_GUARD = [
    """CREATE OR REPLACE FUNCTION gongshi_audit_log_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END;
       $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
       FOR EACH STATEMENT EXECUTE FUNCTION gongshi_audit_log_append_only()""",
]
_SQLITE_GUARD = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_log_no_{op.lower()} BEFORE {op} ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {op} refused'); END"""
    for op in ("UPDATE", "DELETE")
]


async def protect(db: Database) -> None:
    """Make the database itself refuse UPDATE and DELETE on audit_log (a
    statement-level trigger on PostgreSQL, which also refuses TRUNCATE)."""
    async with db.engine.begin() as conn:
        if db.is_postgres:
            # Same lock as table creation: replicas starting together take turns.
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('gongshi.create_tables'))"))
            for statement in _POSTGRES_GUARD:
                await conn.execute(text(statement))
        elif db.is_sqlite:
            for statement in _SQLITE_GUARD:
                await conn.execute(text(statement))


def require_audit_reader(principal: Principal | None) -> None:
    if principal is None:
        raise Unauthenticated("the audit log needs an administrator or oversight credential")
    if principal.role not in READER_ROLES:
        raise PermissionDenied("only administrators and oversight bodies may read the audit log")


def _instant(field: str, value: str) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise invalid(field, "must be an ISO 8601 instant, e.g. 2026-11-02T08:00:00Z") from exc
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


class AuditServicer(audit_pb2_grpc.AuditServiceServicer):
    def __init__(self, service: str, db: Database) -> None:
        self.service = service
        self.db = db

    async def ListAudit(self, request: pb.ListAuditRequest, context) -> pb.ListAuditResponse:
        require_audit_reader(current_principal())
        page_size = paging.page_size(request.page)
        filters = []
        for name in ("record_type", "record_id", "agency_code", "credential_id", "operation"):
            value = getattr(request, name)
            if len(value) > limits.SHORT_TEXT:
                raise invalid(name, f"is {len(value)} characters long; the limit is {limits.SHORT_TEXT}")
            if value:
                filters.append(getattr(AuditRow, name) == value)
        if request.since:
            filters.append(AuditRow.at >= _instant("since", request.since))
        if request.until:
            filters.append(AuditRow.at < _instant("until", request.until))
        page_filters = list(filters)
        if request.page.page_token:
            if not request.page.page_token.isdigit() or len(request.page.page_token) > 19:
                raise invalid("page.page_token", paging.NOT_OURS)
            page_filters.append(AuditRow.id < int(request.page.page_token))
        query = select(AuditRow).where(*page_filters).order_by(AuditRow.id.desc())
        async with self.db.reader() as session:
            found = await paging.read_page(
                session, query, page_size, lambda last: str(last.id), paging.count_of(AuditRow, filters)
            )
        return pb.ListAuditResponse(
            entries=[self._entry(row) for row in found.rows],
            next_page_token=found.next_page_token,
            total=found.total,
        )

    def _entry(self, row: AuditRow) -> pb.AuditEntry:
        return pb.AuditEntry(
            id=row.id,
            at=isoformat(row.at),
            credential_id=row.credential_id,
            role=row.role,
            agency_code=row.agency_code,
            operation=row.operation,
            record_type=row.record_type,
            record_id=row.record_id,
            before_digest=row.before_digest,
            after_digest=row.after_digest,
            trace_id=row.trace_id,
            service=self.service,
        )

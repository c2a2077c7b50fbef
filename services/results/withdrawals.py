"""Withdrawals (DOMAIN.md F2): a published record leaves publication with a
stated reason; the public keeps a tombstone, never the content.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.changes import SERVICE, LifecycleBase
from services.results.models import ResultRow
from services.runtime import events as ev
from services.runtime import limits
from services.runtime.auth import Principal
from services.runtime.clock import isoformat
from services.runtime.errors import FailedPrecondition, FieldViolation, InvalidArgument


class Withdrawals(LifecycleBase):
    async def withdraw(
        self,
        principal: Principal | None,
        result_id: str,
        reason: int,
        statement: str,
        grounds_date: str = "",
    ) -> pb.Result:
        violations = []
        if reason == 0 or reason not in pb.WithdrawalReason.values():
            violations.append(FieldViolation("reason", "is required: one of " + ", ".join(_REASONS)))
        if not statement.strip():
            violations.append(FieldViolation("statement", "is required: a withdrawal states its reason (F2)"))
        elif len(statement) > limits.MEDIUM_TEXT:
            violations.append(FieldViolation("statement", f"is longer than {limits.MEDIUM_TEXT} characters"))
        now, today = self._now()
        grounds = domain.parse_date(grounds_date) if grounds_date else None
        if grounds_date and grounds is None:
            violations.append(FieldViolation("grounds_date", "must be a date in the form YYYY-MM-DD"))
        elif grounds is not None and grounds > today:
            violations.append(FieldViolation("grounds_date", f"{grounds} is in the future"))
        if violations:
            raise InvalidArgument(violations)
        async with self.db.transaction("results.withdraw") as session:
            row = await self._writable(session, principal, result_id)
            result = await self._withdraw(
                session, principal, row, reason, statement, grounds, now, "WithdrawResult"
            )
        return domain.tombstone(result)

    async def _withdraw(
        self,
        session: AsyncSession,
        principal: Principal | None,
        row: ResultRow,
        reason: int,
        statement: str,
        grounds: dt.date | None,
        now: dt.datetime,
        operation: str,
    ) -> pb.Result:
        result = pb.Result.FromString(row.doc)
        if row.status == pb.RESULT_STATUS_WITHDRAWN:
            return result  # a retried withdrawal changes nothing
        if row.status not in domain.PUBLIC_STATUSES:
            raise FailedPrecondition(
                f"result {row.id} is {pb.ResultStatus.Name(row.status)}; only a published record is withdrawn"
            )
        policy = self._policy(row)
        before = row.doc
        result.status = pb.RESULT_STATUS_WITHDRAWN
        result.withdrawn_at = result.updated_at = isoformat(now)
        result.withdrawal_reason = domain.withdrawal_code(reason)
        result.withdrawal_statement = domain.redact(policy.masking, statement, field="withdrawal_statement")[
            0
        ]
        if grounds is not None:
            result.withdrawal_grounds_date = grounds.isoformat()
            domain.set_withdrawal_deadline(
                result, self.calendar.deadline(grounds, policy.withdrawal_working_days)
            )
        tombstone = domain.tombstone(result)
        await self._change(
            session,
            principal,
            row,
            before,
            result,
            kind="withdrawn",
            reason=f"{result.withdrawal_reason}: {result.withdrawal_statement}",
            operation=operation,
            event=ev.Event(
                ev.subject(SERVICE, "withdrawn", row.agency_code),
                pb.ResultWithdrawn(
                    result_id=row.id,
                    agency_code=row.agency_code,
                    document_number=row.document_number,
                    reason=result.withdrawal_reason,
                    statement=result.withdrawal_statement,
                    withdrawn_at=result.withdrawn_at,
                    tombstone=tombstone,
                ),
            ),
            now=now,
        )
        return result


_REASONS = [domain.withdrawal_code(v) for v in pb.WithdrawalReason.values() if v]

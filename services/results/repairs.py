"""Credit repair (DOMAIN.md G5): a party applies to end a record's publicity
early; the agency grants (the record leaves publication) or refuses, by a
due date counted in working days.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.changes import LifecycleBase
from services.results.models import RepairRow, ResultRow
from services.results.queues import decide, page_queue, stamp
from services.runtime import audit, limits
from services.runtime.auth import Principal
from services.runtime.clock import isoformat
from services.runtime.errors import (
    AlreadyExists,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    invalid,
)
from services.runtime.ids import new_id


class Repairs(LifecycleBase):
    def _add_working_days(self, start: dt.date, days: int) -> dt.date:
        return self.calendar.deadline(start, days).day

    async def apply_for_repair(self, request: pb.ApplyForRepairRequest) -> pb.RepairApplication:
        violations = []
        for name, limit in (
            ("applicant_name", limits.SHORT_TEXT),
            ("correction_proof", limits.MEDIUM_TEXT),
            ("credit_commitment", limits.MEDIUM_TEXT),
        ):
            value = getattr(request, name)
            if not value.strip():
                violations.append(FieldViolation(name, "is required (DOMAIN.md G5)"))
            elif len(value) > limit:
                violations.append(FieldViolation(name, f"is longer than {limit} characters"))
        for name in ("uscc", "contact"):
            if len(getattr(request, name)) > limits.SHORT_TEXT:
                violations.append(FieldViolation(name, f"is longer than {limits.SHORT_TEXT} characters"))
        if violations:
            raise InvalidArgument(violations)
        now, today = self._now()
        async with self.db.transaction("results.apply_for_repair") as session:
            row = await session.get(ResultRow, request.result_id)
            if row is None or not row.public:
                raise NotFound(f"no public result with id {request.result_id}")
            result = pb.Result.FromString(row.doc)
            refusal = domain.repair_refusal(result, today)
            if refusal:
                raise FailedPrecondition(refusal)
            open_application = (
                await session.exec(
                    select(RepairRow.id).where(
                        RepairRow.result_id == row.id, RepairRow.status == pb.REPAIR_STATUS_SUBMITTED
                    )
                )
            ).first()
            if open_application:
                raise AlreadyExists(
                    f"application {open_application} for this record awaits the agency's decision"
                )
            policy = self._policy(row)
            application = RepairRow(
                id=new_id(),
                result_id=row.id,
                agency_code=row.agency_code,
                status=pb.REPAIR_STATUS_SUBMITTED,
                applicant_name=request.applicant_name,
                uscc=request.uscc,
                contact=request.contact,
                correction_proof=request.correction_proof,
                credit_commitment=request.credit_commitment,
                submitted_at=now,
                decision_due=self._add_working_days(today, policy.repair_decision_working_days).isoformat(),
                eligible_from=result.repair_eligible_from,
            )
            session.add(application)
            audit.record(
                session,
                None,
                operation="ApplyForRepair",
                record_type="repair_application",
                record_id=application.id,
                before=None,
                after=request,
                now=now,
            )
        return _repair_message(application)

    async def decide_repair(
        self, principal: Principal | None, application_id: str, grant: bool, reason: str
    ) -> pb.RepairApplication:
        if not reason.strip():
            raise invalid("reason", "is required: the applicant is told why")
        if len(reason) > limits.MEDIUM_TEXT:
            raise invalid("reason", f"is longer than {limits.MEDIUM_TEXT} characters")
        now, _ = self._now()
        async with self.db.transaction("results.decide_repair") as session:
            application = await decide(
                session,
                principal,
                RepairRow,
                application_id,
                names=("repair application", "application"),
                submitted=pb.REPAIR_STATUS_SUBMITTED,
                status=pb.REPAIR_STATUS_GRANTED if grant else pb.REPAIR_STATUS_REFUSED,
                reason=reason,
                now=now,
            )
            if grant:
                row = await session.get(ResultRow, application.result_id)
                if row is None or not row.public:
                    raise FailedPrecondition("the record is no longer published; there is nothing to repair")
                await self._end_publication(
                    session,
                    principal,
                    row,
                    pb.RESULT_STATUS_REPAIRED,
                    kind="repaired",
                    reason=f"credit repair {application.id}",
                    operation="DecideRepair",
                    message=pb.ResultRepaired(
                        result_id=row.id,
                        agency_code=row.agency_code,
                        document_number=row.document_number,
                        application_id=application.id,
                        reason=reason,
                        repaired_at=isoformat(now),
                    ),
                    now=now,
                )
            else:
                audit.record(
                    session,
                    principal,
                    operation="DecideRepair",
                    record_type="repair_application",
                    record_id=application.id,
                    before=None,
                    after=reason.encode(),
                    now=now,
                )
        return _repair_message(application)

    async def get_repair(self, application_id: str) -> pb.RepairApplication:
        async with self.db.reader() as session:
            application = await session.get(RepairRow, application_id)
        if application is None:
            raise NotFound(f"no repair application with id {application_id}")
        return _repair_message(application)

    async def list_repairs(
        self, principal: Principal | None, request: pb.ListRepairApplicationsRequest
    ) -> pb.ListRepairApplicationsResponse:
        found = await page_queue(self.db, principal, request, RepairRow)
        return pb.ListRepairApplicationsResponse(
            applications=[_repair_message(r) for r in found.rows], next_page_token=found.next_page_token
        )


def _repair_message(row: RepairRow) -> pb.RepairApplication:
    return pb.RepairApplication(
        id=row.id,
        result_id=row.result_id,
        agency_code=row.agency_code,
        status=row.status,
        submitted_at=stamp(row.submitted_at),
        decision_due=row.decision_due,
        decided_at=stamp(row.decided_at),
        decision_reason=row.decision_reason,
        eligible_from=row.eligible_from,
    )

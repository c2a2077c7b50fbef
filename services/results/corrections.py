"""Corrections (DOMAIN.md F): a published record gets a new version with the
corrected decision, masked and dated again; its public life (publication
date, publicity span, appeal flag, approved reply) is kept.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import results_pb2 as pb
from services.results import domain, search_index
from services.results.changes import SERVICE, LifecycleBase
from services.results.models import ResultPrivateRow, ResultRow
from services.runtime import events as ev
from services.runtime import limits
from services.runtime.auth import Principal
from services.runtime.clock import CHINA_TZ, isoformat
from services.runtime.errors import FailedPrecondition, invalid


class Corrections(LifecycleBase):
    async def correct(
        self, principal: Principal | None, result_id: str, decision: pb.Decision, reason: str
    ) -> pb.Result:
        now, today = self._now()
        domain.validate_decision(decision, today)
        _require_text("reason", reason, limits.MEDIUM_TEXT)
        async with self.db.transaction("results.correct") as session:
            row = await self._writable(session, principal, result_id)
            result = await self._correct(session, principal, row, decision, reason, now, "CorrectResult")
        return result

    async def _correct(
        self,
        session: AsyncSession,
        principal: Principal | None,
        row: ResultRow,
        decision: pb.Decision,
        reason: str,
        now: dt.datetime,
        operation: str,
        reply_text: str | None = None,
    ) -> pb.Result:
        """`reply_text`, when given, replaces the approved reply shown with the
        record (remask: services/results/remask.py); otherwise it is kept."""
        if decision.document_number != row.document_number:
            raise invalid(
                "decision.document_number",
                f"a correction keeps the document number {row.document_number}; a new decision is a new push",
            )
        if row.status not in domain.PUBLIC_STATUSES:
            raise FailedPrecondition(
                f"result {row.id} is {pb.ResultStatus.Name(row.status)}; only a published record is corrected"
            )
        policy = self._policy(row)
        kind, why = domain.non_publication(decision, policy)
        if kind:
            raise FailedPrecondition(
                f"the corrected decision may not be published ({why}); withdraw the record instead"
            )
        old = pb.Result.FromString(row.doc)
        masked, applied = domain.mask_decision(decision, policy.masking)
        decided = domain.parse_date(decision.decision_date)
        deadline = domain.publication_deadline(decision.category, decided, self.calendar)
        tier = domain.severity_of(decision, policy)
        result = domain.public_view(
            row.id,
            row.agency_code,
            row.region_code,
            masked,
            status=pb.RESULT_STATUS_CORRECTED,
            deadline=deadline,
            version=old.version + 1,
        )
        published_on = dt.datetime.fromisoformat(old.published_at).astimezone(CHINA_TZ).date()
        start = domain.publicity_start(decision, published_on, policy)
        domain.publish_record(
            result,
            published_at=old.published_at,
            published_on=published_on,
            tier=tier,
            span=domain.publicity_span(decision, tier, start, policy),
            start=start,
        )
        # A correction changes the content, not the record's public life.
        result.status = pb.RESULT_STATUS_CORRECTED
        for name in ("under_appeal", "appeal_note", "reply_text", "reply_at", "registered_at"):
            setattr(result, name, getattr(old, name))
        if reply_text is not None:
            result.reply_text = reply_text
        result.change_reason = domain.redact(policy.masking, reason, field="change_reason")[0]
        result.updated_at = isoformat(now)
        private = await session.get(ResultPrivateRow, row.id)
        private.decision = decision.SerializeToString()
        private.redaction_log = json.dumps(
            [{"rule": r.rule, "field": r.field, "count": r.count} for r in applied]
        )
        session.add(private)
        await self._change(
            session,
            principal,
            row,
            row.doc,
            result,
            kind="corrected",
            reason=result.change_reason,
            operation=operation,
            event=ev.Event(
                ev.subject(SERVICE, "corrected", row.agency_code),
                pb.ResultCorrected(previous_version=old.version, reason=result.change_reason),
            ),
            now=now,
            new_version=True,
        )
        await search_index.index_result(session, result, public=True)
        return result


def _require_text(field_name: str, value: str, limit: int) -> None:
    if not value.strip():
        raise invalid(field_name, "is required")
    if len(value) > limit:
        raise invalid(field_name, f"is {len(value)} characters long; the limit is {limit}")

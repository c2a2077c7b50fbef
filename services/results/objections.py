"""Objection decisions that feedback sends (ObjectionDecided): an upheld
objection becomes a correction or a withdrawal of the record it names.
"""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import feedback_pb2
from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.corrections import Corrections
from services.results.models import ResultPrivateRow, ResultRow
from services.results.withdrawals import Withdrawals
from services.runtime import limits
from services.runtime.auth import Principal
from services.runtime.clock import CHINA_TZ
from services.runtime.errors import InvalidArgument

log = logging.getLogger(__name__)


class Objections(Corrections, Withdrawals):
    async def apply_objection(
        self, session: AsyncSession, event: feedback_pb2.ObjectionDecided, event_id: str
    ) -> None:
        """CORRECT: a new version with the corrected facts/conclusion; WITHDRAW:
        a withdrawal with reason "error"; KEEP: nothing changes here."""
        if event.outcome not in (
            feedback_pb2.OBJECTION_OUTCOME_CORRECT,
            feedback_pb2.OBJECTION_OUTCOME_WITHDRAW,
        ):
            return
        row = await session.get(ResultRow, event.result_id)
        if row is None or row.agency_code != event.agency_code:
            log.warning(
                "objection %s names result %s of no such agency's record", event.feedback_id, event.result_id
            )
            return
        if row.status not in domain.PUBLIC_STATUSES:
            log.info(
                "objection %s: result %s is no longer published; nothing to apply", event.feedback_id, row.id
            )
            return
        principal = Principal(f"event:{event_id}"[:40], 0, event.agency_code)
        now, _ = self._now()
        reason = event.reason.strip() or "更正 (objection upheld)"
        if event.outcome == feedback_pb2.OBJECTION_OUTCOME_WITHDRAW:
            await self._withdraw(
                session, principal, row, pb.WITHDRAWAL_REASON_ERROR, reason, None, now, "ObjectionDecided"
            )
            return
        private = await session.get(ResultPrivateRow, row.id)
        decision = pb.Decision.FromString(private.decision)
        if event.corrected_facts:
            decision.facts = event.corrected_facts
        if event.corrected_conclusion:
            decision.conclusion = event.corrected_conclusion
        try:
            domain.validate_decision(decision, now.astimezone(CHINA_TZ).date())
        except InvalidArgument as exc:
            # A bad correction from feedback cannot be fixed by retrying: record it and move on.
            log.warning("objection %s: corrected decision refused: %s", event.feedback_id, exc.message)
            return
        await self._correct(
            session, principal, row, decision, reason[: limits.MEDIUM_TEXT], now, "ObjectionDecided"
        )

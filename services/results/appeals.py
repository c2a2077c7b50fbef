"""The under-appeal flag: an agency marks a published record as under
administrative review or litigation, with a short note the public sees.
"""

from __future__ import annotations

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.changes import SERVICE, LifecycleBase
from services.runtime import events as ev
from services.runtime import limits
from services.runtime.auth import Principal
from services.runtime.clock import isoformat
from services.runtime.errors import FailedPrecondition, invalid


class Appeals(LifecycleBase):
    async def set_under_appeal(
        self, principal: Principal | None, result_id: str, under_appeal: bool, note: str
    ) -> pb.Result:
        if len(note) > limits.SHORT_TEXT:
            raise invalid("note", f"is longer than {limits.SHORT_TEXT} characters")
        now, _ = self._now()
        async with self.db.transaction("results.appeal") as session:
            row = await self._writable(session, principal, result_id)
            if row.status not in domain.PUBLIC_STATUSES:
                raise FailedPrecondition(f"result {result_id} is not published")
            result = pb.Result.FromString(row.doc)
            note = note if under_appeal else ""
            if (result.under_appeal, result.appeal_note) == (under_appeal, note):
                return result
            before = row.doc
            result.under_appeal, result.appeal_note = under_appeal, note
            result.updated_at = isoformat(now)
            change = "appeal_flagged" if under_appeal else "appeal_cleared"
            await self._change(
                session,
                principal,
                row,
                before,
                result,
                kind=change,
                reason=note,
                operation="SetUnderAppeal",
                event=ev.Event(
                    ev.subject(SERVICE, "annotated", row.agency_code), pb.ResultAnnotated(change=change)
                ),
                now=now,
            )
        return result

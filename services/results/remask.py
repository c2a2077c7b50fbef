"""`gongshi results remask` (RemaskResults): today's masking rules applied to
every published record (DOMAIN.md E2). Masking happens on write, so a rule that
got better (names found in free text, services/runtime/person_names.py) only
reaches the records stored before it through a correction: a new version, its
chain entry, `ResultCorrected` and the search index, as any correction.

Earlier versions stay stored as they were: they are covered by the agency's
hash chain, and rewriting them would break its tamper evidence. Public reads
mask them instead (history_masking.py)."""

from __future__ import annotations

import logging

from sqlmodel import select

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.lifecycle import LifecycleHandlers
from services.results.models import ResultPrivateRow, ResultRow
from services.runtime import limits
from services.runtime.auth import Principal, require_admin
from services.runtime.errors import FailedPrecondition

log = logging.getLogger(__name__)

REASON = "personal data masked"
OPERATION = "RemaskResults"
BATCH = 200  # records read per query; each correction is its own transaction


def public_text_changes(stored: pb.Result, masked: pb.Decision) -> bool:
    """True when the stored public view shows text that masking now hides."""
    return any(getattr(stored, field) != getattr(masked, field) for field in domain.FREE_TEXT_FIELDS) or (
        stored.party.name != masked.party.name
    )


async def remask(
    lifecycle: LifecycleHandlers, principal: Principal | None, agency_code: str = "", dry_run: bool = False
) -> pb.RemaskResultsResponse:
    require_admin(principal)
    response = pb.RemaskResultsResponse()
    after = ""
    while True:
        query = (
            select(ResultRow.id)
            .where(ResultRow.status.in_(domain.PUBLIC_STATUSES), ResultRow.id > after)
            .order_by(ResultRow.id)
            .limit(BATCH)
        )
        if agency_code:
            query = query.where(ResultRow.agency_code == agency_code)
        async with lifecycle.db.reader() as session:
            ids = list((await session.exec(query)).all())
        if not ids:
            return response
        for result_id in ids:
            response.checked += 1
            if await _remask_one(lifecycle, principal, result_id, dry_run):
                response.corrected += 1
                if len(response.result_ids) < limits.MAX_LIST_ITEMS:
                    response.result_ids.append(result_id)
        after = ids[-1]


async def _remask_one(
    lifecycle: LifecycleHandlers, principal: Principal, result_id: str, dry_run: bool
) -> bool:
    async with lifecycle.db.transaction("results.remask") as session:
        row = await session.get(ResultRow, result_id)
        private = await session.get(ResultPrivateRow, result_id)
        if row is None or private is None or row.status not in domain.PUBLIC_STATUSES:
            return False  # withdrawn or expired since the list was read
        decision = pb.Decision.FromString(private.decision)
        masked, _ = domain.mask_decision(decision, lifecycle._policy(row).masking)
        stored = pb.Result.FromString(row.doc)
        # The approved reply shown with the record was masked when it was approved.
        reply = stored.reply_text
        if reply:
            reply = await lifecycle._mask_free_text(session, row, reply, "reply_text")
        if not public_text_changes(stored, masked) and reply == stored.reply_text:
            return False
        if not dry_run:
            now, _ = lifecycle._now()
            try:
                await lifecycle._correct(session, principal, row, decision, REASON, now, OPERATION, reply)
            except FailedPrecondition as exc:
                # e.g. a decision that may no longer be published: its owner withdraws it.
                log.warning("remask: result %s not corrected: %s", result_id, exc.message)
                return False
    return True

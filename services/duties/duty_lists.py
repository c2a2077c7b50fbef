"""Duty items and the legal bases they cite: put and import, repeal an
instrument, and the hooks that keep citations consistent (run inside the
write's transaction). Mixed into DutiesHandlers (handlers.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import duties_pb2 as pb
from services.duties.kinds import DUTY_ITEM, LEGAL_BASIS, SERVICE
from services.duties.models import CitationRow, DutiesRecordRow, DutiesRecordVersionRow
from services.runtime import audit, limits
from services.runtime import events as ev
from services.runtime.auth import Principal
from services.runtime.clock import isoformat
from services.runtime.errors import FieldViolation, InvalidArgument, NotFound
from services.runtime.outbox import enqueue
from services.runtime.validation import Checker
from services.runtime.versioned import PutItem, PutOutcome


class DutyLists:
    async def put_legal_basis(
        self, principal: Principal | None, request: pb.PutLegalBasisRequest
    ) -> tuple[pb.LegalBasis, bool]:
        return await self.records.put(
            principal, self.records.spec(LEGAL_BASIS), request.legal_basis, request.reason, request.publish
        )

    async def import_duty_items(
        self, principal: Principal | None, requests: list[pb.PutDutyItemRequest]
    ) -> list[PutOutcome]:
        """A chunk of a duty list, stored in one transaction; one outcome per row."""
        items = [PutItem(r.duty_item, r.reason, r.publish) for r in requests]
        return await self.records.put_many(principal, self.records.spec(DUTY_ITEM), items)

    async def put_duty_item(
        self, principal: Principal | None, request: pb.PutDutyItemRequest
    ) -> tuple[pb.DutyItem, bool]:
        return await self.records.put(
            principal, self.records.spec(DUTY_ITEM), request.duty_item, request.reason, request.publish
        )

    async def repeal_instrument(
        self, principal: Principal | None, request: pb.RepealInstrumentRequest
    ) -> pb.RepealInstrumentResponse:
        agency_code = self.records.owner(principal, request.agency_code)
        c = Checker("")
        c.text("instrument_title", request.instrument_title, required=True)
        c.date("repealed_date", request.repealed_date, required=True)
        c.text("reason", request.reason, limits.MEDIUM_TEXT, required=True)
        c.raise_if_any()
        spec = self.records.spec(LEGAL_BASIS)
        async with self.runtime.db.reader() as session:
            S, V = DutiesRecordRow, DutiesRecordVersionRow
            rows = (
                await session.exec(
                    select(V)
                    .join(S, (S.kind == V.kind) & (S.agency_code == V.agency_code) & (S.code == V.code))
                    .where(S.kind == LEGAL_BASIS, S.agency_code == agency_code, V.version == S.public_version)
                )
            ).all()
        response = pb.RepealInstrumentResponse()
        for row in rows:
            basis = pb.LegalBasis.FromString(row.doc)
            if basis.instrument_title != request.instrument_title:
                continue
            response.legal_basis_codes.append(basis.code)
            if basis.repealed_date:
                continue  # already repealed: a retried call changes nothing
            basis.repealed_date = request.repealed_date
            await self.records.put(principal, spec, basis, request.reason, True)
        if not response.legal_basis_codes:
            raise NotFound(f"agency {agency_code} publishes no legal basis of 《{request.instrument_title}》")
        async with self.runtime.db.reader() as session:
            cited = await session.exec(
                select(CitationRow.duty_item_code)
                .where(
                    CitationRow.agency_code == agency_code,
                    CitationRow.basis_code.in_(response.legal_basis_codes),
                )
                .distinct()
                .order_by(CitationRow.duty_item_code)
            )
            response.flagged_duty_item_codes.extend(cited.all())
        return response

    async def _check_cited_bases(self, session: AsyncSession, item: pb.DutyItem) -> None:
        codes = list(item.legal_basis_codes)
        found = set(
            (
                await session.exec(
                    select(DutiesRecordRow.code).where(
                        DutiesRecordRow.kind == LEGAL_BASIS,
                        DutiesRecordRow.agency_code == item.agency_code,
                        DutiesRecordRow.code.in_(codes),
                        DutiesRecordRow.public_version > 0,
                    )
                )
            ).all()
        )
        missing = [
            FieldViolation(
                f"duty_item.legal_basis_codes[{i}]",
                f"agency {item.agency_code} publishes no legal basis {code}; publish the basis first",
            )
            for i, code in enumerate(codes)
            if code not in found
        ]
        if missing:
            raise InvalidArgument(missing)

    async def _after_duty_item_change(
        self,
        session: AsyncSession,
        principal: Principal | None,
        item: pb.DutyItem,
        event: str,
        now: dt.datetime,
    ) -> None:
        # No session synchronisation: citation rows are never loaded as objects.
        await session.exec(
            delete(CitationRow)
            .where(CitationRow.agency_code == item.agency_code, CitationRow.duty_item_code == item.code)
            .execution_options(synchronize_session=False)
        )
        if event != "retired":
            for code in dict.fromkeys(item.legal_basis_codes):
                session.add(
                    CitationRow(agency_code=item.agency_code, duty_item_code=item.code, basis_code=code)
                )

    async def _after_basis_change(
        self,
        session: AsyncSession,
        principal: Principal | None,
        basis: pb.LegalBasis,
        event: str,
        now: dt.datetime,
    ) -> None:
        if event == "retired":
            reason = f"所引用的执法依据《{basis.instrument_title}》{basis.article}已停止公示，待复核"
            await self._flag_citing(session, principal, basis, reason, now)
            return
        if not basis.repealed_date or await self._was_repealed_before(session, basis):
            return
        enqueue(
            session,
            ev.Event(
                ev.subject(SERVICE, "legal_basis_repealed", basis.agency_code),
                pb.LegalBasisRepealed(legal_basis=basis),
            ),
            source=SERVICE,
            now=now,
        )
        cited = f"《{basis.instrument_title}》{basis.article}"
        reason = f"所引用的执法依据{cited}已于{basis.repealed_date}废止，待复核"
        await self._flag_citing(session, principal, basis, reason, now)

    async def _was_repealed_before(self, session: AsyncSession, basis: pb.LegalBasis) -> bool:
        V = DutiesRecordVersionRow
        previous = (
            await session.exec(
                select(V.doc)
                .where(
                    V.kind == LEGAL_BASIS,
                    V.agency_code == basis.agency_code,
                    V.code == basis.code,
                    V.version < basis.publication.version,
                    V.published_at.is_not(None),
                )
                .order_by(V.version.desc())
                .limit(1)
            )
        ).first()
        return previous is not None and bool(pb.LegalBasis.FromString(previous).repealed_date)

    async def _flag_citing(
        self,
        session: AsyncSession,
        principal: Principal | None,
        basis: pb.LegalBasis,
        reason: str,
        now: dt.datetime,
    ) -> None:
        """Flag every published duty item citing the basis, one event each."""
        codes = (
            await session.exec(
                select(CitationRow.duty_item_code).where(
                    CitationRow.agency_code == basis.agency_code, CitationRow.basis_code == basis.code
                )
            )
        ).all()
        for code in codes:
            state = await self.store.state(session, DUTY_ITEM, basis.agency_code, code)
            if state is None or not state.public_version:
                continue
            before = state.review_reason
            if reason not in state.review_reason:
                state.review_reason = "；".join(r for r in (state.review_reason, reason) if r)
            session.add(state)
            audit.record(
                session,
                principal,
                operation="FlagDutyItemForReview",
                record_type="duty_item",
                record_id=f"{basis.agency_code}/{code}",
                before=before.encode(),
                after=state.review_reason.encode(),
                now=now,
            )
            enqueue(
                session,
                ev.Event(
                    ev.subject(SERVICE, "duty_item_review_flagged", basis.agency_code),
                    pb.DutyItemReviewFlagged(
                        agency_code=basis.agency_code,
                        code=code,
                        name=state.name,
                        version=state.public_version,
                        legal_basis_code=basis.code,
                        instrument_title=basis.instrument_title,
                        repealed_date=basis.repealed_date,
                        reason=reason,
                        flagged_at=isoformat(now),
                    ),
                ),
                source=SERVICE,
                now=now,
            )

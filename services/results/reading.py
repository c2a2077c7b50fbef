"""The public reads of single records: a record (or its tombstone), its
history of versions and changes, and the takedown log. Mixed into
ResultsHandlers (handlers.py)."""

from __future__ import annotations

from sqlalchemy import tuple_
from sqlmodel import select

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.history_masking import mask_version
from services.results.models import ChainEntryRow, ResultPrivateRow, ResultRow, ResultVersionRow
from services.runtime import paging
from services.runtime.errors import NotFound


class Reading:
    async def get_result(self, result_id: str) -> pb.Result:
        """The public view; a record taken out of publication answers with its
        tombstone (status says which), anything never public with NOT_FOUND."""
        async with self.db.reader() as session:
            row = await session.get(ResultRow, result_id)
        if row is None or (not row.public and row.status not in domain.ENDED_STATUSES):
            raise NotFound(f"no public result with id {result_id}")
        result = pb.Result.FromString(row.doc)
        return result if row.public else domain.tombstone(result)

    async def get_history(self, result_id: str) -> pb.ResultHistory:
        """Every published version and every change of a record. Once a record
        has left publication, only the changes (kinds, reasons, dates) remain.
        Versions are shown with today's masking rules (history_masking.py)."""
        async with self.db.reader() as session:
            row = await session.get(ResultRow, result_id)
            if row is None or row.chain_seq == 0:
                raise NotFound(f"no public result with id {result_id}")
            entries = (
                await session.exec(
                    select(ChainEntryRow)
                    .where(ChainEntryRow.agency_code == row.agency_code, ChainEntryRow.result_id == result_id)
                    .order_by(ChainEntryRow.seq)
                )
            ).all()
            versions, private = [], None
            if row.public:
                versions = (
                    await session.exec(
                        select(ResultVersionRow.doc)
                        .where(ResultVersionRow.result_id == result_id)
                        .order_by(ResultVersionRow.version)
                    )
                ).all()
                # Read only to know whom to mask; none of it is returned.
                private = await session.get(ResultPrivateRow, result_id)
        history = pb.ResultHistory(id=result_id, status=row.status)
        decision = pb.Decision.FromString(private.decision) if private else pb.Decision()
        masking = self.policy(row.region_code).masking
        for doc in versions:
            version = history.versions.add()
            version.MergeFromString(doc)
            if mask_version(version, decision, masking):
                history.masked_on_read.append(version.version)
        history.changes.extend(
            pb.ResultChange(
                chain_seq=e.seq,
                version=e.version,
                kind=e.kind,
                reason=e.reason,
                at=e.recorded_at,
                record_hash=e.hash,
            )
            for e in entries
        )
        return history

    async def list_takedowns(self, request: pb.ListTakedownsRequest) -> pb.ListTakedownsResponse:
        page_size = paging.page_size(request.page)
        filters = [ResultRow.status == pb.RESULT_STATUS_WITHDRAWN]
        if request.agency_code:
            filters.append(ResultRow.agency_code == request.agency_code)
        page_filters = list(filters)
        if request.page.page_token:
            stamp, result_id = paging.decode_token(request.page.page_token, 2)
            page_filters.append(tuple_(ResultRow.withdrawn_at, ResultRow.id) < (stamp, result_id))
        query = (
            select(ResultRow.doc, ResultRow.withdrawn_at, ResultRow.id)
            .where(*page_filters)
            .order_by(ResultRow.withdrawn_at.desc(), ResultRow.id.desc())
        )
        async with self.db.reader() as session:
            found = await paging.read_page(
                session,
                query,
                page_size,
                lambda last: paging.encode_token(last.withdrawn_at, last.id),
                paging.count_of(ResultRow, filters),
            )
        response = pb.ListTakedownsResponse(total=found.total, next_page_token=found.next_page_token)
        for doc, _, _ in found.rows:
            r = pb.Result.FromString(doc)
            response.takedowns.append(
                pb.Takedown(
                    result_id=r.id,
                    agency_code=r.agency_code,
                    document_number=r.document_number,
                    category=r.category,
                    decision_date=r.decision_date,
                    withdrawn_at=r.withdrawn_at,
                    reason=r.withdrawal_reason,
                    statement=r.withdrawal_statement,
                    withdrawal_deadline=r.withdrawal_deadline,
                    withdrawn_on_time=r.withdrawn_on_time,
                )
            )
        return response

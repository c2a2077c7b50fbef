"""Reading the agencies' hash chains: their links page by page (GetChain)
and a walk of a whole chain checking every record and version against it
(VerifyChain, see chain.Verifier). Mixed into ResultsHandlers (handlers.py)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from gongshi.v1 import results_pb2 as pb
from services.results import records
from services.results.chain import Verifier
from services.results.models import ChainEntryRow, ChainHeadRow, ResultRow, ResultVersionRow
from services.runtime import paging
from services.runtime.errors import NotFound, invalid


class ChainReads:
    async def get_chain(self, request: pb.GetChainRequest) -> pb.GetChainResponse:
        page_size = paging.page_size(request.page)
        after = 0
        if request.page.page_token:
            try:
                after = int(paging.decode_token(request.page.page_token, 2)[0])
            except ValueError as exc:
                raise invalid("page.page_token", paging.NOT_OURS) from exc
        async with self.db.reader() as session:
            head = await session.get(ChainHeadRow, request.agency_code)
            query = (
                select(ChainEntryRow)
                .where(ChainEntryRow.agency_code == request.agency_code, ChainEntryRow.seq > after)
                .order_by(ChainEntryRow.seq)
            )
            found = await paging.read_page(
                session, query, page_size, lambda last: paging.encode_token(str(last.seq), "")
            )
        if head is None:
            raise NotFound(f"agency {request.agency_code} has published nothing yet")
        return pb.GetChainResponse(
            length=head.seq,
            head_hash=head.hash,
            entries=[records.entry_from_row(r) for r in found.rows],
            next_page_token=found.next_page_token,
        )

    async def verify_chain(self, agency_code: str) -> pb.VerifyChainResponse:
        """Walk the agency's whole chain and check every stored record and
        version against it (see chain.Verifier)."""
        verifier = Verifier(agency_code)
        async with self._verifying, self.db.reader() as session:
            head = await session.get(ChainHeadRow, agency_code)
            if head is None:
                raise NotFound(f"agency {agency_code} has published nothing yet")
            after = 0
            while True:
                # Links in seq order, each with the version it signed (if a content link).
                query = (
                    select(ChainEntryRow, ResultVersionRow.doc)
                    .join(
                        ResultVersionRow,
                        (ResultVersionRow.result_id == ChainEntryRow.result_id)
                        & (ResultVersionRow.chain_seq == ChainEntryRow.seq),
                        isouter=True,
                    )
                    .where(ChainEntryRow.agency_code == agency_code, ChainEntryRow.seq > after)
                    .order_by(ChainEntryRow.seq)
                    .limit(_VERIFY_CHUNK)
                )
                rows = (await session.exec(query)).all()
                for entry_row, version_doc in rows:
                    verifier.link(records.entry_from_row(entry_row), version_doc)
                if len(rows) < _VERIFY_CHUNK:
                    break
                after = rows[-1][0].seq
            verifier.head(head.seq, head.hash)
            await self._verify_records(session, agency_code, verifier)
        return pb.VerifyChainResponse(
            intact=verifier.intact,
            entries_checked=verifier.entries_checked,
            records_checked=verifier.records_checked,
            head_hash=head.hash,
            problems=verifier.problems,
        )

    async def _verify_records(self, session, agency_code: str, verifier: Verifier) -> None:
        # Every record that is or was public, with the link it claims as its latest.
        after = ""
        while True:
            query = (
                select(ResultRow.id, ResultRow.doc, ResultRow.public, ResultRow.status, ChainEntryRow)
                .join(
                    ChainEntryRow,
                    (ChainEntryRow.agency_code == ResultRow.agency_code)
                    & (ChainEntryRow.seq == ResultRow.chain_seq),
                    isouter=True,
                )
                .where(
                    ResultRow.agency_code == agency_code,
                    (ResultRow.chain_seq > 0) | ResultRow.public.is_(True),
                    ResultRow.id > after,
                )
                .order_by(ResultRow.id)
                .limit(_VERIFY_CHUNK)
            )
            rows = (await session.exec(query)).all()
            for result_id, doc, public, status, entry_row in rows:
                entry = records.entry_from_row(entry_row) if entry_row is not None else None
                verifier.record(result_id, doc, bool(public), status, entry)
            if len(rows) < _VERIFY_CHUNK:
                break
            after = rows[-1][0]
        # A record's latest link must be the one it points at, and no link may
        # point at a record that is gone.
        latest = (
            select(ChainEntryRow.result_id, func.max(ChainEntryRow.seq).label("last"))
            .where(ChainEntryRow.agency_code == agency_code)
            .group_by(ChainEntryRow.result_id)
            .subquery()
        )
        mismatched = (
            await session.exec(
                select(latest.c.result_id, latest.c.last, ResultRow.chain_seq)
                .join(ResultRow, ResultRow.id == latest.c.result_id, isouter=True)
                .where((ResultRow.id.is_(None)) | (ResultRow.chain_seq != latest.c.last))
                .limit(verifier.max_problems)
            )
        ).all()
        for result_id, last, seq in mismatched:
            if seq is None:
                verifier.problem(last, result_id, "chained record is missing from the store")
            else:
                verifier.problem(last, result_id, f"record points at link {seq}, its latest is {last}")


_VERIFY_CHUNK = 2000

"""The use cases every service of versioned records offers the same way
(status changes, reads, version history)."""

from __future__ import annotations

from gongshi.v1 import common_pb2
from services.runtime import limits
from services.runtime.auth import Principal
from services.runtime.errors import invalid
from services.runtime.versioned.paging import ListFilter, Listing, page_query
from services.runtime.versioned.store import VersionedStore
from services.runtime.versioned.writer import RecordWriter


class VersionedRecordsApi:
    """The use cases every service of versioned records offers the same way
    (status changes, reads, version history); a service's handlers inherit
    them and set `runtime`, `store` and `records`."""

    runtime: object
    store: VersionedStore
    records: RecordWriter

    async def change_status(
        self, principal: Principal | None, request: common_pb2.ChangeStatusRequest, *, retire: bool
    ) -> common_pb2.ChangeStatusResponse:
        return await self.records.change_status(principal, request, retire=retire)

    async def get_record(self, kind: int, request: common_pb2.GetRecordRequest):
        if request.version < 0:
            raise invalid("version", "must not be negative")
        async with self.runtime.db.reader() as session:
            return await self.store.get_public(
                session, self.records.spec(kind), request.agency_code, request.code, request.version
            )

    async def list_records(self, kind: int, page, where: ListFilter) -> Listing:
        query = page_query(page)
        if len(where.query) > limits.SHORT_TEXT:
            raise invalid("query", f"is longer than {limits.SHORT_TEXT} characters")
        async with self.runtime.db.reader() as session:
            return await self.store.list_current(session, self.records.spec(kind), where, query)

    async def list_versions(
        self, principal: Principal | None, kind: int, request: common_pb2.ListVersionsRequest
    ) -> Listing:
        # The owning agency also sees its unpublished drafts; everybody else, what was public.
        own = (
            principal is not None
            and bool(request.agency_code)
            and principal.agency_code == request.agency_code
        )
        async with self.runtime.db.reader() as session:
            return await self.store.list_versions(
                session,
                self.records.spec(kind),
                request.agency_code,
                request.code,
                page_query(request.page),
                include_drafts=own,
            )

"""Use cases of the procedures service: the agencies' versioned procedures,
supervision channels and inspection items (writes, reads, history)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import common_pb2
from gongshi.v1 import procedures_pb2 as pb
from services.procedures import domain
from services.procedures.models import (
    AgencyCopy,
    DutyItemCopy,
    ProceduresRecordRow,
    ProceduresRecordVersionRow,
)
from services.runtime import copies, publication
from services.runtime.app import ServiceRuntime
from services.runtime.auth import Principal
from services.runtime.errors import FailedPrecondition
from services.runtime.versioned import (
    RecordSpec,
    RecordWriter,
    VersionedRecordsApi,
    VersionedStore,
)

SERVICE = "procedures"
PROCEDURE = common_pb2.RECORD_KIND_PROCEDURE
CHANNEL = common_pb2.RECORD_KIND_SUPERVISION_CHANNEL
INSPECTION_ITEM = common_pb2.RECORD_KIND_INSPECTION_ITEM


@dataclass
class ProceduresHandlers(VersionedRecordsApi):
    runtime: ServiceRuntime
    store: VersionedStore = field(init=False)
    records: RecordWriter = field(init=False)

    def __post_init__(self) -> None:
        self.store = VersionedStore(ProceduresRecordRow, ProceduresRecordVersionRow)
        self.records = RecordWriter(SERVICE, self.runtime, self.store, self.region_of)
        for spec in (
            RecordSpec(
                kind=PROCEDURE,
                label="procedure",
                message=pb.Procedure,
                event_field="procedure",
                events=(pb.ProcedurePublished, pb.ProcedureRevised, pb.ProcedureRetired),
                validate=domain.validate_procedure,
                name_of=lambda p: p.name,
                ref_of=lambda p: p.duty_item_code,
                check=self._check_procedure_refs,
            ),
            RecordSpec(
                kind=CHANNEL,
                label="supervision_channel",
                message=pb.SupervisionChannel,
                event_field="channel",
                events=(
                    pb.SupervisionChannelPublished,
                    pb.SupervisionChannelRevised,
                    pb.SupervisionChannelRetired,
                ),
                validate=domain.validate_channel,
                name_of=lambda c: c.name,
                category_of=lambda c: c.type,
                check=self._check_channel_refs,
            ),
            RecordSpec(
                kind=INSPECTION_ITEM,
                label="inspection_item",
                message=pb.InspectionItem,
                event_field="inspection_item",
                events=(pb.InspectionItemPublished, pb.InspectionItemRevised, pb.InspectionItemRetired),
                validate=domain.validate_inspection_item,
                name_of=lambda i: f"{i.item} {i.sub_item}".strip(),
                ref_of=lambda i: i.duty_item_code,
                check=self._check_inspection_refs,
            ),
        ):
            self.records.specs[spec.kind] = spec

    async def region_of(self, agency_code: str) -> str:
        async with self.runtime.db.reader() as session:
            agency = await copies.known_agency(session, AgencyCopy, agency_code, SERVICE)
        return agency.region_code

    # -- writes --------------------------------------------------------------

    async def put_procedure(self, principal: Principal | None, request: pb.PutProcedureRequest):
        return await self.records.put(
            principal, self.records.spec(PROCEDURE), request.procedure, request.reason, request.publish
        )

    async def put_channel(self, principal: Principal | None, request: pb.PutSupervisionChannelRequest):
        return await self.records.put(
            principal, self.records.spec(CHANNEL), request.channel, request.reason, request.publish
        )

    async def put_inspection_item(self, principal: Principal | None, request: pb.PutInspectionItemRequest):
        return await self.records.put(
            principal,
            self.records.spec(INSPECTION_ITEM),
            request.inspection_item,
            request.reason,
            request.publish,
        )

    async def count_public_procedures(self) -> int:
        async with self.runtime.db.reader() as session:
            return await session.scalar(
                select(func.count())
                .select_from(ProceduresRecordRow)
                .where(ProceduresRecordRow.kind == PROCEDURE, ProceduresRecordRow.public_version > 0)
            )

    # -- reference checks (inside the write's transaction) ---------------------

    async def _require_duty_items(
        self, session: AsyncSession, agency_code: str, fields: dict[str, str]
    ) -> None:
        """Each named field must cite a published duty item of the agency (known from duties' events)."""
        for field_name, code in fields.items():
            row = await session.get(DutyItemCopy, (agency_code, code))
            if row is None or row.status != publication.PUBLISHED:
                state = (
                    "is retired" if row is not None else "is not published (or its event is still on its way)"
                )
                raise FailedPrecondition(f"{field_name}: duty item {code} of agency {agency_code} {state}")

    async def _check_procedure_refs(self, session: AsyncSession, procedure: pb.Procedure) -> None:
        await self._require_duty_items(
            session, procedure.agency_code, {"procedure.duty_item_code": procedure.duty_item_code}
        )

    async def _check_channel_refs(self, session: AsyncSession, channel: pb.SupervisionChannel) -> None:
        await self._require_duty_items(
            session,
            channel.agency_code,
            {f"channel.duty_item_codes[{i}]": code for i, code in enumerate(channel.duty_item_codes)},
        )

    async def _check_inspection_refs(self, session: AsyncSession, item: pb.InspectionItem) -> None:
        if item.duty_item_code:
            await self._require_duty_items(
                session, item.agency_code, {"inspection_item.duty_item_code": item.duty_item_code}
            )

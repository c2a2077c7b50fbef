"""Use cases of the duties service: agencies and credentials (administrators),
and the agencies' own versioned records: officers, legal bases, duty items.
Each use case has its module (agencies.py, credentials.py, officers.py,
duty_lists.py); DutiesHandlers assembles them with the versioned records'
store and writer, one RecordSpec per kind."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from gongshi.v1 import duties_pb2 as pb
from services.duties import domain
from services.duties.agencies import Agencies
from services.duties.credentials import Credentials
from services.duties.duty_lists import DutyLists
from services.duties.kinds import DUTY_ITEM, LEGAL_BASIS, OFFICER, SERVICE
from services.duties.models import AgencyRow, DutiesRecordRow, DutiesRecordVersionRow
from services.duties.officers import Officers
from services.duties.propagation import credential_copies
from services.runtime.app import ServiceRuntime
from services.runtime.errors import FailedPrecondition
from services.runtime.versioned import RecordSpec, RecordWriter, VersionedRecordsApi, VersionedStore


@dataclass
class DutiesHandlers(Agencies, Credentials, Officers, DutyLists, VersionedRecordsApi):
    runtime: ServiceRuntime
    store: VersionedStore = field(init=False)
    records: RecordWriter = field(init=False)
    # The gateway names its credential copy after GONGSHI_GATEWAY_NAME.
    credential_copies: tuple[str, ...] = field(
        default_factory=lambda: credential_copies(os.environ.get("GONGSHI_GATEWAY_NAME", "gateway"))
    )

    def __post_init__(self) -> None:
        self.store = VersionedStore(DutiesRecordRow, DutiesRecordVersionRow)
        self.records = RecordWriter(SERVICE, self.runtime, self.store, self.region_of)
        for spec in self._specs():
            self.records.specs[spec.kind] = spec

    def _specs(self) -> list[RecordSpec]:
        return [
            RecordSpec(
                kind=OFFICER,
                label="officer",
                message=pb.Officer,
                event_field="officer",
                events=(pb.OfficerPublished, pb.OfficerRevised, pb.OfficerRetired),
                validate=domain.validate_officer,
                name_of=lambda o: o.name,
                code_field="certificate_number",
                category_of=lambda o: o.status,
                check=self._check_certificate_is_ours,
            ),
            RecordSpec(
                kind=LEGAL_BASIS,
                label="legal_basis",
                message=pb.LegalBasis,
                event_field="legal_basis",
                events=(pb.LegalBasisPublished, pb.LegalBasisRevised, pb.LegalBasisRetired),
                validate=domain.validate_legal_basis,
                name_of=lambda b: f"{b.instrument_title}{b.article}",
                category_of=lambda b: b.level,
                after_change=self._after_basis_change,
            ),
            RecordSpec(
                kind=DUTY_ITEM,
                label="duty_item",
                message=pb.DutyItem,
                event_field="duty_item",
                events=(pb.DutyItemPublished, pb.DutyItemRevised, pb.DutyItemRetired),
                validate=domain.validate_duty_item,
                name_of=lambda d: d.name,
                category_of=lambda d: d.power_type,
                derived_fields=("publication", "region_code", "needs_review", "review_reason"),
                check=self._check_cited_bases,
                after_change=self._after_duty_item_change,
            ),
        ]

    # -- versioned records ---------------------------------------------------

    async def region_of(self, agency_code: str) -> str:
        async with self.runtime.db.reader() as session:
            row = await session.get(AgencyRow, agency_code)
        if row is None:
            raise FailedPrecondition(
                f"no agency with code {agency_code}; an administrator registers it first"
            )
        return row.region_code

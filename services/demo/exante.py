"""Load the ex-ante demo data (services/demo/exante_data.py) into a running
platform through its real gRPC APIs: the administrator registers the agencies
and issues each a credential; each agency then pushes its own legal bases,
duty list (one bulk import), officers, procedures, channels and inspection
items with that credential, which is revoked at the end.

Every write is idempotent by natural key, so loading twice changes nothing;
`gongshi demo load` and `gongshi run` (on an empty platform) call
`load_exante(settings)`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

import grpc

from gongshi.v1 import common_pb2, duties_pb2, duties_pb2_grpc, procedures_pb2, procedures_pb2_grpc
from services.demo import exante_data as data
from services.runtime.settings import Settings

T = TypeVar("T")

# Services learn agencies, credentials and duty items from events: give them time.
PROPAGATION_TIMEOUT_SECONDS = 60.0
_WAIT_CODES = (
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.UNAVAILABLE,
)


class DemoLoadError(RuntimeError):
    pass


def admin_token(settings: Settings) -> str:
    if settings.admin_token:
        return settings.admin_token
    path = settings.data_dir / "admin.token"
    if not path.exists():
        raise DemoLoadError(
            f"no administrator token: set GONGSHI_ADMIN_TOKEN or start the platform once ({path})"
        )
    return path.read_text().strip()


def _auth(token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")]


def _eventually(call: Callable[[], T], timeout: float = PROPAGATION_TIMEOUT_SECONDS) -> T:
    """Retry while the answer means "not known here yet" (an event still on its way)."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        try:
            return call()
        except grpc.RpcError as exc:
            if exc.code() not in _WAIT_CODES or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def platform_is_empty(settings: Settings) -> bool:
    """True when the duties service has no agency at all."""
    with grpc.insecure_channel(settings.grpc_addr("duties")) as channel:
        reply = _eventually(
            lambda: duties_pb2_grpc.DutiesServiceStub(channel).ListAgencies(
                duties_pb2.ListAgenciesRequest(page=common_pb2.PageRequest(page_size=1)), timeout=10
            ),
            timeout=15,
        )
    return reply.total == 0


def load_exante(settings: Settings, *, log: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    """Fill the platform with the demo agencies and their ex-ante records.

    Returns how many records of each kind were written (0 on a second run:
    everything is already there) and how many exist in the seed set.
    """
    token = admin_token(settings)
    counts: Counter[str] = Counter()
    with (
        grpc.insecure_channel(settings.grpc_addr("duties")) as duties_channel,
        grpc.insecure_channel(settings.grpc_addr("procedures")) as procedures_channel,
    ):
        admin = duties_pb2_grpc.AdminServiceStub(duties_channel)
        duties = duties_pb2_grpc.DutiesServiceStub(duties_channel)
        procedures = procedures_pb2_grpc.ProceduresServiceStub(procedures_channel)
        for seed in data.AGENCIES:
            reply = _eventually(
                lambda seed=seed: admin.RegisterAgency(
                    duties_pb2.RegisterAgencyRequest(agency=seed.agency), metadata=_auth(token), timeout=10
                )
            )
            counts["agencies"] += reply.created
            counts["seed_agencies"] += 1
        for seed in data.AGENCIES:
            code = seed.agency.code
            credential = admin.IssueCredential(
                duties_pb2.IssueCredentialRequest(
                    role=common_pb2.ROLE_AGENCY, agency_code=code, label="demo loader"
                ),
                metadata=_auth(token),
                timeout=10,
            )
            try:
                agency = _AgencyLoader(seed, duties, procedures, _auth(credential.token), counts)
                agency.load_duties()
                agency.load_procedures()
            finally:
                admin.RevokeCredential(
                    duties_pb2.RevokeCredentialRequest(credential_id=credential.credential_id),
                    metadata=_auth(token),
                    timeout=10,
                )
            log(f"  {seed.agency.name} ({code}): {len(seed.items)} duty items")
    return dict(counts)


class _AgencyLoader:
    def __init__(self, seed: data.AgencySeed, duties, procedures, metadata, counts: Counter) -> None:
        self.seed = seed
        self.duties = duties
        self.procedures = procedures
        self.metadata = metadata
        self.counts = counts
        self.code = seed.agency.code

    def _put(self, kind: str, call: Callable[[], object]) -> None:
        reply = _eventually(call)
        self.counts[kind] += bool(reply.changed)
        self.counts[f"seed_{kind}"] += 1

    def load_duties(self) -> None:
        for b in self.seed.bases:
            basis = duties_pb2.LegalBasis(
                code=b.code,
                instrument_title=b.title,
                level=b.level,
                issuing_body=b.body,
                document_number=b.document_number,
                article=b.article,
                paragraph=b.paragraph,
                item=b.item,
                text_excerpt=b.excerpt,
                role=b.role,
                effective_date=b.effective,
            )
            self._put(
                "legal_bases",
                lambda basis=basis: self.duties.PutLegalBasis(
                    duties_pb2.PutLegalBasisRequest(legal_basis=basis, publish=True),
                    metadata=self.metadata,
                    timeout=10,
                ),
            )
        rows = [
            duties_pb2.PutDutyItemRequest(duty_item=self._duty_item(i), publish=True) for i in self.seed.items
        ]
        reply = self.duties.ImportDutyItems(iter(rows), metadata=self.metadata, timeout=60)
        if reply.refused:
            errors = [
                f"row {o.index}: {[(e.field, e.description) for e in o.errors]}" for o in reply.outcomes
            ]
            raise DemoLoadError(f"duty list of {self.code} refused rows: {errors}")
        self.counts["duty_items"] += sum(not o.duplicate for o in reply.outcomes)
        self.counts["seed_duty_items"] += len(rows)
        for o in self.seed.officers:
            officer = duties_pb2.Officer(
                certificate_number=o.number,
                name=o.name,
                enforcement_category=o.category,
                enforcement_area=o.area,
                valid_from=o.valid_from,
                valid_to=o.valid_to,
                status=o.status,
            )
            self._put(
                "officers",
                lambda officer=officer: self.duties.PutOfficer(
                    duties_pb2.PutOfficerRequest(officer=officer, publish=True),
                    metadata=self.metadata,
                    timeout=10,
                ),
            )

    def _duty_item(self, item: data.Item) -> duties_pb2.DutyItem:
        stage = duties_pb2
        responsibilities = [
            (stage.DUTY_STAGE_FILING, "依法受理或者立案，对不符合条件的说明理由。"),
            (stage.DUTY_STAGE_INVESTIGATION, "两名以上执法人员出示执法证件，全面、客观、公正调查取证。"),
            (stage.DUTY_STAGE_REVIEW, "审查证据、依据和程序，重大决定经法制审核。"),
            (stage.DUTY_STAGE_NOTIFICATION, "告知当事人拟作出决定的事实、理由、依据及依法享有的权利。"),
            (stage.DUTY_STAGE_DECISION, "依法作出决定并制作决定书。"),
            (stage.DUTY_STAGE_SERVICE, "依法送达决定书。"),
            (stage.DUTY_STAGE_EXECUTION, "监督执行并依法公示。"),
        ]
        return duties_pb2.DutyItem(
            code=item.code,
            name=item.name,
            power_type=item.power_type,
            sub_items=[
                duties_pb2.DutySubItem(code=f"{item.code}-{n:02d}", name=name)
                for n, name in enumerate(item.sub_items, start=1)
            ],
            implementing_agency=self.seed.agency.name,
            handling_unit=item.unit,
            legal_basis_codes=list(item.bases),
            responsibilities=[duties_pb2.Responsibility(stage=s, description=t) for s, t in responsibilities],
            accountability_cases=[
                "对符合法定条件的申请不予受理、不予办理或者对违法行为不依法查处的；",
                "违反法定程序实施行政执法的；",
                "滥用职权、玩忽职守、徇私舞弊的；",
                "其他违反法律法规规章规定的行为。",
            ],
            effective_from="2024-01-01",
        )

    def load_procedures(self) -> None:
        for item in self.seed.items:
            if item.guide:
                procedure = self._procedure(item)
                self._put(
                    "procedures",
                    lambda procedure=procedure: self.procedures.PutProcedure(
                        procedures_pb2.PutProcedureRequest(procedure=procedure, publish=True),
                        metadata=self.metadata,
                        timeout=10,
                    ),
                )
        for channel in self._channels():
            self._put(
                "supervision_channels",
                lambda channel=channel: self.procedures.PutSupervisionChannel(
                    procedures_pb2.PutSupervisionChannelRequest(channel=channel, publish=True),
                    metadata=self.metadata,
                    timeout=10,
                ),
            )
        for i in self.seed.inspections:
            inspection = procedures_pb2.InspectionItem(
                code=i.code,
                item=i.item,
                sub_item=i.sub_item,
                inspecting_body=self.seed.agency.name,
                basis=list(i.basis),
                method=i.method,
                content=i.content,
                targets=i.targets,
                ratio_percent=i.ratio,
                frequency=i.frequency,
                handling_unit="",
                duty_item_code=i.duty_item,
            )
            self._put(
                "inspection_items",
                lambda inspection=inspection: self.procedures.PutInspectionItem(
                    procedures_pb2.PutInspectionItemRequest(inspection_item=inspection, publish=True),
                    metadata=self.metadata,
                    timeout=10,
                ),
            )

    def _procedure(self, item: data.Item) -> procedures_pb2.Procedure:
        agency = self.seed.agency
        if item.power_type == data.LICENSING:
            steps = data.licensing_steps(item.unit, agency.name)
            extra = dict(
                approving_unit=agency.name,
                acceptance_conditions="申请人具备法定条件，申请材料齐全、符合法定形式。",
                required_materials=data.LICENSING_MATERIALS,
                statutory_time_limit_days=20,
                promised_time_limit_days=10,
                fees="不收费",
                hearing_applicable=True,
                status_query_channel=f"{agency.website}/progress 或拨打 {agency.phone}",
                forms_download=f"{agency.website}/forms",
            )
        elif item.power_type == data.PUNISH:
            steps = data.penalty_steps(item.unit)
            extra = dict(
                approving_unit=agency.name,
                statutory_time_limit_days=90,
                time_limit_note="自立案之日起90日内作出决定；案情复杂的，经批准可以延长。",
                fees="不收费",
                hearing_applicable=True,
            )
        else:
            steps = data.generic_steps(item.unit)
            extra = dict(fees="不收费")
        return procedures_pb2.Procedure(
            code=f"P-{item.code}",
            duty_item_code=item.code,
            name=f"{item.name}{'服务指南' if item.power_type == data.LICENSING else '执法流程'}",
            steps=steps,
            accepting_unit=item.unit,
            consultation_channel=agency.phone,
            **extra,
        )

    def _channels(self) -> list[procedures_pb2.SupervisionChannel]:
        s, a = self.seed, self.seed.agency
        rights = [
            procedures_pb2.PARTY_RIGHT_HEARING,
            procedures_pb2.PARTY_RIGHT_STATEMENT,
            procedures_pb2.PARTY_RIGHT_DEFENCE,
        ]
        return [
            procedures_pb2.SupervisionChannel(
                code="TS-01",
                type=procedures_pb2.CHANNEL_TYPE_COMPLAINT,
                name="投诉举报",
                receiving_body=a.name,
                phone=s.complaint_phone,
                postal_address=s.postal_address,
                postcode=s.postcode,
                email=s.email,
                acceptance_procedure="收到投诉举报之日起5个工作日内决定是否受理并告知；受理后30日内办结并答复，情况复杂的经批准可延长不超过20日。",
                acceptance_time_limit_days=5,
                handling_time_limit_days=30,
                party_rights=rights,
            ),
            procedures_pb2.SupervisionChannel(
                code="FY-01",
                type=procedures_pb2.CHANNEL_TYPE_ADMINISTRATIVE_REVIEW,
                name="申请行政复议",
                receiving_body=s.review_body,
                phone=s.complaint_phone,
                postal_address=f"{s.review_body}行政复议办公室",
                acceptance_procedure="复议机关收到申请后5日内审查，决定是否受理。",
                acceptance_time_limit_days=5,
                handling_time_limit_days=60,
                party_rights=rights,
                review_deadline="自知道或者应当知道该行政行为之日起60日内",
            ),
            procedures_pb2.SupervisionChannel(
                code="SS-01",
                type=procedures_pb2.CHANNEL_TYPE_ADMINISTRATIVE_LITIGATION,
                name="提起行政诉讼",
                receiving_body=s.court,
                postal_address=s.court,
                url="https://ssfw.example.court.gov.cn",
                party_rights=rights,
                litigation_deadline="自知道或者应当知道作出行政行为之日起6个月内",
            ),
            procedures_pb2.SupervisionChannel(
                code="RX-12345",
                type=procedures_pb2.CHANNEL_TYPE_HOTLINE_12345,
                name="12345 政务服务便民热线",
                receiving_body="12345 政务服务便民热线",
                phone="12345",
                acceptance_procedure="热线受理后转办至承办单位，承办单位按时限办理并答复。",
            ),
            procedures_pb2.SupervisionChannel(
                code="JD-01",
                type=procedures_pb2.CHANNEL_TYPE_SUPERVISION_PHONE,
                name="行政执法监督电话",
                receiving_body=a.name,
                phone=a.supervision_phone,
                email=a.email,
            ),
        ]

"""The procedures service end to end, as real processes: procedures checked
against the duty items it learns from duties' events, versions and
retirement of procedures, channels and inspection items, their events, and
the agency-only writes."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid

import grpc
import httpx
import nats
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from gongshi.v1 import common_pb2, duties_pb2, duties_pb2_grpc, procedures_pb2_grpc
from gongshi.v1 import procedures_pb2 as pb
from tests.support.platform import auth, register_agency


@pytest.fixture(scope="module")
def stubs(platform):
    _, settings = platform
    with (
        grpc.insecure_channel(settings.grpc_addr("duties")) as d,
        grpc.insecure_channel(settings.grpc_addr("procedures")) as p,
    ):
        yield duties_pb2_grpc.DutiesServiceStub(d), procedures_pb2_grpc.ProceduresServiceStub(p)


@pytest.fixture(scope="module")
def agency(platform, stubs) -> tuple[str, str]:
    """An agency with one published duty item that procedures already knows."""
    _, settings = platform
    duties, procedures = stubs
    code = f"SCJG-{uuid.uuid4().hex[:8]}"
    token = register_agency(settings, code)
    duties.PutLegalBasis(
        duties_pb2.PutLegalBasisRequest(
            legal_basis=duties_pb2.LegalBasis(
                code="SPAQF-35",
                instrument_title="中华人民共和国食品安全法",
                level=duties_pb2.INSTRUMENT_LEVEL_LAW,
                article="第三十五条",
                role=duties_pb2.BASIS_ROLE_SETTING,
            ),
            publish=True,
        ),
        metadata=auth(token),
        timeout=10,
    )
    for item_code in ("XK-001", "XK-002"):
        duties.PutDutyItem(
            duties_pb2.PutDutyItemRequest(
                duty_item=duties_pb2.DutyItem(
                    code=item_code,
                    name=f"食品经营许可{item_code}",
                    power_type=duties_pb2.POWER_TYPE_LICENSING,
                    legal_basis_codes=["SPAQF-35"],
                ),
                publish=True,
            ),
            metadata=auth(token),
            timeout=10,
        )
    # The first write waits for the credential, the agency and the duty item to arrive by events.
    deadline = time.monotonic() + 30
    while True:
        try:
            put_procedure(procedures, token, procedure("P-WARMUP"))
            break
        except grpc.RpcError as exc:
            assert exc.code() in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.FAILED_PRECONDITION)
            assert time.monotonic() < deadline, exc.details()
            time.sleep(0.2)
    return code, token


def procedure(code: str, duty_item: str = "XK-001", **changes) -> pb.Procedure:
    p = pb.Procedure(
        code=code,
        duty_item_code=duty_item,
        name="食品经营许可服务指南",
        steps=[
            pb.ProcedureStep(name="申请", actor="申请人"),
            pb.ProcedureStep(
                name="受理", actor="行政审批科", time_limit="5个工作日", output_document="受理通知书"
            ),
            pb.ProcedureStep(
                name="决定", actor="局领导", time_limit="20个工作日", output_document="许可决定书"
            ),
        ],
        accepting_unit="行政审批科",
        approving_unit="某区市场监督管理局",
        statutory_time_limit_days=20,
        promised_time_limit_days=10,
        required_materials=["申请书", "营业执照"],
        hearing_applicable=True,
    )
    for key, value in changes.items():
        setattr(p, key, value)
    return p


def put_procedure(procedures, token: str, p: pb.Procedure, reason: str = "", publish: bool = True):
    return procedures.PutProcedure(
        pb.PutProcedureRequest(procedure=p, reason=reason, publish=publish), metadata=auth(token), timeout=10
    )


def violations(exc: grpc.RpcError) -> set[str]:
    out = set()
    for detail in rpc_status.from_call(exc).details:
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad):
            out |= {v.field for v in bad.field_violations}
    return out


async def events_for(nats_url: str, subject: str, wait: float = 3.0) -> list:
    nc = await nats.connect(nats_url)
    try:
        sub = await nc.jetstream().subscribe(subject, ordered_consumer=True)
        received = []
        while True:
            try:
                received.append(await sub.next_msg(timeout=wait))
            except nats.errors.TimeoutError:
                return received
    finally:
        await nc.close()


def test_procedure_versions_and_events(platform, stubs, agency):
    running, _ = platform
    _, procedures = stubs
    code, token = agency
    first = put_procedure(procedures, token, procedure("P-1"))
    assert (
        first.changed and first.procedure.publication.version == 1 and first.procedure.region_code == "310101"
    )
    assert not put_procedure(procedures, token, procedure("P-1")).changed
    revised = put_procedure(
        procedures, token, procedure("P-1", promised_time_limit_days=5), reason="承诺时限压缩"
    )
    assert revised.procedure.publication.version == 2
    history = procedures.ListProcedureVersions(common_pb2.ListVersionsRequest(agency_code=code, code="P-1"))
    assert [(v.publication.version, v.publication.status) for v in history.versions] == [
        (1, common_pb2.PUBLICATION_STATUS_REVISED),
        (2, common_pb2.PUBLICATION_STATUS_PUBLISHED),
    ]
    assert history.versions[0].promised_time_limit_days == 10  # the old version is kept as it was
    published = asyncio.run(
        events_for(running.nats.address, f"gongshi.procedures.procedure_published.{code}")
    )
    assert "P-1" in [pb.ProcedurePublished.FromString(m.data).procedure.code for m in published]
    revisions = asyncio.run(events_for(running.nats.address, f"gongshi.procedures.procedure_revised.{code}"))
    event = pb.ProcedureRevised.FromString(revisions[0].data)
    assert (event.procedure.code, event.previous_version, event.procedure.publication.reason) == (
        "P-1",
        1,
        "承诺时限压缩",
    )


def test_procedure_must_cite_a_published_duty_item(stubs, agency):
    duties, procedures = stubs
    _, token = agency
    with pytest.raises(grpc.RpcError) as caught:
        put_procedure(procedures, token, procedure("P-NOITEM", duty_item="NO-SUCH"))
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "procedure.duty_item_code" in caught.value.details()

    put_procedure(procedures, token, procedure("P-2", duty_item="XK-002"))
    duties.RetireRecord(
        common_pb2.ChangeStatusRequest(
            kind=common_pb2.RECORD_KIND_DUTY_ITEM, code="XK-002", reason="事项取消"
        ),
        metadata=auth(token),
        timeout=10,
    )
    deadline = time.monotonic() + 20
    # A new code each try: a retried put of a stored record is a no-op and checks nothing.
    for attempt in itertools.count():
        try:
            put_procedure(procedures, token, procedure(f"P-3-{attempt}", duty_item="XK-002"))
        except grpc.RpcError as exc:
            assert exc.code() == grpc.StatusCode.FAILED_PRECONDITION and "retired" in exc.details()
            break
        assert time.monotonic() < deadline, "procedures never learned of the retirement"
        time.sleep(0.2)


def test_retired_channel_leaves_the_list_and_keeps_history(platform, stubs, agency):
    running, _ = platform
    _, procedures = stubs
    code, token = agency
    channel = pb.SupervisionChannel(
        code="FY-01",
        type=pb.CHANNEL_TYPE_ADMINISTRATIVE_REVIEW,
        name="申请行政复议",
        receiving_body="某区人民政府",
        phone="021-5550-0000",
        review_deadline="自知道之日起60日内",
        party_rights=[pb.PARTY_RIGHT_HEARING, pb.PARTY_RIGHT_STATEMENT, pb.PARTY_RIGHT_DEFENCE],
    )
    procedures.PutSupervisionChannel(
        pb.PutSupervisionChannelRequest(channel=channel, publish=True), metadata=auth(token), timeout=10
    )
    listed = procedures.ListSupervisionChannels(
        pb.ListSupervisionChannelsRequest(agency_code=code, type=pb.CHANNEL_TYPE_ADMINISTRATIVE_REVIEW)
    )
    assert [c.code for c in listed.channels] == ["FY-01"]
    procedures.RetireRecord(
        common_pb2.ChangeStatusRequest(
            kind=common_pb2.RECORD_KIND_SUPERVISION_CHANNEL, code="FY-01", reason="复议机关调整"
        ),
        metadata=auth(token),
        timeout=10,
    )
    assert procedures.ListSupervisionChannels(pb.ListSupervisionChannelsRequest(agency_code=code)).total == 0
    old = procedures.GetSupervisionChannel(common_pb2.GetRecordRequest(agency_code=code, code="FY-01"))
    assert old.publication.status == common_pb2.PUBLICATION_STATUS_RETIRED
    assert old.publication.retire_reason == "复议机关调整"
    retired = asyncio.run(
        events_for(running.nats.address, f"gongshi.procedures.supervision_channel_retired.{code}")
    )
    assert [pb.SupervisionChannelRetired.FromString(m.data).channel.code for m in retired] == ["FY-01"]
    # Putting it again brings it back as a new version, with a reason.
    back = procedures.PutSupervisionChannel(
        pb.PutSupervisionChannelRequest(channel=channel, publish=True, reason="恢复"),
        metadata=auth(token),
        timeout=10,
    )
    assert back.channel.publication.version == 2
    assert procedures.ListSupervisionChannels(pb.ListSupervisionChannelsRequest(agency_code=code)).total == 1


def test_inspection_items_and_their_page(platform, stubs, agency):
    running, _ = platform
    _, procedures = stubs
    code, token = agency
    item = pb.InspectionItem(
        code="SJ-01",
        item="食品经营者检查",
        sub_item="进货查验",
        inspecting_body="某区市场监督管理局",
        basis=["《中华人民共和国食品安全法》第一百一十条"],
        method="现场检查",
        content="进货查验记录",
        targets="辖区食品经营者",
        ratio_percent=5,
        frequency="每年1次",
        duty_item_code="XK-001",
    )
    reply = procedures.PutInspectionItem(
        pb.PutInspectionItemRequest(inspection_item=item, publish=True), metadata=auth(token), timeout=10
    )
    assert reply.changed
    with httpx.Client(base_url=running.gateway.address, timeout=10) as http:
        body = http.get("/api/v1/inspection-items", params={"agency": code}).json()
        assert body["total"] == 1 and body["data"][0]["ratio_percent"] == 5
        page = http.get(f"/inspection-items/{code}/SJ-01")
        assert page.status_code == 200 and "食品经营者检查" in page.text and "5%" in page.text


def test_bad_input_and_other_agencies_are_refused(platform, stubs, agency):
    _, settings = platform
    _, procedures = stubs
    code, token = agency
    with pytest.raises(grpc.RpcError) as caught:
        put_procedure(procedures, token, procedure("P-BAD", promised_time_limit_days=30, accepting_unit=""))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert {"procedure.promised_time_limit_days", "procedure.accepting_unit"} <= violations(caught.value)
    with pytest.raises(grpc.RpcError) as caught:
        procedures.PutSupervisionChannel(
            pb.PutSupervisionChannelRequest(
                channel=pb.SupervisionChannel(
                    code="X", type=pb.CHANNEL_TYPE_COMPLAINT, name="投诉", receiving_body="局"
                )
            ),
            metadata=auth(token),
            timeout=10,
        )
    assert "channel.phone" in violations(caught.value)

    other = register_agency(settings, f"CG-{uuid.uuid4().hex[:8]}", region="440305")
    deadline = time.monotonic() + 20
    while True:
        try:
            put_procedure(procedures, other, procedure("P-1", agency_code=code), reason="篡改")
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.UNAUTHENTICATED and time.monotonic() < deadline:
                time.sleep(0.2)  # the credential is still on its way to procedures
                continue
            assert exc.code() == grpc.StatusCode.PERMISSION_DENIED
            break
    with pytest.raises(grpc.RpcError) as caught:
        procedures.RetireRecord(
            common_pb2.ChangeStatusRequest(
                kind=common_pb2.RECORD_KIND_PROCEDURE, agency_code=code, code="P-1", reason="x"
            ),
            metadata=auth(other),
            timeout=10,
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as caught:
        procedures.RetireRecord(
            common_pb2.ChangeStatusRequest(kind=common_pb2.RECORD_KIND_DUTY_ITEM, code="P-1", reason="x"),
            metadata=auth(token),
            timeout=10,
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    current = procedures.GetProcedure(common_pb2.GetRecordRequest(agency_code=code, code="P-1"))
    assert current.publication.version == 2


def test_procedure_page_shows_flow_and_history(platform, stubs, agency):
    running, _ = platform
    code, _ = agency
    with httpx.Client(base_url=running.gateway.address, timeout=10) as http:
        page = http.get(f"/procedures/{code}/P-1", params={"lang": "zh"}).text
        assert '<svg id="flowchart"' in page and "<title" in page and '<ol class="steps">' in page
        assert "承诺时限压缩" in page and "v2" in page
        old = http.get(f"/procedures/{code}/P-1", params={"version": 1}).text
        assert "历史版本" in old and "10 日" in old
        api = http.get(f"/api/v1/procedures/{code}/P-1", params={"version": 1}).json()
        assert api["publication"]["status"] == "revised" and api["promised_time_limit_days"] == 10

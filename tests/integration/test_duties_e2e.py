"""The duties service end to end, as real processes: agencies push officers,
legal bases and duty items over gRPC; versions, retirement, repeal, the public
certificate check, bulk import; results learns duty items from the events."""

from __future__ import annotations

import asyncio
import time
import uuid

import grpc
import nats
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from gongshi.v1 import common_pb2, duties_pb2_grpc, results_pb2, results_pb2_grpc
from gongshi.v1 import duties_pb2 as pb
from tests.support.decisions import penalty
from tests.support.platform import ADMIN_TOKEN, auth, register_agency


@pytest.fixture(scope="module")
def duties(platform):
    _, settings = platform
    channel = grpc.insecure_channel(settings.grpc_addr("duties"))
    yield duties_pb2_grpc.DutiesServiceStub(channel)
    channel.close()


@pytest.fixture(scope="module")
def agency(platform, duties) -> tuple[str, str]:
    """An agency that publishes the basis most duty items below cite."""
    _, settings = platform
    code = f"SCJG-{uuid.uuid4().hex[:8]}"
    token = register_agency(settings, code)
    put_basis(duties, token, basis())
    return code, token


def basis(code: str = "SPAQF-124", **changes) -> pb.LegalBasis:
    b = pb.LegalBasis(
        code=code,
        instrument_title="中华人民共和国食品安全法",
        level=pb.INSTRUMENT_LEVEL_LAW,
        issuing_body="全国人民代表大会常务委员会",
        article="第一百二十四条",
        role=pb.BASIS_ROLE_PENALTY,
        effective_date="2015-10-01",
        text_excerpt="违反本法规定，有下列情形之一……",
    )
    for key, value in changes.items():
        setattr(b, key, value)
    return b


def duty_item(
    code: str, bases: list[str], name: str = "对生产经营超过保质期食品的处罚", **changes
) -> pb.DutyItem:
    d = pb.DutyItem(
        code=code,
        name=name,
        power_type=pb.POWER_TYPE_PENALTY,
        legal_basis_codes=bases,
        handling_unit="执法稽查科",
        responsibilities=[pb.Responsibility(stage=pb.DUTY_STAGE_FILING, description="对违法线索依法立案")],
        accountability_cases=["不履行或者不正确履行职责的"],
    )
    for key, value in changes.items():
        setattr(d, key, value)
    return d


def put_basis(duties, token: str, b: pb.LegalBasis, reason: str = "", publish: bool = True):
    return duties.PutLegalBasis(
        pb.PutLegalBasisRequest(legal_basis=b, reason=reason, publish=publish),
        metadata=auth(token),
        timeout=10,
    )


def put_item(duties, token: str, d: pb.DutyItem, reason: str = "", publish: bool = True):
    return duties.PutDutyItem(
        pb.PutDutyItemRequest(duty_item=d, reason=reason, publish=publish), metadata=auth(token), timeout=10
    )


def violations(exc: grpc.RpcError) -> dict[str, str]:
    out = {}
    for detail in rpc_status.from_call(exc).details:
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad):
            out.update({v.field: v.description for v in bad.field_violations})
    return out


async def events_for(nats_url: str, subject: str, wait: float = 3.0) -> list:
    """Every message on a subject so far (an ordered consumer reads the stream from the start)."""
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


def test_versions_are_kept_and_readable(duties, agency):
    code, token = agency
    first = put_item(duties, token, duty_item("D-VERS", ["SPAQF-124"]))
    assert first.changed and first.duty_item.publication.version == 1
    assert first.duty_item.publication.status == common_pb2.PUBLICATION_STATUS_PUBLISHED
    assert first.duty_item.publication.reason == "首次公示"

    # A retry changes nothing; a change without a reason is refused, with one it is version 2.
    assert not put_item(duties, token, duty_item("D-VERS", ["SPAQF-124"])).changed
    renamed = duty_item("D-VERS", ["SPAQF-124"], name="对经营超过保质期食品的处罚")
    with pytest.raises(grpc.RpcError) as caught:
        put_item(duties, token, renamed)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "reason" in violations(caught.value)
    second = put_item(duties, token, renamed, reason="规范事项名称")
    assert second.duty_item.publication.version == 2

    current = duties.GetDutyItem(common_pb2.GetRecordRequest(agency_code=code, code="D-VERS"), timeout=10)
    assert current.name == "对经营超过保质期食品的处罚" and current.publication.version == 2
    old = duties.GetDutyItem(
        common_pb2.GetRecordRequest(agency_code=code, code="D-VERS", version=1), timeout=10
    )
    assert old.name == "对生产经营超过保质期食品的处罚"
    assert old.publication.status == common_pb2.PUBLICATION_STATUS_REVISED and old.publication.superseded_at
    history = duties.ListDutyItemVersions(
        common_pb2.ListVersionsRequest(agency_code=code, code="D-VERS"), timeout=10
    )
    assert [v.publication.version for v in history.versions] == [1, 2] and history.total == 2
    assert [v.publication.reason for v in history.versions] == ["首次公示", "规范事项名称"]
    # Each published version's hash covers the one before it.
    assert history.versions[1].publication.previous_hash == history.versions[0].publication.record_hash


def test_drafts_are_private_until_published(duties, agency):
    code, token = agency
    draft = put_item(duties, token, duty_item("D-DRAFT", ["SPAQF-124"]), publish=False)
    assert draft.duty_item.publication.status == common_pb2.PUBLICATION_STATUS_DRAFT
    with pytest.raises(grpc.RpcError) as caught:
        duties.GetDutyItem(common_pb2.GetRecordRequest(agency_code=code, code="D-DRAFT"), timeout=10)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    # The owner sees its draft in the history; the public does not.
    own = duties.ListDutyItemVersions(
        common_pb2.ListVersionsRequest(agency_code=code, code="D-DRAFT"), metadata=auth(token), timeout=10
    )
    assert [v.publication.status for v in own.versions] == [common_pb2.PUBLICATION_STATUS_DRAFT]
    published = duties.PublishRecord(
        common_pb2.ChangeStatusRequest(kind=common_pb2.RECORD_KIND_DUTY_ITEM, code="D-DRAFT"),
        metadata=auth(token),
        timeout=10,
    )
    assert published.changed and published.publication.status == common_pb2.PUBLICATION_STATUS_PUBLISHED
    assert duties.GetDutyItem(common_pb2.GetRecordRequest(agency_code=code, code="D-DRAFT"), timeout=10).name


def test_retired_item_leaves_lists_but_keeps_its_history(platform, duties, agency):
    running, _ = platform
    code, token = agency
    put_item(duties, token, duty_item("D-RETIRE", ["SPAQF-124"], name="对某事项的处罚"))
    listed = duties.ListDutyItems(pb.ListDutyItemsRequest(agency_code=code, query="某事项"), timeout=10)
    assert [d.code for d in listed.duty_items] == ["D-RETIRE"]
    with pytest.raises(grpc.RpcError) as caught:
        duties.RetireRecord(
            common_pb2.ChangeStatusRequest(kind=common_pb2.RECORD_KIND_DUTY_ITEM, code="D-RETIRE"),
            metadata=auth(token),
            timeout=10,
        )
    assert "reason" in violations(caught.value)
    retired = duties.RetireRecord(
        common_pb2.ChangeStatusRequest(
            kind=common_pb2.RECORD_KIND_DUTY_ITEM, code="D-RETIRE", reason="职能划转"
        ),
        metadata=auth(token),
        timeout=10,
    )
    assert retired.changed and retired.publication.status == common_pb2.PUBLICATION_STATUS_RETIRED
    listed = duties.ListDutyItems(pb.ListDutyItemsRequest(agency_code=code, query="某事项"), timeout=10)
    assert listed.total == 0 and not listed.duty_items
    history = duties.ListDutyItemVersions(
        common_pb2.ListVersionsRequest(agency_code=code, code="D-RETIRE"), timeout=10
    )
    assert history.versions[0].publication.status == common_pb2.PUBLICATION_STATUS_RETIRED
    assert history.versions[0].publication.retire_reason == "职能划转"
    messages = asyncio.run(events_for(running.nats.address, f"gongshi.duties.duty_item_retired.{code}"))
    retired_events = [pb.DutyItemRetired.FromString(m.data).duty_item for m in messages]
    assert [(d.code, d.publication.status) for d in retired_events] == [
        ("D-RETIRE", common_pb2.PUBLICATION_STATUS_RETIRED)
    ]


def test_certificate_check_shows_public_fields_only(platform, duties, agency):
    running, _ = platform
    code, token = agency
    secret_id, photo = "31010119850607123X", b"\x89PNG-secret-photo-bytes"
    for number, valid_to in (("31010120230001", "2099-12-31"), ("31010120150002", "2020-12-31")):
        duties.PutOfficer(
            pb.PutOfficerRequest(
                officer=pb.Officer(
                    certificate_number=number,
                    name="陈建国",
                    enforcement_category="市场监管",
                    enforcement_area="黄浦区",
                    valid_from="2015-01-01",
                    valid_to=valid_to,
                ),
                private=pb.OfficerPrivate(id_number=secret_id, photo=photo),
                publish=True,
            ),
            metadata=auth(token),
            timeout=10,
        )
    valid = duties.CheckCertificate(
        pb.CheckCertificateRequest(certificate_number="31010120230001"), timeout=10
    )
    assert valid.validity == pb.CERTIFICATE_VALIDITY_VALID
    assert valid.officer.name == "陈建国" and valid.officer.agency_code == code
    assert valid.agency_name == "测试市场监督管理局"
    expired = duties.CheckCertificate(
        pb.CheckCertificateRequest(certificate_number="31010120150002"), timeout=10
    )
    assert expired.validity == pb.CERTIFICATE_VALIDITY_EXPIRED
    unknown = duties.CheckCertificate(pb.CheckCertificateRequest(certificate_number="99999999"), timeout=10)
    assert unknown.validity == pb.CERTIFICATE_VALIDITY_UNKNOWN and not unknown.officer.name
    # Private fields leave the service nowhere: not in reads, lists, histories or events.
    reads = [
        valid.SerializeToString(),
        duties.GetOfficer(
            common_pb2.GetRecordRequest(agency_code=code, code="31010120230001"), timeout=10
        ).SerializeToString(),
        duties.ListOfficers(pb.ListOfficersRequest(agency_code=code), timeout=10).SerializeToString(),
        duties.ListOfficerVersions(
            common_pb2.ListVersionsRequest(agency_code=code, code="31010120230001"),
            metadata=auth(token),
            timeout=10,
        ).SerializeToString(),
    ]
    messages = asyncio.run(events_for(running.nats.address, f"gongshi.duties.officer_published.{code}"))
    assert len(messages) == 2
    for blob in [*reads, *(m.data for m in messages)]:
        assert secret_id.encode() not in blob and photo not in blob


def test_certificate_numbers_are_unique_on_the_platform(platform, duties, agency):
    _, settings = platform
    other = register_agency(settings, f"CG-{uuid.uuid4().hex[:8]}", region="440305")
    officer = pb.Officer(
        certificate_number="31010120230001",
        name="李四",
        enforcement_category="城管",
        valid_from="2024-01-01",
        valid_to="2030-01-01",
    )
    with pytest.raises(grpc.RpcError) as caught:
        duties.PutOfficer(
            pb.PutOfficerRequest(officer=officer, publish=True), metadata=auth(other), timeout=10
        )
    assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS


def test_repealing_an_instrument_flags_every_citing_item_once(platform, duties, agency):
    running, _ = platform
    code, token = agency
    put_basis(
        duties, token, basis("RPL-1", instrument_title="某某市户外广告管理办法", level=5, article="第十条")
    )
    put_basis(
        duties, token, basis("RPL-2", instrument_title="某某市户外广告管理办法", level=5, article="第二十条")
    )
    for i in range(3):
        put_item(duties, token, duty_item(f"D-RPL-{i}", ["RPL-1", "RPL-2"], name=f"户外广告事项{i}"))
    put_item(duties, token, duty_item("D-RPL-OTHER", ["SPAQF-124"], name="不受影响的事项"))

    reply = duties.RepealInstrument(
        pb.RepealInstrumentRequest(
            instrument_title="某某市户外广告管理办法", repealed_date="2026-03-01", reason="规章已废止"
        ),
        metadata=auth(token),
        timeout=10,
    )
    assert sorted(reply.legal_basis_codes) == ["RPL-1", "RPL-2"]
    assert list(reply.flagged_duty_item_codes) == ["D-RPL-0", "D-RPL-1", "D-RPL-2"]

    flagged = duties.ListDutyItems(pb.ListDutyItemsRequest(agency_code=code, needs_review=True), timeout=10)
    assert sorted(d.code for d in flagged.duty_items) == ["D-RPL-0", "D-RPL-1", "D-RPL-2"]
    assert all("已于2026-03-01废止" in d.review_reason for d in flagged.duty_items)
    basis_now = duties.GetLegalBasis(common_pb2.GetRecordRequest(agency_code=code, code="RPL-1"), timeout=10)
    assert basis_now.repealed_date == "2026-03-01" and basis_now.publication.version == 2

    # A retried repeal changes nothing and announces nothing again.
    duties.RepealInstrument(
        pb.RepealInstrumentRequest(
            instrument_title="某某市户外广告管理办法", repealed_date="2026-03-01", reason="规章已废止"
        ),
        metadata=auth(token),
        timeout=10,
    )
    flags = asyncio.run(events_for(running.nats.address, f"gongshi.duties.duty_item_review_flagged.{code}"))
    per_basis = {}
    for m in flags:
        event = pb.DutyItemReviewFlagged.FromString(m.data)
        per_basis.setdefault(event.legal_basis_code, []).append(event.code)
    assert {k: sorted(v) for k, v in per_basis.items()} == {
        "RPL-1": ["D-RPL-0", "D-RPL-1", "D-RPL-2"],
        "RPL-2": ["D-RPL-0", "D-RPL-1", "D-RPL-2"],
    }
    repealed = asyncio.run(events_for(running.nats.address, f"gongshi.duties.legal_basis_repealed.{code}"))
    assert sorted(pb.LegalBasisRepealed.FromString(m.data).legal_basis.code for m in repealed) == [
        "RPL-1",
        "RPL-2",
    ]

    # Publishing a reviewed version clears the flag.
    reviewed = put_item(
        duties, token, duty_item("D-RPL-0", ["SPAQF-124"], name="户外广告事项0"), reason="依据已更新"
    ).duty_item
    assert not reviewed.needs_review
    flagged = duties.ListDutyItems(pb.ListDutyItemsRequest(agency_code=code, needs_review=True), timeout=10)
    assert sorted(d.code for d in flagged.duty_items) == ["D-RPL-1", "D-RPL-2"]


def test_cross_agency_writes_are_refused(platform, duties, agency):
    _, settings = platform
    code, token = agency
    put_item(duties, token, duty_item("D-CROSS", ["SPAQF-124"]))
    other = register_agency(settings, f"ZJ-{uuid.uuid4().hex[:8]}", region="110105")
    for call in (
        lambda: put_item(duties, other, duty_item("D-CROSS", ["SPAQF-124"], agency_code=code), reason="x"),
        lambda: put_basis(duties, other, basis(agency_code=code), reason="x"),
        lambda: duties.RetireRecord(
            common_pb2.ChangeStatusRequest(
                kind=common_pb2.RECORD_KIND_DUTY_ITEM, agency_code=code, code="D-CROSS", reason="x"
            ),
            metadata=auth(other),
            timeout=10,
        ),
    ):
        with pytest.raises(grpc.RpcError) as caught:
            call()
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as caught:
        put_item(duties, ADMIN_TOKEN, duty_item("D-ADMIN", ["SPAQF-124"], agency_code=code))
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as caught:
        duties.PutDutyItem(pb.PutDutyItemRequest(duty_item=duty_item("D-ANON", ["SPAQF-124"])), timeout=10)
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    unchanged = duties.GetDutyItem(common_pb2.GetRecordRequest(agency_code=code, code="D-CROSS"), timeout=10)
    assert unchanged.publication.version == 1
    assert unchanged.publication.status == common_pb2.PUBLICATION_STATUS_PUBLISHED


def test_bad_input_names_every_field(duties, agency):
    _, token = agency
    bad = pb.DutyItem(code="bad code", power_type=77, legal_basis_codes=["NO-SUCH-BASIS"])
    with pytest.raises(grpc.RpcError) as caught:
        put_item(duties, token, bad)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert {"duty_item.code", "duty_item.name", "duty_item.power_type"} <= set(violations(caught.value))
    with pytest.raises(grpc.RpcError) as caught:
        put_item(duties, token, duty_item("D-NOBASIS", ["SPAQF-124", "NO-SUCH-BASIS"]))
    assert set(violations(caught.value)) == {"duty_item.legal_basis_codes[1]"}
    with pytest.raises(grpc.RpcError) as caught:
        put_basis(duties, token, basis(level=0, repealed_date="2001-01-01"))
    assert {"legal_basis.level", "legal_basis.repealed_date"} <= set(violations(caught.value))
    with pytest.raises(grpc.RpcError) as caught:
        duties.ListDutyItems(pb.ListDutyItemsRequest(page={"page_size": 201}), timeout=10)
    assert "page.page_size" in violations(caught.value)


def test_bulk_import_keeps_the_good_rows(duties, agency):
    code, token = agency
    rows = [duty_item(f"IMP-{i:03d}", ["SPAQF-124"], name=f"导入事项{i:03d}") for i in range(100)]
    rows[41].name = ""  # the one bad row
    reply = duties.ImportDutyItems(
        iter(pb.PutDutyItemRequest(duty_item=row, publish=True) for row in rows),
        metadata=auth(token),
        timeout=60,
    )
    assert (reply.accepted, reply.refused) == (99, 1)
    bad = [o for o in reply.outcomes if not o.accepted]
    assert [(o.index, [e.field for e in o.errors]) for o in bad] == [(41, ["duty_item.name"])]
    listed = duties.ListDutyItems(pb.ListDutyItemsRequest(agency_code=code, query="导入事项"), timeout=10)
    assert listed.total == 99
    # The whole list again is a no-op: every row a duplicate.
    again = duties.ImportDutyItems(
        iter(pb.PutDutyItemRequest(duty_item=row, publish=True) for row in rows[:10]),
        metadata=auth(token),
        timeout=60,
    )
    assert again.accepted == 10 and all(o.duplicate for o in again.outcomes)
    # Cursor pagination walks every row exactly once.
    seen, token_ = [], ""
    while True:
        page = duties.ListDutyItems(
            pb.ListDutyItemsRequest(
                agency_code=code, query="导入事项", page={"page_size": 40, "page_token": token_}
            ),
            timeout=10,
        )
        seen += [d.code for d in page.duty_items]
        token_ = page.next_page_token
        if not token_:
            break
    assert len(seen) == 99 and seen == sorted(set(seen))


def test_results_refuses_unknown_or_retired_duty_items(platform, duties, agency):
    _, settings = platform
    _, token = agency
    put_item(duties, token, duty_item("D-RES", ["SPAQF-124"], name="结果引用的事项"))
    with grpc.insecure_channel(settings.grpc_addr("results")) as channel:
        results = results_pb2_grpc.ResultsServiceStub(channel)

        def push(duty_code: str, number: str):
            return results.PublishDecision(
                results_pb2.PublishDecisionRequest(
                    decision=penalty(document_number=number, duty_item_code=duty_code)
                ),
                metadata=auth(token),
                timeout=10,
            )

        # Wait until results has the duty item from duties' events.
        deadline = time.monotonic() + 20
        while True:
            try:
                reply = push("D-RES", f"沪黄市监罚〔2026〕D{uuid.uuid4().hex[:6]}号")
                break
            except grpc.RpcError as exc:
                assert exc.code() == grpc.StatusCode.FAILED_PRECONDITION and time.monotonic() < deadline
                time.sleep(0.2)
        assert reply.created and reply.result.duty_item_code == "D-RES"

        with pytest.raises(grpc.RpcError) as caught:
            push("NO-SUCH-ITEM", "沪黄市监罚〔2026〕D-unknown号")
        assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert "decision.duty_item_code" in caught.value.details()

        assert push("", "沪黄市监罚〔2026〕D-legacy号").created  # legacy pushes cite nothing

        duties.RetireRecord(
            common_pb2.ChangeStatusRequest(
                kind=common_pb2.RECORD_KIND_DUTY_ITEM, code="D-RES", reason="事项取消"
            ),
            metadata=auth(token),
            timeout=10,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                push("D-RES", f"沪黄市监罚〔2026〕R{uuid.uuid4().hex[:6]}号")
            except grpc.RpcError as exc:
                assert exc.code() == grpc.StatusCode.FAILED_PRECONDITION
                assert "retired" in exc.details()
                break
            assert time.monotonic() < deadline, "results never learned of the retirement"
            time.sleep(0.2)


def test_import_rows_see_the_rows_before_them(duties, agency):
    _, token = agency
    first = duty_item("IMP-SAME", ["SPAQF-124"], name="同一事项")
    renamed = duty_item("IMP-SAME", ["SPAQF-124"], name="同一事项（改名）")
    rows = [
        pb.PutDutyItemRequest(duty_item=first, publish=True),
        pb.PutDutyItemRequest(duty_item=first, publish=True),  # a retry within the stream
        pb.PutDutyItemRequest(duty_item=renamed, publish=True),  # a change without a reason
        pb.PutDutyItemRequest(duty_item=renamed, publish=True, reason="名称规范"),
    ]
    reply = duties.ImportDutyItems(iter(rows), metadata=auth(token), timeout=60)
    assert [(o.accepted, o.duplicate) for o in reply.outcomes] == [
        (True, False),
        (True, True),
        (False, False),
        (True, False),
    ]
    assert [e.field for e in reply.outcomes[2].errors] == ["reason"]
    history = duties.ListDutyItemVersions(
        common_pb2.ListVersionsRequest(agency_code=agency[0], code="IMP-SAME")
    )
    assert [v.name for v in history.versions] == ["同一事项", "同一事项（改名）"]

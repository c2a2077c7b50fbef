"""Rules of procedures, supervision channels and inspection items, with no server."""

from __future__ import annotations

import pytest

from gongshi.v1 import procedures_pb2 as pb
from services.procedures import domain
from services.runtime import limits
from services.runtime.errors import InvalidArgument


def procedure(**changes) -> pb.Procedure:
    p = pb.Procedure(
        code="P-330217001",
        duty_item_code="330217001",
        name="食品安全违法行为行政处罚程序",
        steps=[
            pb.ProcedureStep(
                name="立案", actor="执法科", time_limit="15个工作日", output_document="立案审批表"
            )
        ],
        accepting_unit="执法稽查科",
        statutory_time_limit_days=90,
        promised_time_limit_days=60,
    )
    for key, value in changes.items():
        if isinstance(value, list):
            del getattr(p, key)[:]
            getattr(p, key).extend(value)
        else:
            setattr(p, key, value)
    return p


def channel(**changes) -> pb.SupervisionChannel:
    c = pb.SupervisionChannel(
        code="FY-01",
        type=pb.CHANNEL_TYPE_ADMINISTRATIVE_REVIEW,
        name="行政复议",
        receiving_body="上海市黄浦区人民政府",
        phone="021-12345678",
        postcode="200001",
        review_deadline="自知道该行政行为之日起60日内",
    )
    for key, value in changes.items():
        if isinstance(value, list):
            del getattr(c, key)[:]
            getattr(c, key).extend(value)
        else:
            setattr(c, key, value)
    return c


def inspection(**changes) -> pb.InspectionItem:
    i = pb.InspectionItem(
        code="SJ-01",
        item="食品经营者检查",
        inspecting_body="上海市黄浦区市场监督管理局",
        basis=["《中华人民共和国食品安全法》第一百一十条"],
        method="现场检查",
        content="经营场所卫生、进货查验记录",
        ratio_percent=5,
    )
    for key, value in changes.items():
        if isinstance(value, list):
            del getattr(i, key)[:]
            getattr(i, key).extend(value)
        else:
            setattr(i, key, value)
    return i


def fields(exc: InvalidArgument) -> set[str]:
    return {v.field for v in exc.violations}


def test_valid_records_pass():
    domain.validate_procedure(procedure())
    domain.validate_channel(channel())
    domain.validate_inspection_item(inspection())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": ""}, "procedure.code"),
        ({"duty_item_code": ""}, "procedure.duty_item_code"),
        ({"name": ""}, "procedure.name"),
        ({"steps": []}, "procedure.steps"),
        ({"steps": [pb.ProcedureStep(name="")]}, "procedure.steps[0].name"),
        ({"steps": [pb.ProcedureStep(name="步")] * (limits.MAX_PROCEDURE_STEPS + 1)}, "procedure.steps"),
        ({"accepting_unit": ""}, "procedure.accepting_unit"),
        ({"promised_time_limit_days": 91}, "procedure.promised_time_limit_days"),
        ({"statutory_time_limit_days": -1}, "procedure.statutory_time_limit_days"),
    ],
)
def test_procedure_fields_are_named(changes, field):
    with pytest.raises(InvalidArgument) as caught:
        domain.validate_procedure(procedure(**changes))
    assert field in fields(caught.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": 0}, "channel.type"),
        ({"name": ""}, "channel.name"),
        ({"receiving_body": ""}, "channel.receiving_body"),
        ({"phone": "", "postcode": ""}, "channel.phone"),
        ({"phone": "call me"}, "channel.phone"),
        ({"postcode": "20001"}, "channel.postcode"),
        ({"email": "nobody"}, "channel.email"),
        ({"url": "javascript:alert(1)"}, "channel.url"),
        ({"review_deadline": ""}, "channel.review_deadline"),
        (
            {"type": pb.CHANNEL_TYPE_ADMINISTRATIVE_LITIGATION, "litigation_deadline": ""},
            "channel.litigation_deadline",
        ),
        ({"party_rights": [9]}, "channel.party_rights[0]"),
        ({"duty_item_codes": ["bad code"]}, "channel.duty_item_codes[0]"),
    ],
)
def test_channel_fields_are_named(changes, field):
    with pytest.raises(InvalidArgument) as caught:
        domain.validate_channel(channel(**changes))
    assert field in fields(caught.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"item": ""}, "inspection_item.item"),
        ({"inspecting_body": ""}, "inspection_item.inspecting_body"),
        ({"basis": []}, "inspection_item.basis"),
        ({"method": ""}, "inspection_item.method"),
        ({"content": ""}, "inspection_item.content"),
        ({"ratio_percent": 120}, "inspection_item.ratio_percent"),
        ({"ratio_percent": -1}, "inspection_item.ratio_percent"),
        ({"duty_item_code": "a b"}, "inspection_item.duty_item_code"),
    ],
)
def test_inspection_item_fields_are_named(changes, field):
    with pytest.raises(InvalidArgument) as caught:
        domain.validate_inspection_item(inspection(**changes))
    assert field in fields(caught.value)

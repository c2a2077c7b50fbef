"""A realistic, fictional ex-ante publicity seed set: five agencies in two
regions (Shanghai Huangpu 310101, Shenzhen Nanshan 440305), their legal
bases, 50 duty items, officers, procedures, supervision channels and random
inspection items. The records are data (data/exante.json, read here); the
procedures' steps are templates filled in per agency below.

Agencies, people, phone numbers and codes are invented. Laws and article
numbers are real national instruments, cited the way agencies cite them;
excerpts are shortened paraphrases, not authoritative text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from google.protobuf import json_format

from gongshi.v1 import duties_pb2 as d
from gongshi.v1 import procedures_pb2 as p

# The kinds of power the procedures below are written for (services/demo/exante.py).
LICENSING, PUNISH = d.POWER_TYPE_LICENSING, d.POWER_TYPE_PENALTY


@dataclass(frozen=True)
class Basis:
    code: str
    title: str
    level: int
    body: str
    article: str
    role: int
    effective: str
    excerpt: str
    document_number: str = ""
    paragraph: str = ""
    item: str = ""


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    power_type: int
    bases: tuple[str, ...]
    unit: str
    sub_items: tuple[str, ...] = ()
    guide: bool = False  # publish a procedure / service guide for it


@dataclass(frozen=True)
class Officer:
    number: str
    name: str
    category: str
    area: str
    valid_from: str
    valid_to: str
    status: int = d.CERTIFICATE_STATUS_ACTIVE


@dataclass(frozen=True)
class Inspection:
    code: str
    item: str
    sub_item: str
    basis: tuple[str, ...]
    method: str
    content: str
    targets: str
    ratio: float
    frequency: str
    duty_item: str = ""


@dataclass
class AgencySeed:
    agency: d.Agency
    bases: list[Basis]
    items: list[Item]
    officers: list[Officer]
    inspections: list[Inspection]
    review_body: str
    court: str
    complaint_phone: str
    email: str
    postal_address: str
    postcode: str
    extra_channels: list[p.SupervisionChannel] = field(default_factory=list)


# ---- the agencies, from data/exante.json ---------------------------------------

DATA_FILE = Path(__file__).resolve().parent / "data" / "exante.json"
# Enum fields are stored by their names (INSTRUMENT_LEVEL_LAW, BASIS_ROLE_PENALTY, ...).
_ENUMS = {
    "level": d.InstrumentLevel,
    "role": d.BasisRole,
    "power_type": d.PowerType,
    "status": d.CertificateStatus,
}


def _record(cls, values: dict):
    fields = {}
    for name, value in values.items():
        if name in _ENUMS:
            value = _ENUMS[name].Value(value)
        elif isinstance(value, list):
            value = tuple(value)
        fields[name] = value
    return cls(**fields)


def load_agencies(path: Path = DATA_FILE) -> list[AgencySeed]:
    seeds = []
    for entry in json.loads(path.read_text(encoding="utf-8"))["agencies"]:
        seeds.append(
            AgencySeed(
                agency=json_format.ParseDict(entry["agency"], d.Agency()),
                bases=[_record(Basis, b) for b in entry["bases"]],
                items=[_record(Item, i) for i in entry["items"]],
                officers=[_record(Officer, o) for o in entry["officers"]],
                inspections=[_record(Inspection, i) for i in entry["inspections"]],
                review_body=entry["review_body"],
                court=entry["court"],
                complaint_phone=entry["complaint_phone"],
                email=entry["email"],
                postal_address=entry["postal_address"],
                postcode=entry["postcode"],
                extra_channels=[
                    json_format.ParseDict(c, p.SupervisionChannel()) for c in entry["extra_channels"]
                ],
            )
        )
    return seeds


AGENCIES: list[AgencySeed] = load_agencies()


# ---- procedures, by kind of power -------------------------------------------


def _step(name: str, actor: str, limit: str, document: str, description: str = "") -> p.ProcedureStep:
    return p.ProcedureStep(
        name=name, actor=actor, time_limit=limit, output_document=document, description=description
    )


def penalty_steps(unit: str) -> list[p.ProcedureStep]:
    return [
        _step("立案", unit, "发现线索之日起15个工作日内", "立案审批表", "对符合立案条件的违法线索予以立案。"),
        _step(
            "调查取证",
            f"{unit}（执法人员不少于2人）",
            "",
            "现场笔录、询问笔录、证据材料",
            "出示执法证件，全面、客观、公正地调查，收集证据。",
        ),
        _step("法制审核", "法制科", "5个工作日", "法制审核意见书", "重大执法决定作出前进行法制审核。"),
        _step(
            "告知", unit, "", "行政处罚事先告知书", "告知拟作出处罚的事实、理由、依据及陈述、申辩、听证权利。"
        ),
        _step("陈述申辩或听证", unit, "当事人收到告知书之日起5个工作日内提出", "听证笔录、复核意见"),
        _step("决定", "机关负责人或集体讨论", "立案之日起90日内", "行政处罚决定书"),
        _step("送达", unit, "决定之日起7日内", "送达回证"),
        _step("执行与公示", unit, "决定之日起7个工作日内公示", "罚没款收据、结案报告"),
    ]


def licensing_steps(unit: str, approver: str) -> list[p.ProcedureStep]:
    return [
        _step("申请", "申请人", "", "申请书及材料", "通过窗口或网上办事大厅提交申请。"),
        _step("受理", unit, "5个工作日", "受理通知书或不予受理决定书"),
        _step("审查", unit, "", "审查意见", "对申请材料进行审查，必要时进行现场核查。"),
        _step("决定", approver, "受理之日起20个工作日内", "准予许可决定书或不予许可决定书"),
        _step("送达与发证", unit, "决定之日起10个工作日内", "许可证件"),
    ]


def generic_steps(unit: str) -> list[p.ProcedureStep]:
    return [
        _step("启动", unit, "", "登记表"),
        _step("审查核实", unit, "10个工作日", "审查意见"),
        _step("决定", "机关负责人", "", "决定书"),
        _step("送达", unit, "7日内", "送达回证"),
    ]


LICENSING_MATERIALS = [
    "申请书",
    "营业执照或主体资格证明",
    "法定代表人身份证明",
    "场所使用证明",
    "相关技术资料",
]

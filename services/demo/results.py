"""Demo enforcement results: a few hundred fictional decisions across
categories, regions and agencies, loaded through the real gRPC APIs so every
part of a decision's public life is visible on first start: published on
time and late, corrected, withdrawn, credit-repaired, under appeal, stored
but never public (pushed after its publicity period ended),
with a party's reply, withheld (a minor, a warning only), and registered but
overdue (ResultOverdue events).

Agencies are the ex-ante demo agencies (services/demo/exante_data.py, whose
duty items the decisions cite) plus two that only publish results. Names,
credit codes and numbers are invented. Dates are relative to today, so the
portal looks current whenever it is loaded; everything is idempotent by
document number, so loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from google.protobuf import json_format

from gongshi.v1 import duties_pb2
from gongshi.v1 import results_pb2 as pb

SEED = 2026


# ---------------------------------------------------------------- what agencies decide


@dataclass(frozen=True)
class Penalty:
    item: str  # duty item code ("" for agencies without a duty list here)
    violation: str
    basis: str
    facts: str  # {party} {month} {amount} are filled in
    conclusion: str  # {fine} is filled in
    kinds: tuple[int, ...]
    fine: tuple[int, int] = (0, 0)  # yuan
    serious: bool = False


@dataclass(frozen=True)
class Other:
    item: str
    category: int
    conclusion: str
    licence_item: str = ""
    approval_category: str = ""
    facts: str = ""
    basis: str = ""


@dataclass(frozen=True)
class Agency:
    code: str
    prefix: str  # 文號 prefix, e.g. 沪黄市监罚
    licence_prefix: str
    penalties: tuple[Penalty, ...]
    others: tuple[Other, ...]
    seed: duties_pb2.Agency | None = None  # only for agencies the ex-ante demo does not register


DATA_FILE = Path(__file__).resolve().parent / "data" / "results.json"


def load_agencies(path: Path = DATA_FILE) -> tuple[tuple[Agency, ...], tuple[int, ...]]:
    """The agencies and their shares of the demo decisions, from data/results.json
    (enum fields by name: PENALTY_KIND_FINE, DECISION_CATEGORY_LICENSING)."""
    agencies, weights = [], []
    for entry in json.loads(path.read_text(encoding="utf-8"))["agencies"]:
        penalties = tuple(
            Penalty(
                **{
                    **p,
                    "kinds": tuple(pb.PenaltyKind.Value(k) for k in p["kinds"]),
                    "fine": tuple(p.get("fine", (0, 0))),
                }
            )
            for p in entry["penalties"]
        )
        others = tuple(
            Other(**{**o, "category": pb.DecisionCategory.Value(o["category"])}) for o in entry["others"]
        )
        seed = json_format.ParseDict(entry["seed"], duties_pb2.Agency()) if "seed" in entry else None
        agencies.append(
            Agency(entry["code"], entry["prefix"], entry["licence_prefix"], penalties, others, seed)
        )
        weights.append(entry["weight"])
    return tuple(agencies), tuple(weights)


AGENCIES, WEIGHTS = load_agencies()

_BRANDS = (
    "禾润 瑞丰 嘉禾 恒泰 鑫源 华宸 益康 锦程 佳味 丰悦 新元 凯利 明德 青禾 远航 和信 百川 安泽 晨光 福临"
).split()
_TRADES = (
    ("餐饮管理有限公司", "餐饮"),
    ("商贸有限公司", "商贸"),
    ("食品有限公司", "食品"),
    ("科技有限公司", "科技"),
    ("建筑工程有限公司", "建筑"),
    ("环保科技有限公司", "环保"),
    ("文化传播有限公司", "文化"),
)
_CITY = {"310101": "上海", "440305": "深圳", "110105": "北京", "330106": "杭州"}
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_GIVEN = "伟 芳 娜 敏 静 磊 洋 勇 艳 杰 军 涛 明 超 秀英 建华 志强 晓东 海燕 国庆".split()


# ---------------------------------------------------------------- the plan


@dataclass
class Planned:
    agency: Agency
    decision: pb.Decision
    # What happens after publication.
    register_only: bool = False
    correct: str = ""
    withdraw: tuple[int, str] | None = None
    appeal: str = ""
    reply: str = ""
    repair: bool = False


@dataclass
class Plan:
    items: list[Planned] = field(default_factory=list)


def _party(rng: random.Random, agency: Agency, index: int, *, person: bool) -> pb.Party:
    region = _region(agency)
    if person:
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        born = f"19{rng.randint(60, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        return pb.Party(
            type=pb.PARTY_TYPE_NATURAL_PERSON,
            name=name,
            id_number=f"{region}{born}{rng.randint(100, 999)}{rng.choice('0123456789X')}",
            phone=f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
            address=f"{_CITY[region]}市演示区幸福路{rng.randint(1, 300)}号",
        )
    trade, short = rng.choice(_TRADES)
    individual = rng.random() < 0.25
    brand = rng.choice(_BRANDS)
    if individual:
        return pb.Party(
            type=pb.PARTY_TYPE_INDIVIDUAL_BUSINESS,
            name=f"{_CITY[region]}市{brand}{short}店",
            uscc=f"92{region}MA{index:06d}Y{rng.randint(0, 9)}",
        )
    return pb.Party(
        type=pb.PARTY_TYPE_LEGAL_PERSON,
        name=f"{_CITY[region]}{brand}{trade}",
        uscc=f"91{region}MA{index:06d}X{rng.randint(0, 9)}",
        legal_representative=rng.choice(_SURNAMES) + "某",
    )


def _region(agency: Agency) -> str:
    if agency.seed is not None:
        return agency.seed.region_code
    return agency.code.rsplit("-", 1)[1]


def _decision(rng: random.Random, agency: Agency, index: int, decided: dt.date) -> pb.Decision:
    number = f"〔{decided.year}〕{1000 + index}号"
    pool: list = [*agency.penalties] * 3 + [*agency.others]
    choice = rng.choice(pool)
    person = isinstance(choice, Penalty) and rng.random() < 0.2
    party = _party(rng, agency, index, person=person)
    month = f"{decided.year}年{max(decided.month - 1, 1)}月"
    if isinstance(choice, Penalty):
        fine = rng.randrange(choice.fine[0], choice.fine[1] + 1, 500) if choice.fine[1] else 0
        return pb.Decision(
            document_number=f"{agency.prefix}{number}",
            category=pb.DECISION_CATEGORY_PENALTY,
            procedure_type=pb.PROCEDURE_TYPE_ORDINARY,
            duty_item_code=choice.item,
            party=party,
            facts=choice.facts.format(party="当事人", month=month, amount=rng.randint(2, 90) * 10),
            violation_type=choice.violation,
            legal_basis=[choice.basis],
            conclusion=choice.conclusion.format(fine=f"{fine:,}"),
            penalty_kinds=choice.kinds,
            fine_amount_fen=fine * 100,
            decision_date=decided.isoformat(),
            severity=pb.SEVERITY_TIER_SERIOUS if choice.serious else pb.SEVERITY_TIER_GENERAL,
        )
    return pb.Decision(
        document_number=f"{agency.licence_prefix if choice.licence_item else agency.prefix}{number}",
        category=choice.category,
        duty_item_code=choice.item,
        party=party,
        facts=choice.facts.format(party="当事人") if choice.facts else "",
        legal_basis=[choice.basis or "《中华人民共和国行政许可法》第三十八条"],
        conclusion=choice.conclusion,
        licence_item=choice.licence_item,
        approval_category=choice.approval_category,
        licence_validity=_validity(decided) if choice.licence_item else "",
        decision_date=decided.isoformat(),
    )


def _validity(decided: dt.date) -> str:
    return f"{decided.isoformat()} 至 {decided.year + 5}-{decided.month:02d}-{min(decided.day, 28):02d}"


def build_plan(today: dt.date, total: int = 300) -> Plan:
    """The demo decisions, the same on every load (dates move with today)."""
    rng = random.Random(SEED)
    plan = Plan()
    for index in range(total):
        agency = rng.choices(AGENCIES, WEIGHTS)[0]
        roll = rng.random()
        if roll < 0.62:
            decided = today - dt.timedelta(days=rng.randint(0, 6))  # on time
        elif roll < 0.74:
            decided = today - dt.timedelta(days=rng.randint(15, 120))  # published late
        elif roll < 0.86:
            decided = today - dt.timedelta(days=rng.randint(380, 600))  # past its period: never public
        else:
            decided = today - dt.timedelta(days=rng.randint(120, 300))  # within its period
        plan.items.append(Planned(agency, _decision(rng, agency, index, decided)))
    _assign_fates(rng, plan, today)
    return plan


_WITHDRAWALS = (
    (pb.WITHDRAWAL_REASON_REVOKED, "该行政处罚决定已由本机关依法撤销。"),
    (pb.WITHDRAWAL_REASON_CONFIRMED_ILLEGAL, "经行政复议，复议机关确认该决定违法。"),
    (pb.WITHDRAWAL_REASON_CONFIRMED_INVALID, "经行政诉讼，人民法院确认该决定无效。"),
    (pb.WITHDRAWAL_REASON_REMAKE_REQUIRED, "复议机关责令重新作出行政处罚决定，原决定信息予以撤下。"),
    (pb.WITHDRAWAL_REASON_ERROR, "公示信息录入有误，予以撤下，更正后另行公示。"),
    (pb.WITHDRAWAL_REASON_CHANGED, "处罚决定已依法变更，原公示信息撤下。"),
)
_CORRECTIONS = (
    "罚款金额录入笔误，予以更正。",
    "当事人名称有误，予以更正。",
    "违法事实表述不准确，予以更正。",
)
_REPLIES = (
    "本公司已全部整改到位，并建立了进货查验制度，欢迎社会监督。",
    "我店已缴清罚款，违法行为已于当月纠正。",
    "对该处罚决定我司已依法申请行政复议，以复议结果为准。",
)


def _assign_fates(rng: random.Random, plan: Plan, today: dt.date) -> None:
    items = plan.items
    fresh = [p for p in items if (today - dt.date.fromisoformat(p.decision.decision_date)).days <= 6]
    penalties = [p for p in fresh if p.decision.category == pb.DECISION_CATEGORY_PENALTY]
    rng.shuffle(penalties)
    for planned, reason in zip(penalties[0:9], _CORRECTIONS * 3, strict=False):
        planned.correct = reason
    for planned, withdrawal in zip(penalties[9:17], _WITHDRAWALS * 2, strict=False):
        planned.withdraw = withdrawal
    for planned in penalties[17:23]:
        planned.appeal = "当事人已申请行政复议，复议机关已受理。"
    for planned, reply in zip(penalties[23:27], _REPLIES * 2, strict=False):
        planned.reply = reply
    # Within the period, past its 3-month minimum: the party applies and the agency grants.
    middle = [
        p
        for p in items
        if p.decision.category == pb.DECISION_CATEGORY_PENALTY
        and p.decision.severity == pb.SEVERITY_TIER_GENERAL
        and 120 <= (today - dt.date.fromisoformat(p.decision.decision_date)).days <= 300
    ]
    for planned in middle[:3]:
        planned.repair = True
    # Registered but not published by the deadline: ResultOverdue events.
    late = [p for p in items if 15 <= (today - dt.date.fromisoformat(p.decision.decision_date)).days <= 60]
    for planned in late[:6]:
        planned.register_only = True
    # Decisions that are stored and counted but never published (DOMAIN.md E1, D5).
    withheld = [p for p in fresh if p.decision.category == pb.DECISION_CATEGORY_PENALTY and not _has_fate(p)]
    if len(withheld) >= 3:
        withheld[0].decision.party.CopyFrom(
            pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="钱小宝", is_minor=True, address="演示地址")
        )
        withheld[1].decision.penalty_kinds[:] = [pb.PENALTY_KIND_WARNING]
        withheld[1].decision.fine_amount_fen = 0
        withheld[1].decision.conclusion = "给予警告。"
        withheld[2].decision.procedure_type = pb.PROCEDURE_TYPE_SIMPLIFIED
        withheld[2].decision.conclusion = "当场作出罚款人民币二百元的行政处罚决定。"
        withheld[2].decision.fine_amount_fen = 20_000


def _has_fate(planned: Planned) -> bool:
    return bool(
        planned.register_only
        or planned.correct
        or planned.withdraw
        or planned.appeal
        or planned.reply
        or planned.repair
    )

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
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import grpc

from gongshi.v1 import common_pb2, duties_pb2, duties_pb2_grpc, results_pb2_grpc
from gongshi.v1 import results_pb2 as pb
from services.demo.exante import _auth, _eventually, admin_token
from services.launcher import grpc_healthy
from services.runtime.clock import CHINA_TZ
from services.runtime.settings import Settings

K = pb
SEED = 2026
# Events carry duty items to results; give them time on a cold start.
DUTY_WAIT_SECONDS = 60.0


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


FOOD = "《中华人民共和国食品安全法》"
SCJG = Agency(
    "SCJG-310101",
    "沪黄市监罚",
    "沪黄市监许",
    (
        Penalty(
            "310101-CF-001",
            "经营超过保质期的食品",
            f"{FOOD}第一百二十四条第一款第五项",
            "经查，{party}于{month}在其经营场所销售超过保质期的预包装食品，货值金额{amount}元。",
            "没收超过保质期的食品，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE, K.PENALTY_KIND_CONFISCATION),
            (5_000, 50_000),
        ),
        Penalty(
            "310101-CF-002",
            "未取得食品经营许可从事食品经营活动",
            f"{FOOD}第一百二十二条第一款",
            "经查，{party}自{month}起未取得食品经营许可在门店从事餐饮服务，违法所得{amount}元。",
            "没收违法所得，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE, K.PENALTY_KIND_CONFISCATION),
            (10_000, 80_000),
        ),
        Penalty(
            "310101-CF-003",
            "发布虚假广告",
            "《中华人民共和国广告法》第五十五条第一款",
            "经查，{party}于{month}在其微信公众号发布含有“根治”“无效退款”等内容的保健食品广告，广告费用{amount}元。",
            "责令停止发布广告，在相应范围内消除影响，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE,),
            (20_000, 200_000),
        ),
        Penalty(
            "310101-CF-004",
            "不正当价格行为",
            "《中华人民共和国价格法》第四十条第一款",
            "经查，{party}于{month}在促销活动中虚构原价，以“原价”标示的价格从未成交，涉及商品{amount}件。",
            "责令改正，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE,),
            (5_000, 100_000),
        ),
        Penalty(
            "310101-CF-008",
            "侵害消费者权益",
            "《中华人民共和国消费者权益保护法》第五十六条第一款",
            "经查，{party}于{month}对预付卡消费者拒不退还余额，涉及金额{amount}元。",
            "责令改正，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE,),
            (3_000, 30_000),
        ),
        Penalty(
            "310101-CF-002",
            "未取得食品经营许可从事食品经营活动（情节严重）",
            f"{FOOD}第一百二十二条第一款",
            "经查，{party}在被责令改正后仍无证经营，并造成{amount}人食物中毒。",
            "没收违法所得，处罚款人民币{fine}元，吊销其营业执照。",
            (K.PENALTY_KIND_FINE, K.PENALTY_KIND_LICENCE_REVOCATION),
            (100_000, 300_000),
            serious=True,
        ),
    ),
    (
        Other(
            "310101-XK-001",
            K.DECISION_CATEGORY_LICENSING,
            "准予行政许可，核发食品经营许可证。",
            "食品经营许可（餐饮服务）",
            "新办",
        ),
        Other(
            "310101-XK-002",
            K.DECISION_CATEGORY_LICENSING,
            "准予特种设备使用登记。",
            "特种设备使用登记（电梯）",
            "变更",
        ),
        Other(
            "310101-QZ-001",
            K.DECISION_CATEGORY_COERCION,
            "对涉嫌不符合食品安全标准的食品予以查封，期限三十日。",
            facts="经抽检，{party}经营的散装熟食菌落总数不合格。",
            basis=f"{FOOD}第一百一十条第四项",
        ),
        Other(
            "310101-JC-001",
            K.DECISION_CATEGORY_INSPECTION,
            "未发现问题。",
            facts="依据年度双随机抽查计划，对{party}开展食品经营监督检查。",
            basis=f"{FOOD}第一百一十条",
        ),
    ),
)

CGZF = Agency(
    "CGZF-310101",
    "沪黄城管罚",
    "沪黄城管许",
    (
        Penalty(
            "310101-CG-CF-001",
            "擅自设置户外广告设施",
            "《上海市户外广告设施管理办法》第二十九条",
            "经查，{party}于{month}未经批准在临街外墙设置户外广告设施，面积约{amount}平方米。",
            "责令限期拆除，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE,),
            (5_000, 20_000),
        ),
        Penalty(
            "310101-CG-CF-002",
            "擅自超出门窗和外墙经营",
            "《上海市市容环境卫生管理条例》第四十九条",
            "经查，{party}于{month}在店铺门外人行道摆放商品经营，占地约{amount}平方米。",
            "责令改正，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE,),
            (200, 2_000),
        ),
        Penalty(
            "310101-CG-CF-004",
            "单位未分类投放生活垃圾",
            "《上海市生活垃圾管理条例》第五十九条第二款",
            "经查，{party}于{month}将湿垃圾与干垃圾混合投放，共{amount}桶。",
            "责令立即改正，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE,),
            (5_000, 50_000),
        ),
        Penalty(
            "310101-CG-CF-007",
            "夜间违规施工产生噪声",
            "《中华人民共和国噪声污染防治法》第七十七条",
            "经查，{party}于{month}22时后在居民区附近进行产生噪声的施工作业，持续约{amount}分钟。",
            "责令改正，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE,),
            (10_000, 100_000),
        ),
    ),
    (
        Other(
            "310101-CG-XK-001",
            K.DECISION_CATEGORY_LICENSING,
            "准予设置户外广告设施，有效期三年。",
            "户外广告设施设置审批",
            "新设",
        ),
        Other(
            "310101-CG-JC-001",
            K.DECISION_CATEGORY_INSPECTION,
            "发现问题，已责令当场改正。",
            facts="对{party}门责区市容环境卫生开展检查。",
            basis="《上海市市容环境卫生管理条例》第四十条",
        ),
    ),
)

STHJ = Agency(
    "STHJ-440305",
    "深环南罚",
    "深环南批",
    (
        Penalty(
            "440305-HJ-CF-001",
            "建设项目未批先建",
            "《中华人民共和国环境影响评价法》第三十一条第一款",
            "经查，{party}的扩建项目未依法报批环境影响报告表，于{month}擅自开工建设，项目总投资{amount}万元。",
            "责令停止建设，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE,),
            (50_000, 300_000),
        ),
        Penalty(
            "440305-HJ-CF-002",
            "超标排放大气污染物",
            "《中华人民共和国大气污染防治法》第九十九条第二项",
            "经监测，{party}于{month}排放的挥发性有机物浓度超过排放标准{amount}倍。",
            "责令改正，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE,),
            (100_000, 500_000),
        ),
        Penalty(
            "440305-HJ-CF-004",
            "危险废物管理不规范",
            "《中华人民共和国固体废物污染环境防治法》第一百一十二条第一款",
            "经查，{party}将废机油等危险废物约{amount}千克露天堆放，未设置识别标志。",
            "责令改正，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE,),
            (100_000, 400_000),
        ),
        Penalty(
            "440305-HJ-CF-007",
            "通过暗管逃避监管排放水污染物",
            "《中华人民共和国水污染防治法》第八十三条第三项",
            "经查，{party}于{month}通过暗管将生产废水直接排入市政雨水管网，排放量约{amount}吨。",
            "责令停产整治，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE, K.PENALTY_KIND_SUSPENSION_CLOSURE),
            (200_000, 1_000_000),
            serious=True,
        ),
    ),
    (
        Other(
            "440305-HJ-XK-001",
            K.DECISION_CATEGORY_LICENSING,
            "同意该项目环境影响报告表。",
            "建设项目环境影响报告表审批",
            "报告表",
        ),
        Other(
            "440305-HJ-QZ-001",
            K.DECISION_CATEGORY_COERCION,
            "查封造成污染物排放的设施、设备，期限三十日。",
            facts="{party}超标排放且拒不改正。",
            basis="《中华人民共和国环境保护法》第二十五条",
        ),
        Other(
            "440305-HJ-JC-001",
            K.DECISION_CATEGORY_INSPECTION,
            "未发现问题。",
            facts="对{party}开展排污许可执行情况现场检查。",
            basis="《排污许可管理条例》第二十七条",
        ),
    ),
)

WHLY = Agency(
    "WHLY-440305",
    "深南文旅罚",
    "深南文旅许",
    (),
    (
        Other(
            "440305-WH-XK-001",
            K.DECISION_CATEGORY_LICENSING,
            "准予娱乐场所经营许可。",
            "娱乐场所经营许可",
            "新办",
        ),
        Other(
            "440305-WH-XK-002", K.DECISION_CATEGORY_LICENSING, "准予设立旅行社。", "旅行社设立许可", "新设"
        ),
        Other(
            "440305-WH-XK-003",
            K.DECISION_CATEGORY_LICENSING,
            "准予举办营业性演出。",
            "营业性演出审批",
            "涉外演出",
        ),
        Other(
            "440305-WH-GF-001",
            K.DECISION_CATEGORY_PAYMENT,
            "核发公共文化体育设施运营补助。",
            facts="{party}申请年度运营补助，经审核符合条件。",
            basis="《公共文化体育设施条例》第六条",
        ),
    ),
)

WHZF = Agency(
    "WHZF-440305",
    "深南文执罚",
    "深南文执许",
    (
        Penalty(
            "440305-WZ-CF-002",
            "互联网上网服务营业场所接纳未成年人",
            "《互联网上网服务营业场所管理条例》第三十一条第二项",
            "经查，{party}于{month}接纳未成年人进入营业场所上网{amount}人次。",
            "给予警告，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_WARNING, K.PENALTY_KIND_FINE),
            (5_000, 15_000),
        ),
        Penalty(
            "440305-WZ-CF-004",
            "未经批准举办营业性演出",
            "《营业性演出管理条例》第四十三条第一款",
            "经查，{party}于{month}未经批准举办营业性演出，演出收入{amount}元。",
            "没收违法所得，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE, K.PENALTY_KIND_CONFISCATION),
            (50_000, 200_000),
        ),
    ),
    (),
)

BJ = Agency(
    "BJCY-SCJG",
    "京朝市监罚",
    "京朝市监许",
    (
        Penalty(
            "",
            "销售不符合保障人体健康和人身、财产安全的国家标准的产品",
            "《中华人民共和国产品质量法》第四十九条",
            "经抽检，{party}于{month}销售的儿童玩具邻苯二甲酸酯含量不合格，货值金额{amount}元。",
            "责令停止销售，没收违法销售的产品，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE, K.PENALTY_KIND_CONFISCATION),
            (10_000, 60_000),
        ),
        Penalty(
            "",
            "未按规定公示年度报告",
            "《企业信息公示暂行条例》第十七条",
            "经查，{party}未在规定期限内报送并公示上一年度报告。",
            "给予警告。",
            (K.PENALTY_KIND_WARNING,),
        ),
    ),
    (Other("", K.DECISION_CATEGORY_LICENSING, "准予行政许可。", "食品经营许可（食品销售）", "新办"),),
    duties_pb2.Agency(
        code="BJCY-SCJG",
        name="北京市朝阳区市场监督管理局（演示）",
        region_code="110105",
        kind=duties_pb2.AGENCY_KIND_ADMINISTRATIVE_ORGAN,
        unified_social_credit_code="11110105MB2F00009X",
        address="北京市朝阳区演示路1号",
        phone="010-00000000",
        supervision_phone="12315",
        website="https://example.org/bjcy",
    ),
)

HZ = Agency(
    "HZXH-HBJ",
    "杭西环罚",
    "杭西环批",
    (
        Penalty(
            "",
            "未按照规定使用污染防治设施",
            "《中华人民共和国大气污染防治法》第一百零八条第五项",
            "经查，{party}于{month}餐饮油烟净化设施未正常运行，油烟排放浓度超标{amount}倍。",
            "责令改正，并处罚款人民币{fine}元。",
            (K.PENALTY_KIND_FINE,),
            (5_000, 50_000),
        ),
    ),
    (
        Other(
            "", K.DECISION_CATEGORY_LICENSING, "准予排污许可登记。", "排污许可证核发（简化管理）", "首次申请"
        ),
    ),
    duties_pb2.Agency(
        code="HZXH-HBJ",
        name="杭州市西湖区生态环境分局（演示）",
        region_code="330106",
        kind=duties_pb2.AGENCY_KIND_ADMINISTRATIVE_ORGAN,
        unified_social_credit_code="11330106MB2F00008Y",
        address="杭州市西湖区演示路2号",
        phone="0571-00000000",
        supervision_phone="12369",
        website="https://example.org/hzxh",
    ),
)

AGENCIES = (SCJG, CGZF, STHJ, WHLY, WHZF, BJ, HZ)
WEIGHTS = (30, 18, 16, 6, 8, 12, 10)

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


# ---------------------------------------------------------------- loading


def load_results(settings: Settings, *, log: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    """Push the demo results through the platform's APIs. Returns what was
    written this time (0s on a repeat load)."""
    if not grpc_healthy(settings.grpc_addr("results")):
        # Loading only part of the demo beats failing all of it; say so plainly.
        log(f"  results service not reachable at {settings.grpc_addr('results')}: no demo results loaded")
        return {"unreachable": 1}
    today = dt.datetime.now(CHINA_TZ).date()
    plan = build_plan(today)
    token = admin_token(settings)
    counts: Counter[str] = Counter()
    with (
        grpc.insecure_channel(settings.grpc_addr("duties")) as duties_channel,
        grpc.insecure_channel(settings.grpc_addr("results")) as results_channel,
    ):
        admin = duties_pb2_grpc.AdminServiceStub(duties_channel)
        results = results_pb2_grpc.ResultsServiceStub(results_channel)
        for agency in AGENCIES:
            if agency.seed is not None:
                _eventually(
                    lambda agency=agency: admin.RegisterAgency(
                        duties_pb2.RegisterAgencyRequest(agency=agency.seed),
                        metadata=_auth(token),
                        timeout=10,
                    )
                )
        for agency in AGENCIES:
            mine = [p for p in plan.items if p.agency is agency]
            if not mine:
                continue
            credential = admin.IssueCredential(
                duties_pb2.IssueCredentialRequest(
                    role=common_pb2.ROLE_AGENCY, agency_code=agency.code, label="demo results loader"
                ),
                metadata=_auth(token),
                timeout=10,
            )
            try:
                _AgencyLoad(results, _auth(credential.token), mine, counts).run()
            finally:
                admin.RevokeCredential(
                    duties_pb2.RevokeCredentialRequest(credential_id=credential.credential_id),
                    metadata=_auth(token),
                    timeout=10,
                )
            log(f"  {agency.code}: {len(mine)} decisions")
    return dict(counts)


class _AgencyLoad:
    def __init__(self, results, metadata, planned: list[Planned], counts: Counter) -> None:
        self.results = results
        self.metadata = metadata
        self.planned = planned
        self.counts = counts
        self.ids: dict[str, str] = {}

    def run(self) -> None:
        self._publish([p for p in self.planned if not p.register_only])
        for planned in self.planned:
            if planned.register_only:
                reply = _eventually(
                    lambda planned=planned: self.results.RegisterDecision(
                        pb.RegisterDecisionRequest(decision=planned.decision),
                        metadata=self.metadata,
                        timeout=10,
                    )
                )
                self.counts["registered_pending"] += reply.created
        for planned in self.planned:
            result_id = self.ids.get(planned.decision.document_number)
            if result_id:
                self._afterwards(planned, result_id)

    def _publish(self, planned: list[Planned]) -> None:
        """One stream; items citing a duty item results has not learned yet are sent again."""
        waiting = planned
        deadline = time.monotonic() + DUTY_WAIT_SECONDS
        while waiting:
            reply = _eventually(
                lambda waiting=waiting: self.results.BulkPublish(
                    (pb.PublishDecisionRequest(decision=p.decision) for p in waiting),
                    metadata=self.metadata,
                    timeout=120,
                )
            )
            retry = []
            for planned_item, outcome in zip(waiting, reply.outcomes, strict=True):
                if outcome.accepted:
                    self.ids[planned_item.decision.document_number] = outcome.id
                    self.counts["published" if not outcome.duplicate else "already_there"] += 1
                elif any("duty_item_code" in e.description for e in outcome.errors):
                    retry.append(planned_item)
                else:
                    self.counts["refused"] += 1
            if retry and time.monotonic() > deadline:
                self.counts["refused"] += len(retry)
                retry = []
            if retry:
                time.sleep(1.0)
            waiting = retry

    def _afterwards(self, planned: Planned, result_id: str) -> None:
        try:
            current = self.results.GetResult(pb.GetResultRequest(id=result_id), timeout=10)
        except grpc.RpcError:
            return  # not public (withheld, expired, repaired): nothing more to do
        if current.status not in (pb.RESULT_STATUS_PUBLISHED, pb.RESULT_STATUS_CORRECTED):
            return
        if planned.correct and current.version == 1:
            corrected = pb.Decision()
            corrected.CopyFrom(planned.decision)
            corrected.facts = corrected.facts.replace("当事人", "当事人（经核实）", 1)
            self.results.CorrectResult(
                pb.CorrectResultRequest(id=result_id, decision=corrected, reason=planned.correct),
                metadata=self.metadata,
                timeout=10,
            )
            self.counts["corrected"] += 1
        if planned.appeal and not current.under_appeal:
            self.results.SetUnderAppeal(
                pb.SetUnderAppealRequest(id=result_id, under_appeal=True, note=planned.appeal),
                metadata=self.metadata,
                timeout=10,
            )
            self.counts["under_appeal"] += 1
        if planned.reply and not current.reply_text:
            reply = self.results.SubmitReply(
                pb.SubmitReplyRequest(result_id=result_id, text=planned.reply), timeout=10
            )
            self.results.ModerateReply(
                pb.ModerateReplyRequest(reply_id=reply.id, approve=True), metadata=self.metadata, timeout=10
            )
            self.counts["replies"] += 1
        if planned.repair:
            try:
                application = self.results.ApplyForRepair(
                    pb.ApplyForRepairRequest(
                        result_id=result_id,
                        applicant_name=planned.decision.party.name,
                        uscc=planned.decision.party.uscc,
                        correction_proof="已缴清罚款并完成整改，附整改报告及缴款凭证。",
                        credit_commitment="本单位承诺严格遵守法律法规，诚信经营。",
                    ),
                    timeout=10,
                )
            except grpc.RpcError:
                return  # not yet eligible, or an application is already open
            self.results.DecideRepair(
                pb.DecideRepairRequest(
                    application_id=application.id,
                    grant=True,
                    reason="已纠正失信行为，履行法定义务并作出信用承诺。",
                ),
                metadata=self.metadata,
                timeout=10,
            )
            self.counts["repaired"] += 1
        if planned.withdraw:
            reason, statement = planned.withdraw
            self.results.WithdrawResult(
                pb.WithdrawResultRequest(
                    id=result_id,
                    reason=reason,
                    statement=statement,
                    grounds_date=planned.decision.decision_date,
                ),
                metadata=self.metadata,
                timeout=10,
            )
            self.counts["withdrawn"] += 1

"""Deterministic, realistic enforcement decisions for the platform benchmarks.

Several agencies in several regions, Chinese text, a dozen violation types with
their legal bases, companies, individual businesses and natural persons (whose
names the service masks). The same generator feeds the RPC benchmarks and the
1M-row search data set, so what is searched looks like what is pushed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongshi.v1 import results_pb2 as pb


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    region_code: str
    short: str  # the 文號 prefix, e.g. 沪黄市监罚


AGENCIES = (
    Agency("SH-HP-SCJG", "上海市黄浦区市场监督管理局", "310101", "沪黄市监罚"),
    Agency("SH-PD-SCJG", "上海市浦东新区市场监督管理局", "310115", "沪浦市监罚"),
    Agency("BJ-CY-SCJG", "北京市朝阳区市场监督管理局", "110105", "京朝市监罚"),
    Agency("GZ-TH-SCJG", "广州市天河区市场监督管理局", "440106", "穗天市监罚"),
    Agency("CD-WH-SCJG", "成都市武侯区市场监督管理局", "510107", "成武市监罚"),
    Agency("HZ-XH-HBJ", "杭州市西湖区生态环境局", "330106", "杭西环罚"),
    Agency("SZ-NS-YJJ", "深圳市南山区应急管理局", "440305", "深南应急罚"),
    Agency("WH-WC-CGJ", "武汉市武昌区城市管理执法局", "420106", "武昌城管罚"),
)


@dataclass(frozen=True)
class Violation:
    kind: str  # 违法行为类型
    basis: str  # 处罚依据
    provision: str  # 违反的条款
    facts: str  # {party} {amount} are filled in
    conclusion: str
    penalties: tuple[int, ...]
    serious: bool = False


K = pb  # short alias for the enum constants below
VIOLATIONS = (
    Violation(
        "经营超过保质期的食品",
        "《中华人民共和国食品安全法》第一百二十四条第一款第五项",
        "《中华人民共和国食品安全法》第三十四条第十项",
        "经查，{party}于{month}在其经营场所销售超过保质期的预包装食品，货值金额{amount}元，违法所得{gain}元。",
        "没收超过保质期的食品及违法所得，并处罚款人民币{fine}元。",
        (K.PENALTY_KIND_FINE, K.PENALTY_KIND_CONFISCATION),
    ),
    Violation(
        "未取得食品经营许可从事食品经营活动",
        "《中华人民共和国食品安全法》第一百二十二条第一款",
        "《中华人民共和国食品安全法》第三十五条第一款",
        "经查，{party}未取得食品经营许可证，自{month}起从事餐饮服务经营活动，违法经营食品货值{amount}元。",
        "没收违法所得{gain}元，并处罚款人民币{fine}元。",
        (K.PENALTY_KIND_FINE, K.PENALTY_KIND_CONFISCATION),
    ),
    Violation(
        "发布虚假广告",
        "《中华人民共和国广告法》第五十五条第一款",
        "《中华人民共和国广告法》第二十八条第二款第二项",
        "经查，{party}于{month}通过网络平台发布宣传产品功效的广告，广告内容与实际情况不符，广告费用{amount}元。",
        "责令停止发布违法广告，在相应范围内消除影响，并处广告费用三倍罚款计人民币{fine}元。",
        (K.PENALTY_KIND_FINE,),
    ),
    Violation(
        "销售不合格产品",
        "《中华人民共和国产品质量法》第四十九条",
        "《中华人民共和国产品质量法》第三十九条",
        "经抽样检验，{party}于{month}销售的电动自行车用充电器经检验不合格，货值金额{amount}元。",
        "没收不合格产品，没收违法所得{gain}元，并处罚款人民币{fine}元。",
        (K.PENALTY_KIND_FINE, K.PENALTY_KIND_CONFISCATION),
    ),
    Violation(
        "未按规定明码标价",
        "《价格违法行为行政处罚规定》第十三条",
        "《中华人民共和国价格法》第十三条第一款",
        "经查，{party}于{month}销售商品时未按规定明码标价，在标价之外加价收取未予标明的费用{amount}元。",
        "给予警告，并处罚款人民币{fine}元。",
        (K.PENALTY_KIND_WARNING, K.PENALTY_KIND_FINE),
    ),
    Violation(
        "超标排放大气污染物",
        "《中华人民共和国大气污染防治法》第九十九条第二项",
        "《中华人民共和国大气污染防治法》第十八条",
        "经现场监测，{party}于{month}生产过程中排放的挥发性有机物浓度超过国家排放标准，超标{amount}毫克每立方米。",
        "责令改正违法行为，并处罚款人民币{fine}元。",
        (K.PENALTY_KIND_FINE,),
    ),
    Violation(
        "未在有较大危险因素的生产经营场所设置安全警示标志",
        "《中华人民共和国安全生产法》第九十九条第一项",
        "《中华人民共和国安全生产法》第三十五条",
        "经检查，{party}于{month}未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志。",
        "责令限期改正，并处罚款人民币{fine}元。",
        (K.PENALTY_KIND_FINE,),
    ),
    Violation(
        "擅自占用城市道路",
        "《城市道路管理条例》第四十二条第一款",
        "《城市道路管理条例》第二十七条第五项",
        "经查，{party}于{month}未经批准擅自占用城市道路堆放建筑材料，占用面积约{amount}平方米。",
        "责令限期改正，并处罚款人民币{fine}元。",
        (K.PENALTY_KIND_FINE,),
    ),
    Violation(
        "销售侵犯注册商标专用权的商品",
        "《中华人民共和国商标法》第六十条第二款",
        "《中华人民共和国商标法》第五十七条第三项",
        "经查，{party}于{month}销售侵犯他人注册商标专用权的运动鞋，违法经营额{amount}元。",
        "没收、销毁侵权商品，并处罚款人民币{fine}元。",
        (K.PENALTY_KIND_FINE, K.PENALTY_KIND_CONFISCATION),
    ),
    Violation(
        "使用未经检验的特种设备",
        "《中华人民共和国特种设备安全法》第八十四条第一项",
        "《中华人民共和国特种设备安全法》第三十二条第二款",
        "经检查，{party}于{month}使用未经定期检验的电梯一台，设备价值{amount}元。",
        "责令停止使用有关特种设备，吊销相关许可证件，并处罚款人民币{fine}元。",
        (K.PENALTY_KIND_FINE, K.PENALTY_KIND_LICENCE_REVOCATION),
        serious=True,
    ),
    Violation(
        "未取得许可从事危险化学品经营",
        "《危险化学品安全管理条例》第七十七条第三款",
        "《危险化学品安全管理条例》第三十三条第一款",
        "经查，{party}于{month}未取得危险化学品经营许可证，擅自储存、销售危险化学品，违法所得{gain}元。",
        "责令停产停业，没收违法所得，并处罚款人民币{fine}元。",
        (K.PENALTY_KIND_FINE, K.PENALTY_KIND_CONFISCATION, K.PENALTY_KIND_SUSPENSION_CLOSURE),
        serious=True,
    ),
    Violation(
        "未按照规定办理施工许可擅自施工",
        "《建筑工程施工许可管理办法》第十二条",
        "《中华人民共和国建筑法》第七条",
        "经查，{party}于{month}在未取得施工许可证的情况下擅自开工建设，工程合同价款{amount}元。",
        "责令停止施工，限期改正，并处罚款人民币{fine}元。",
        (K.PENALTY_KIND_FINE,),
    ),
)

_BRANDS = (
    "鑫源", "华泰", "恒达", "永盛", "金桥", "瑞丰", "东方明珠", "宏图", "天成", "佳美", "百草园", "润和",
    "新纪元", "锦绣", "晨光", "长风", "海纳", "聚福", "万家乐", "鼎盛", "蓝天", "青松", "福满楼", "一品鲜",
)  # fmt: skip
_TRADES = (
    "餐饮管理", "食品销售", "商贸", "建筑工程", "物流", "信息科技", "化工", "汽车服务", "医药连锁",
    "物业管理", "电子商务", "服装", "建材", "广告传媒",
)  # fmt: skip
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛")
_SHOPS = ("面馆", "便利店", "水果店", "五金店", "理发店", "小吃店", "烟酒店", "药店")

# How many decisions fall in each month: spread over the last ~10 months.
DAYS_BACK = 300


def party(i: int, agency: Agency) -> pb.Party:
    city = agency.name[:2]
    kind = i % 10
    if kind < 6:  # companies
        name = f"{city}{_BRANDS[i % len(_BRANDS)]}{_TRADES[(i // 7) % len(_TRADES)]}有限公司"
        return pb.Party(
            type=pb.PARTY_TYPE_LEGAL_PERSON,
            name=name,
            uscc=f"91{agency.region_code}MA{i % 10_000_000:07d}X",
            legal_representative=_SURNAMES[i % 20] + _GIVEN[(i // 3) % len(_GIVEN)],
        )
    person = _SURNAMES[(i // 11) % 20] + _GIVEN[(i // 5) % len(_GIVEN)]
    if kind < 9:  # individual businesses, named after their owner
        return pb.Party(
            type=pb.PARTY_TYPE_INDIVIDUAL_BUSINESS,
            name=f"{agency.name[3:6]}{person[0]}记{_SHOPS[i % len(_SHOPS)]}",
            uscc=f"92{agency.region_code}MA{i % 10_000_000:07d}Y",
            legal_representative=person,
        )
    return pb.Party(  # a natural person: the service masks name, id number and phone
        type=pb.PARTY_TYPE_NATURAL_PERSON,
        name=person,
        id_number=f"{agency.region_code}19{70 + i % 30}0{1 + i % 9}1{i % 10}{i % 1000:03d}{i % 10}",
        phone=f"139{i % 100_000_000:08d}",
    )


def decision(
    i: int, *, today: dt.date | None = None, prefix: str = "", agency: Agency | None = None
) -> pb.Decision:
    """Decision ``i``: deterministic, unique by (agency, document number) for a given ``prefix``."""
    agency = agency or AGENCIES[i % len(AGENCIES)]
    v = VIOLATIONS[(i // len(AGENCIES)) % len(VIOLATIONS)]
    today = today or dt.date.today()
    decided = today - dt.timedelta(days=1 + (i * 7919) % DAYS_BACK)
    amount = 800 + (i * 37) % 98_000
    fine = max(1000, amount * (1 + i % 5))
    month = f"{decided.year}年{max(1, decided.month - 1)}月"
    p = party(i, agency)
    text = dict(party=p.name, month=month, amount=amount, gain=amount // 3, fine=fine)
    kinds = v.penalties
    return pb.Decision(
        document_number=f"{agency.short}〔{decided.year}〕{prefix}{i}号",
        category=pb.DECISION_CATEGORY_PENALTY,
        procedure_type=pb.PROCEDURE_TYPE_ORDINARY,
        party=p,
        facts=v.facts.format(**text),
        violation_type=v.kind,
        violated_provisions=[v.provision],
        legal_basis=[v.basis],
        conclusion=v.conclusion.format(**text),
        penalty_kinds=kinds,
        fine_amount_fen=fine * 100,
        confiscation_amount_fen=(amount // 3) * 100 if pb.PENALTY_KIND_CONFISCATION in kinds else 0,
        decision_date=decided.isoformat(),
        severity=pb.SEVERITY_TIER_SERIOUS if v.serious else pb.SEVERITY_TIER_GENERAL,
    )

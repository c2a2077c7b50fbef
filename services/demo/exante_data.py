"""A realistic, fictional ex-ante publicity seed set: five agencies in two
regions (Shanghai Huangpu 310101, Shenzhen Nanshan 440305), their legal
bases, 50 duty items, officers, procedures, supervision channels and random
inspection items.

Agencies, people, phone numbers and codes are invented. Laws and article
numbers are real national instruments, cited the way agencies cite them;
excerpts are shortened paraphrases, not authoritative text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongshi.v1 import duties_pb2 as d
from gongshi.v1 import procedures_pb2 as p

LAW = d.INSTRUMENT_LEVEL_LAW
REGULATION = d.INSTRUMENT_LEVEL_ADMINISTRATIVE_REGULATION
LOCAL_REGULATION = d.INSTRUMENT_LEVEL_LOCAL_REGULATION
DEPT_RULE = d.INSTRUMENT_LEVEL_DEPARTMENTAL_RULE
LOCAL_RULE = d.INSTRUMENT_LEVEL_LOCAL_GOVERNMENT_RULE
SETTING, VIOLATED, PENALTY = d.BASIS_ROLE_SETTING, d.BASIS_ROLE_VIOLATED, d.BASIS_ROLE_PENALTY

LICENSING, PUNISH, COERCION = d.POWER_TYPE_LICENSING, d.POWER_TYPE_PENALTY, d.POWER_TYPE_COERCION
LEVY, PAYMENT, ADJUDICATION = d.POWER_TYPE_LEVY, d.POWER_TYPE_PAYMENT, d.POWER_TYPE_ADJUDICATION
CONFIRMATION, REWARD, INSPECTION, OTHER = (
    d.POWER_TYPE_CONFIRMATION,
    d.POWER_TYPE_REWARD,
    d.POWER_TYPE_INSPECTION,
    d.POWER_TYPE_OTHER,
)


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


# ---- shared national bases ------------------------------------------------

_XZCF = "中华人民共和国行政处罚法"
_XZXK = "中华人民共和国行政许可法"
_XZQZ = "中华人民共和国行政强制法"
_NPC = "全国人民代表大会常务委员会"
_NPC_FULL = "全国人民代表大会"


def _common(prefix: str) -> list[Basis]:
    return [
        Basis(
            f"{prefix}-XZCF-8",
            _XZCF,
            LAW,
            _NPC_FULL,
            "第八条",
            SETTING,
            "2021-07-15",
            "行政处罚的种类：警告、通报批评；罚款、没收违法所得、没收非法财物；暂扣许可证件、降低资质等级、"
            "吊销许可证件；限制开展生产经营活动、责令停产停业、责令关闭、限制从业；行政拘留；其他行政处罚。",
        ),
        Basis(
            f"{prefix}-XZXK-12",
            _XZXK,
            LAW,
            _NPC,
            "第十二条",
            SETTING,
            "2019-04-23",
            "直接涉及公共安全、公众健康以及直接关系人身健康、生命财产安全等特定活动，可以设定行政许可。",
        ),
        Basis(
            f"{prefix}-XZQZ-9",
            _XZQZ,
            LAW,
            _NPC,
            "第九条",
            SETTING,
            "2012-01-01",
            "行政强制措施的种类：限制公民人身自由；查封场所、设施或者财物；扣押财物；冻结存款、汇款；"
            "其他行政强制措施。",
        ),
    ]


# ---- 上海市黄浦区市场监督管理局 -------------------------------------------------

_SCJG = "SCJG-310101"
_SCJG_BASES = [
    *_common("SC"),
    Basis(
        "SC-SPAQ-35",
        "中华人民共和国食品安全法",
        LAW,
        _NPC,
        "第三十五条",
        SETTING,
        "2021-04-29",
        "国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。",
    ),
    Basis(
        "SC-SPAQ-34",
        "中华人民共和国食品安全法",
        LAW,
        _NPC,
        "第三十四条",
        VIOLATED,
        "2021-04-29",
        "禁止生产经营超过保质期的食品、食品添加剂，以及腐败变质、油脂酸败、霉变生虫的食品。",
    ),
    Basis(
        "SC-SPAQ-124",
        "中华人民共和国食品安全法",
        LAW,
        _NPC,
        "第一百二十四条",
        PENALTY,
        "2021-04-29",
        "生产经营超过保质期的食品等，尚不构成犯罪的，没收违法所得和违法生产经营的食品，并处罚款；"
        "情节严重的，吊销许可证。",
        paragraph="第一款",
        item="第五项",
    ),
    Basis(
        "SC-SPAQ-122",
        "中华人民共和国食品安全法",
        LAW,
        _NPC,
        "第一百二十二条",
        PENALTY,
        "2021-04-29",
        "未取得食品生产经营许可从事食品生产经营活动的，没收违法所得和违法生产经营的食品，并处罚款。",
    ),
    Basis(
        "SC-SPAQ-110",
        "中华人民共和国食品安全法",
        LAW,
        _NPC,
        "第一百一十条",
        SETTING,
        "2021-04-29",
        "县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权进入生产经营场所实施现场检查，"
        "查封、扣押有证据证明不符合食品安全标准的食品。",
    ),
    Basis(
        "SC-JGBZ-48",
        "中华人民共和国价格法",
        LAW,
        _NPC,
        "第四十条",
        PENALTY,
        "1998-05-01",
        "经营者有不正当价格行为的，责令改正，没收违法所得，可以并处罚款。",
    ),
    Basis(
        "SC-GGF-55",
        "中华人民共和国广告法",
        LAW,
        _NPC,
        "第五十五条",
        PENALTY,
        "2021-04-29",
        "发布虚假广告的，由市场监督管理部门责令停止发布广告，责令广告主消除影响，处广告费用三倍以上五倍以下的罚款。",
    ),
    Basis(
        "SC-GGF-28",
        "中华人民共和国广告法",
        LAW,
        _NPC,
        "第二十八条",
        VIOLATED,
        "2021-04-29",
        "广告以虚假或者引人误解的内容欺骗、误导消费者的，构成虚假广告。",
    ),
    Basis(
        "SC-CPZL-49",
        "中华人民共和国产品质量法",
        LAW,
        _NPC,
        "第四十九条",
        PENALTY,
        "2018-12-29",
        "生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的，责令停止生产、销售，"
        "没收违法生产、销售的产品，并处罚款。",
    ),
    Basis(
        "SC-JLF-27",
        "中华人民共和国计量法",
        LAW,
        _NPC,
        "第二十七条",
        PENALTY,
        "2018-10-26",
        "制造、销售未经考核合格的计量器具新产品的，责令停止制造、销售，没收违法所得，可以并处罚款。",
    ),
    Basis(
        "SC-SCZTDJ-43",
        "中华人民共和国市场主体登记管理条例",
        REGULATION,
        "国务院",
        "第四十三条",
        PENALTY,
        "2022-03-01",
        "未经设立登记从事经营活动的，责令改正，没收违法所得；拒不改正的，处罚款。",
        document_number="国务院令第746号",
    ),
    Basis(
        "SC-TZSB-33",
        "中华人民共和国特种设备安全法",
        LAW,
        _NPC,
        "第三十三条",
        SETTING,
        "2014-01-01",
        "特种设备使用单位应当在特种设备投入使用前或者投入使用后三十日内，向负责特种设备安全监督管理的部门办理使用登记。",
    ),
    Basis(
        "SC-XFZ-56",
        "中华人民共和国消费者权益保护法",
        LAW,
        _NPC,
        "第五十六条",
        PENALTY,
        "2014-03-15",
        "经营者侵害消费者权益的，由工商行政管理部门或者其他有关行政部门责令改正，可以根据情节单处或者并处警告、"
        "没收违法所得、处以罚款。",
    ),
    Basis(
        "SC-SHXF-2019",
        "上海市食品安全条例",
        LOCAL_REGULATION,
        "上海市人民代表大会常务委员会",
        "第二十二条",
        SETTING,
        "2017-03-20",
        "本市对小型餐饮服务提供者实行临时备案管理。",
    ),
]
_SCJG_ITEMS = [
    Item(
        "310101-XK-001",
        "食品经营许可",
        LICENSING,
        ("SC-SPAQ-35", "SC-XZXK-12"),
        "行政审批科",
        ("食品经营许可证核发", "食品经营许可证变更", "食品经营许可证延续"),
        guide=True,
    ),
    Item("310101-XK-002", "特种设备使用登记", LICENSING, ("SC-TZSB-33",), "特种设备安全监察科", guide=True),
    Item("310101-XK-003", "小型餐饮服务提供者临时备案", LICENSING, ("SC-SHXF-2019",), "行政审批科"),
    Item(
        "310101-CF-001",
        "对生产经营超过保质期食品的行政处罚",
        PUNISH,
        ("SC-SPAQ-34", "SC-SPAQ-124", "SC-XZCF-8"),
        "执法稽查科",
        guide=True,
    ),
    Item(
        "310101-CF-002",
        "对未取得食品经营许可从事食品经营活动的行政处罚",
        PUNISH,
        ("SC-SPAQ-35", "SC-SPAQ-122"),
        "执法稽查科",
    ),
    Item(
        "310101-CF-003",
        "对发布虚假广告的行政处罚",
        PUNISH,
        ("SC-GGF-28", "SC-GGF-55"),
        "广告监督管理科",
        guide=True,
    ),
    Item("310101-CF-004", "对经营者不正当价格行为的行政处罚", PUNISH, ("SC-JGBZ-48",), "价格监督检查科"),
    Item(
        "310101-CF-005",
        "对销售不符合保障人体健康和人身财产安全标准产品的行政处罚",
        PUNISH,
        ("SC-CPZL-49",),
        "质量监督科",
    ),
    Item("310101-CF-006", "对销售未经考核合格计量器具新产品的行政处罚", PUNISH, ("SC-JLF-27",), "计量科"),
    Item("310101-CF-007", "对未经设立登记从事经营活动的行政处罚", PUNISH, ("SC-SCZTDJ-43",), "登记注册科"),
    Item("310101-CF-008", "对经营者侵害消费者权益的行政处罚", PUNISH, ("SC-XFZ-56",), "消费者权益保护科"),
    Item(
        "310101-QZ-001",
        "查封、扣押不符合食品安全标准的食品",
        COERCION,
        ("SC-SPAQ-110", "SC-XZQZ-9"),
        "执法稽查科",
    ),
    Item(
        "310101-QZ-002", "查封、扣押涉嫌违法广告物品", COERCION, ("SC-XZQZ-9", "SC-GGF-55"), "广告监督管理科"
    ),
    Item("310101-JC-001", "食品生产经营监督检查", INSPECTION, ("SC-SPAQ-110",), "食品安全监管科"),
    Item("310101-JC-002", "特种设备安全监督检查", INSPECTION, ("SC-TZSB-33",), "特种设备安全监察科"),
    Item("310101-JL-001", "对举报食品安全违法行为有功人员的奖励", REWARD, ("SC-SPAQ-110",), "投诉举报中心"),
]
_SCJG_OFFICERS = [
    Officer("31010120190021", "陈建国", "市场监管综合执法", "黄浦区", "2019-03-01", "2029-02-28"),
    Officer("31010120200145", "王丽华", "市场监管综合执法", "黄浦区", "2020-07-01", "2030-06-30"),
    Officer("31010120210307", "刘志强", "食品安全", "黄浦区南京东路街道", "2021-05-10", "2031-05-09"),
    Officer("31010120160088", "赵敏", "特种设备安全", "黄浦区", "2016-01-01", "2025-12-31"),
    Officer(
        "31010120220410",
        "孙晓峰",
        "广告监督",
        "黄浦区",
        "2022-09-01",
        "2032-08-31",
        d.CERTIFICATE_STATUS_SUSPENDED,
    ),
]
_SCJG_INSPECTIONS = [
    Inspection(
        "310101-SJ-001",
        "食品销售者检查",
        "进货查验和记录制度执行情况",
        ("《中华人民共和国食品安全法》第一百一十条",),
        "现场检查、书面检查",
        "经营场所卫生、进货查验记录、过期食品清理",
        "辖区内持证食品销售者",
        5,
        "每年不少于1次",
        "310101-JC-001",
    ),
    Inspection(
        "310101-SJ-002",
        "餐饮服务提供者检查",
        "餐饮服务食品安全操作规范执行情况",
        ("《中华人民共和国食品安全法》第一百一十条", "《餐饮服务食品安全操作规范》"),
        "现场检查",
        "原料控制、加工制作过程、餐用具清洗消毒",
        "辖区内持证餐饮服务提供者",
        10,
        "每年不少于1次",
        "310101-JC-001",
    ),
    Inspection(
        "310101-SJ-003",
        "特种设备使用单位检查",
        "电梯使用管理",
        ("《中华人民共和国特种设备安全法》第五十七条",),
        "现场检查",
        "使用登记、定期检验、维护保养记录",
        "辖区内电梯使用单位",
        3,
        "每半年1次",
        "310101-JC-002",
    ),
]

# ---- 上海市黄浦区城市管理行政执法局 -----------------------------------------------

_CGZF = "CGZF-310101"
_CGZF_BASES = [
    *_common("CG"),
    Basis(
        "CG-CSRC-36",
        "城市市容和环境卫生管理条例",
        REGULATION,
        "国务院",
        "第三十六条",
        PENALTY,
        "2017-03-01",
        "在城市建筑物、设施以及树木上涂写、刻画或者未经批准张挂、张贴宣传品等的，责令纠正违法行为、采取补救措施，"
        "可以并处警告、罚款。",
        document_number="国务院令第101号",
    ),
    Basis(
        "CG-CSRC-14",
        "城市市容和环境卫生管理条例",
        REGULATION,
        "国务院",
        "第十四条",
        VIOLATED,
        "2017-03-01",
        "任何单位和个人都不得在街道两侧和公共场地堆放物料，搭建建筑物、构筑物或者其他设施。",
        document_number="国务院令第101号",
    ),
    Basis(
        "CG-SHSR-2019",
        "上海市市容环境卫生管理条例",
        LOCAL_REGULATION,
        "上海市人民代表大会常务委员会",
        "第二十二条",
        VIOLATED,
        "2019-03-01",
        "沿街和广场周边的经营者不得擅自超出门、窗进行店外经营、作业或者展示商品。",
    ),
    Basis(
        "CG-SHSR-46",
        "上海市市容环境卫生管理条例",
        LOCAL_REGULATION,
        "上海市人民代表大会常务委员会",
        "第四十六条",
        PENALTY,
        "2019-03-01",
        "擅自超出门、窗进行店外经营的，责令改正，处罚款。",
    ),
    Basis(
        "CG-SHGG-2010",
        "上海市户外广告设施管理办法",
        LOCAL_RULE,
        "上海市人民政府",
        "第十二条",
        SETTING,
        "2010-12-20",
        "设置户外广告设施，应当按照规定取得审批。",
        document_number="沪府令第52号",
    ),
    Basis(
        "CG-SHGG-30",
        "上海市户外广告设施管理办法",
        LOCAL_RULE,
        "上海市人民政府",
        "第三十条",
        PENALTY,
        "2010-12-20",
        "擅自设置户外广告设施的，责令限期改正；逾期不改正的，处罚款。",
        document_number="沪府令第52号",
    ),
    Basis(
        "CG-SHLJ-2019",
        "上海市生活垃圾管理条例",
        LOCAL_REGULATION,
        "上海市人民代表大会常务委员会",
        "第五十八条",
        PENALTY,
        "2019-07-01",
        "单位未按照规定分类投放生活垃圾的，责令立即改正，处罚款。",
    ),
    Basis(
        "CG-JZLJ-2005",
        "城市建筑垃圾管理规定",
        DEPT_RULE,
        "建设部",
        "第二十三条",
        PENALTY,
        "2005-06-01",
        "处置建筑垃圾的单位在运输建筑垃圾过程中沿途丢弃、遗撒建筑垃圾的，责令限期改正，给予警告，处罚款。",
        document_number="建设部令第139号",
    ),
    Basis(
        "CG-ZSJZ-64",
        "中华人民共和国城乡规划法",
        LAW,
        _NPC,
        "第六十四条",
        PENALTY,
        "2019-04-23",
        "未取得建设工程规划许可证进行建设的，责令停止建设；无法采取改正措施消除影响的，限期拆除。",
    ),
    Basis(
        "CG-HJZS-2022",
        "中华人民共和国噪声污染防治法",
        LAW,
        _NPC,
        "第八十二条",
        PENALTY,
        "2022-06-05",
        "在噪声敏感建筑物集中区域夜间进行产生噪声的建筑施工作业的，责令改正，处罚款。",
    ),
]
_CGZF_ITEMS = [
    Item(
        "310101-CG-XK-001",
        "户外广告设施设置审批",
        LICENSING,
        ("CG-SHGG-2010", "CG-XZXK-12"),
        "市容管理科",
        guide=True,
    ),
    Item("310101-CG-XK-002", "临时占用城市道路设摊审批", LICENSING, ("CG-CSRC-14",), "市容管理科"),
    Item(
        "310101-CG-CF-001",
        "对擅自设置户外广告设施的行政处罚",
        PUNISH,
        ("CG-SHGG-30", "CG-XZCF-8"),
        "执法一中队",
        guide=True,
    ),
    Item(
        "310101-CG-CF-002",
        "对擅自超出门窗店外经营的行政处罚",
        PUNISH,
        ("CG-SHSR-2019", "CG-SHSR-46"),
        "执法二中队",
        guide=True,
    ),
    Item("310101-CG-CF-003", "对未经批准张贴宣传品的行政处罚", PUNISH, ("CG-CSRC-36",), "执法二中队"),
    Item("310101-CG-CF-004", "对单位未分类投放生活垃圾的行政处罚", PUNISH, ("CG-SHLJ-2019",), "环卫执法中队"),
    Item("310101-CG-CF-005", "对运输建筑垃圾沿途遗撒的行政处罚", PUNISH, ("CG-JZLJ-2005",), "环卫执法中队"),
    Item(
        "310101-CG-CF-006",
        "对未取得建设工程规划许可证进行建设的行政处罚",
        PUNISH,
        ("CG-ZSJZ-64",),
        "规划执法中队",
    ),
    Item("310101-CG-CF-007", "对夜间违规施工产生噪声的行政处罚", PUNISH, ("CG-HJZS-2022",), "执法一中队"),
    Item("310101-CG-QZ-001", "暂扣擅自设摊经营的物品", COERCION, ("CG-XZQZ-9", "CG-CSRC-14"), "执法二中队"),
    Item(
        "310101-CG-JC-001", "市容环境卫生监督检查", INSPECTION, ("CG-CSRC-14", "CG-SHSR-2019"), "勤务指挥中心"
    ),
    Item(
        "310101-CG-QT-001", "违法建筑强制拆除的催告与公告", OTHER, ("CG-ZSJZ-64", "CG-XZQZ-9"), "规划执法中队"
    ),
]
_CGZF_OFFICERS = [
    Officer("31010120180512", "周海涛", "城市管理综合执法", "黄浦区", "2018-06-01", "2028-05-31"),
    Officer("31010120210633", "吴静", "城市管理综合执法", "黄浦区外滩街道", "2021-03-15", "2031-03-14"),
    Officer("31010120230701", "郑宇", "城市管理综合执法", "黄浦区豫园街道", "2023-01-01", "2033-12-31"),
    Officer("31010120150099", "冯国平", "城市管理综合执法", "黄浦区", "2015-01-01", "2024-12-31"),
]
_CGZF_INSPECTIONS = [
    Inspection(
        "310101-CG-SJ-001",
        "沿街商户市容环境责任区检查",
        "门责制落实情况",
        ("《上海市市容环境卫生管理条例》第二十二条",),
        "现场检查",
        "店外经营、乱堆物、门前三包",
        "辖区沿街商户",
        3,
        "每季度1次",
        "310101-CG-JC-001",
    ),
    Inspection(
        "310101-CG-SJ-002",
        "生活垃圾分类投放检查",
        "单位生活垃圾分类",
        ("《上海市生活垃圾管理条例》第五十八条",),
        "现场检查",
        "分类容器设置、分类投放质量",
        "辖区机关、企事业单位",
        5,
        "每半年1次",
        "310101-CG-JC-001",
    ),
]

# ---- 深圳市生态环境局南山管理局 ---------------------------------------------------

_STHJ = "STHJ-440305"
_STHJ_BASES = [
    *_common("ST"),
    Basis(
        "ST-HBF-19",
        "中华人民共和国环境保护法",
        LAW,
        _NPC,
        "第十九条",
        SETTING,
        "2015-01-01",
        "编制有关开发利用规划，建设对环境有影响的项目，应当依法进行环境影响评价。",
    ),
    Basis(
        "ST-HBF-63",
        "中华人民共和国环境保护法",
        LAW,
        _NPC,
        "第六十三条",
        PENALTY,
        "2015-01-01",
        "通过暗管、渗井、渗坑、灌注或者篡改、伪造监测数据等逃避监管的方式违法排放污染物的，移送公安机关处理。",
    ),
    Basis(
        "ST-HBF-25",
        "中华人民共和国环境保护法",
        LAW,
        _NPC,
        "第二十五条",
        SETTING,
        "2015-01-01",
        "企业事业单位违反法律法规规定排放污染物，造成或者可能造成严重污染的，可以查封、扣押造成污染物排放的设施、设备。",
    ),
    Basis(
        "ST-HP-16",
        "中华人民共和国环境影响评价法",
        LAW,
        _NPC,
        "第十六条",
        SETTING,
        "2018-12-29",
        "国家根据建设项目对环境的影响程度，对建设项目的环境影响评价实行分类管理。",
    ),
    Basis(
        "ST-HP-31",
        "中华人民共和国环境影响评价法",
        LAW,
        _NPC,
        "第三十一条",
        PENALTY,
        "2018-12-29",
        "建设单位未依法报批建设项目环境影响报告书、报告表擅自开工建设的，责令停止建设，处罚款，可以责令恢复原状。",
    ),
    Basis(
        "ST-DQ-99",
        "中华人民共和国大气污染防治法",
        LAW,
        _NPC,
        "第九十九条",
        PENALTY,
        "2018-10-26",
        "超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物的，责令改正或者限制生产、"
        "停产整治，并处罚款。",
    ),
    Basis(
        "ST-SW-83",
        "中华人民共和国水污染防治法",
        LAW,
        _NPC,
        "第八十三条",
        PENALTY,
        "2018-01-01",
        "未依法取得排污许可证排放水污染物的，责令改正或者责令限制生产、停产整治，并处罚款。",
    ),
    Basis(
        "ST-GF-112",
        "中华人民共和国固体废物污染环境防治法",
        LAW,
        _NPC,
        "第一百一十二条",
        PENALTY,
        "2020-09-01",
        "未按照规定设置危险废物识别标志、未按照国家有关规定制定危险废物管理计划的，责令改正，处罚款。",
    ),
    Basis(
        "ST-PWXK-33",
        "排污许可管理条例",
        REGULATION,
        "国务院",
        "第三十三条",
        PENALTY,
        "2021-03-01",
        "未取得排污许可证排放污染物的，责令改正或者限制生产、停产整治，处二十万元以上一百万元以下的罚款。",
        document_number="国务院令第736号",
    ),
    Basis(
        "ST-SZHB-2018",
        "深圳经济特区生态环境保护条例",
        LOCAL_REGULATION,
        "深圳市人民代表大会常务委员会",
        "第六十五条",
        PENALTY,
        "2021-09-01",
        "未按照规定安装使用污染防治设施的，责令改正，处罚款。",
    ),
    Basis(
        "ST-ZS-87",
        "中华人民共和国噪声污染防治法",
        LAW,
        _NPC,
        "第七十五条",
        PENALTY,
        "2022-06-05",
        "无排污许可证或者超过噪声排放标准排放工业噪声的，责令改正或者限制生产、停产整治，并处罚款。",
    ),
]
_STHJ_ITEMS = [
    Item(
        "440305-HJ-XK-001",
        "建设项目环境影响报告表审批",
        LICENSING,
        ("ST-HBF-19", "ST-HP-16", "ST-XZXK-12"),
        "环境影响评价科",
        ("报告表审批", "重大变动重新报批"),
        guide=True,
    ),
    Item(
        "440305-HJ-XK-002", "排污许可证核发（简化管理）", LICENSING, ("ST-PWXK-33",), "排污许可科", guide=True
    ),
    Item(
        "440305-HJ-CF-001",
        "对未批先建建设项目的行政处罚",
        PUNISH,
        ("ST-HP-31", "ST-XZCF-8"),
        "执法一大队",
        guide=True,
    ),
    Item("440305-HJ-CF-002", "对超标排放大气污染物的行政处罚", PUNISH, ("ST-DQ-99",), "执法二大队"),
    Item(
        "440305-HJ-CF-003", "对无证排放水污染物的行政处罚", PUNISH, ("ST-SW-83", "ST-PWXK-33"), "执法二大队"
    ),
    Item("440305-HJ-CF-004", "对危险废物管理不规范的行政处罚", PUNISH, ("ST-GF-112",), "固体废物管理科"),
    Item("440305-HJ-CF-005", "对未按规定使用污染防治设施的行政处罚", PUNISH, ("ST-SZHB-2018",), "执法一大队"),
    Item("440305-HJ-CF-006", "对超标排放工业噪声的行政处罚", PUNISH, ("ST-ZS-87",), "执法一大队"),
    Item("440305-HJ-CF-007", "对逃避监管违法排放污染物的行政处罚", PUNISH, ("ST-HBF-63",), "执法二大队"),
    Item(
        "440305-HJ-QZ-001",
        "查封、扣押造成污染物排放的设施、设备",
        COERCION,
        ("ST-HBF-25", "ST-XZQZ-9"),
        "执法二大队",
    ),
    Item("440305-HJ-JC-001", "排污单位现场检查", INSPECTION, ("ST-HBF-25",), "执法一大队"),
    Item("440305-HJ-QR-001", "环境违法行为有奖举报的确认", CONFIRMATION, ("ST-HBF-25",), "信访投诉科"),
]
_STHJ_OFFICERS = [
    Officer("44030520170213", "黄志明", "生态环境保护综合执法", "南山区", "2017-08-01", "2027-07-31"),
    Officer("44030520200356", "林晓燕", "生态环境保护综合执法", "南山区粤海街道", "2020-04-01", "2030-03-31"),
    Officer("44030520220418", "何俊", "生态环境保护综合执法", "南山区", "2022-11-01", "2032-10-31"),
    Officer(
        "44030520140067",
        "梁文",
        "生态环境保护综合执法",
        "南山区",
        "2014-01-01",
        "2023-12-31",
        d.CERTIFICATE_STATUS_REVOKED,
    ),
]
_STHJ_INSPECTIONS = [
    Inspection(
        "440305-HJ-SJ-001",
        "排污单位监督检查",
        "排污许可执行情况",
        ("《排污许可管理条例》第二十五条",),
        "现场检查、监测",
        "许可排放浓度和排放量、自行监测、台账记录",
        "持证排污单位（重点管理）",
        20,
        "每年不少于1次",
        "440305-HJ-JC-001",
    ),
    Inspection(
        "440305-HJ-SJ-002",
        "排污单位监督检查",
        "一般排污单位",
        ("《排污许可管理条例》第二十五条",),
        "现场检查",
        "污染防治设施运行、排污口规范化",
        "持证排污单位（简化管理、登记管理）",
        5,
        "每年1次",
        "440305-HJ-JC-001",
    ),
    Inspection(
        "440305-HJ-SJ-003",
        "建设项目环境保护检查",
        "“三同时”制度执行情况",
        ("《建设项目环境保护管理条例》第十九条",),
        "现场检查、资料核查",
        "环保设施与主体工程同时设计、施工、投产",
        "在建及新投产建设项目",
        10,
        "每年1次",
    ),
]

# ---- 深圳市南山区文化广电旅游体育局 and its entrusted enforcement team -----------

_WHLY = "WHLY-440305"
_WHZF = "WHZF-440305"
_WHLY_BASES = [
    *_common("WH"),
    Basis(
        "WH-YLCS-9",
        "娱乐场所管理条例",
        REGULATION,
        "国务院",
        "第九条",
        SETTING,
        "2020-11-29",
        "设立娱乐场所，应当向所在地县级人民政府文化主管部门提出申请。",
        document_number="国务院令第458号",
    ),
    Basis(
        "WH-YLCS-41",
        "娱乐场所管理条例",
        REGULATION,
        "国务院",
        "第四十一条",
        PENALTY,
        "2020-11-29",
        "未经文化主管部门许可擅自从事娱乐场所经营活动的，依法予以取缔，没收违法所得，并处罚款。",
        document_number="国务院令第458号",
    ),
    Basis(
        "WH-LYF-28",
        "中华人民共和国旅游法",
        LAW,
        _NPC,
        "第二十八条",
        SETTING,
        "2018-10-26",
        "设立旅行社，招徕、组织、接待旅游者，为其提供旅游服务，应当具备法定条件，取得旅游主管部门的许可。",
    ),
    Basis(
        "WH-LYF-95",
        "中华人民共和国旅游法",
        LAW,
        _NPC,
        "第九十五条",
        PENALTY,
        "2018-10-26",
        "未经许可经营旅行社业务的，责令改正，没收违法所得，并处罚款。",
    ),
    Basis(
        "WH-YCCS-2016",
        "营业性演出管理条例",
        REGULATION,
        "国务院",
        "第四十三条",
        PENALTY,
        "2020-11-29",
        "未经批准举办营业性演出的，予以取缔，没收演出器材和违法所得，并处罚款。",
        document_number="国务院令第439号",
    ),
    Basis(
        "WH-WBF-30",
        "互联网上网服务营业场所管理条例",
        REGULATION,
        "国务院",
        "第三十一条",
        PENALTY,
        "2022-03-29",
        "接纳未成年人进入营业场所的，责令改正，给予警告，可以并处罚款；情节严重的，责令停业整顿或者吊销许可证。",
        document_number="国务院令第363号",
    ),
]
_WHLY_ITEMS = [
    Item(
        "440305-WH-XK-001",
        "娱乐场所经营许可",
        LICENSING,
        ("WH-YLCS-9", "WH-XZXK-12"),
        "文化市场科",
        guide=True,
    ),
    Item("440305-WH-XK-002", "旅行社设立许可", LICENSING, ("WH-LYF-28",), "旅游管理科"),
    Item("440305-WH-XK-003", "营业性演出审批", LICENSING, ("WH-YCCS-2016",), "文化市场科"),
    Item("440305-WH-GF-001", "公共文化体育设施运营补助发放", PAYMENT, ("WH-XZXK-12",), "公共服务科"),
    Item("440305-WH-JL-001", "群众文化活动先进集体和个人表彰", REWARD, ("WH-XZXK-12",), "公共服务科"),
    Item("440305-WH-CJ-001", "旅游合同纠纷的调解与处理", ADJUDICATION, ("WH-LYF-28",), "旅游管理科"),
]
_WHZF_BASES = [
    *_common("WZ"),
    Basis(
        "WZ-YLCS-41",
        "娱乐场所管理条例",
        REGULATION,
        "国务院",
        "第四十一条",
        PENALTY,
        "2020-11-29",
        "未经文化主管部门许可擅自从事娱乐场所经营活动的，依法予以取缔，没收违法所得，并处罚款。",
        document_number="国务院令第458号",
    ),
    Basis(
        "WZ-WBF-31",
        "互联网上网服务营业场所管理条例",
        REGULATION,
        "国务院",
        "第三十一条",
        PENALTY,
        "2022-03-29",
        "接纳未成年人进入营业场所的，责令改正，给予警告，可以并处罚款；情节严重的，吊销许可证。",
        document_number="国务院令第363号",
    ),
    Basis(
        "WZ-LYF-95",
        "中华人民共和国旅游法",
        LAW,
        _NPC,
        "第九十五条",
        PENALTY,
        "2018-10-26",
        "未经许可经营旅行社业务的，责令改正，没收违法所得，并处罚款。",
    ),
    Basis(
        "WZ-YCCS-43",
        "营业性演出管理条例",
        REGULATION,
        "国务院",
        "第四十三条",
        PENALTY,
        "2020-11-29",
        "未经批准举办营业性演出的，予以取缔，没收演出器材和违法所得，并处罚款。",
        document_number="国务院令第439号",
    ),
]
_WHZF_ITEMS = [
    Item(
        "440305-WZ-CF-001",
        "对擅自从事娱乐场所经营活动的行政处罚",
        PUNISH,
        ("WZ-YLCS-41", "WZ-XZCF-8"),
        "执法一中队",
        guide=True,
    ),
    Item("440305-WZ-CF-002", "对网吧接纳未成年人的行政处罚", PUNISH, ("WZ-WBF-31",), "执法二中队"),
    Item("440305-WZ-CF-003", "对未经许可经营旅行社业务的行政处罚", PUNISH, ("WZ-LYF-95",), "执法一中队"),
    Item("440305-WZ-CF-004", "对未经批准举办营业性演出的行政处罚", PUNISH, ("WZ-YCCS-43",), "执法二中队"),
]
_WHZF_OFFICERS = [
    Officer("44030520190822", "谢婷", "文化市场综合执法", "南山区", "2019-09-01", "2029-08-31"),
    Officer("44030520210930", "邓伟", "文化市场综合执法", "南山区", "2021-12-01", "2031-11-30"),
]
_WHZF_INSPECTIONS = [
    Inspection(
        "440305-WZ-SJ-001",
        "互联网上网服务营业场所检查",
        "接纳未成年人情况",
        ("《互联网上网服务营业场所管理条例》第二十一条",),
        "现场检查、视频巡查",
        "未成年人禁入标志、身份核验登记",
        "辖区网吧",
        15,
        "每季度1次",
    ),
]


def _agency(
    code: str,
    name: str,
    region: str,
    uscc: str,
    kind: int,
    authority: str,
    address: str,
    phone: str,
    supervision: str,
    email: str,
    website: str,
    entrusting: str = "",
) -> d.Agency:
    return d.Agency(
        code=code,
        name=name,
        unified_social_credit_code=uscc,
        kind=kind,
        entrusting_agency_code=entrusting,
        region_code=region,
        legal_basis_of_authority=authority,
        address=address,
        office_hours="工作日 9:00–12:00，13:30–17:30",
        phone=phone,
        supervision_phone=supervision,
        email=email,
        website=website,
    )


_ORGAN = d.AGENCY_KIND_ADMINISTRATIVE_ORGAN

AGENCIES: list[AgencySeed] = [
    AgencySeed(
        _agency(
            _SCJG,
            "上海市黄浦区市场监督管理局",
            "310101",
            "11310101MB2F00001K",
            _ORGAN,
            "《上海市黄浦区机构改革方案》及区市场监督管理局“三定”规定",
            "上海市黄浦区示例路100号",
            "021-5550-1001",
            "021-5550-1099",
            "scjg@huangpu.example.gov.cn",
            "https://scjg.huangpu.example.gov.cn",
        ),
        _SCJG_BASES,
        _SCJG_ITEMS,
        _SCJG_OFFICERS,
        _SCJG_INSPECTIONS,
        review_body="上海市黄浦区人民政府",
        court="上海市黄浦区人民法院",
        complaint_phone="021-5550-1315",
        email="tousu@scjg.huangpu.example.gov.cn",
        postal_address="上海市黄浦区示例路100号 投诉举报中心",
        postcode="200001",
    ),
    AgencySeed(
        _agency(
            _CGZF,
            "上海市黄浦区城市管理行政执法局",
            "310101",
            "11310101MB2F00002F",
            _ORGAN,
            "《上海市城市管理综合行政执法条例》第七条",
            "上海市黄浦区示例路200号",
            "021-5550-2001",
            "021-5550-2099",
            "cgzf@huangpu.example.gov.cn",
            "https://cgzf.huangpu.example.gov.cn",
        ),
        _CGZF_BASES,
        _CGZF_ITEMS,
        _CGZF_OFFICERS,
        _CGZF_INSPECTIONS,
        review_body="上海市黄浦区人民政府",
        court="上海市黄浦区人民法院",
        complaint_phone="021-5550-2110",
        email="jubao@cgzf.huangpu.example.gov.cn",
        postal_address="上海市黄浦区示例路200号 信访室",
        postcode="200002",
    ),
    AgencySeed(
        _agency(
            _STHJ,
            "深圳市生态环境局南山管理局",
            "440305",
            "11440305MB2F00003Y",
            _ORGAN,
            "《深圳市生态环境局职能配置、内设机构和人员编制规定》",
            "深圳市南山区示例大道300号",
            "0755-5550-3001",
            "0755-5550-3099",
            "sthj@nanshan.example.gov.cn",
            "https://sthj.nanshan.example.gov.cn",
        ),
        _STHJ_BASES,
        _STHJ_ITEMS,
        _STHJ_OFFICERS,
        _STHJ_INSPECTIONS,
        review_body="深圳市人民政府",
        court="深圳市南山区人民法院",
        complaint_phone="0755-5550-3369",
        email="hbts@sthj.nanshan.example.gov.cn",
        postal_address="深圳市南山区示例大道300号 信访投诉科",
        postcode="518052",
    ),
    AgencySeed(
        _agency(
            _WHLY,
            "深圳市南山区文化广电旅游体育局",
            "440305",
            "11440305MB2F00004T",
            _ORGAN,
            "南山区文化广电旅游体育局“三定”规定",
            "深圳市南山区示例大道400号",
            "0755-5550-4001",
            "0755-5550-4099",
            "whly@nanshan.example.gov.cn",
            "https://whly.nanshan.example.gov.cn",
        ),
        _WHLY_BASES,
        _WHLY_ITEMS,
        [],
        [],
        review_body="深圳市南山区人民政府",
        court="深圳市南山区人民法院",
        complaint_phone="0755-5550-4315",
        email="ts@whly.nanshan.example.gov.cn",
        postal_address="深圳市南山区示例大道400号",
        postcode="518052",
    ),
    AgencySeed(
        _agency(
            _WHZF,
            "深圳市南山区文化市场综合执法大队",
            "440305",
            "12440305MB2F00005N",
            d.AGENCY_KIND_ENTRUSTED_ORGANISATION,
            "受南山区文化广电旅游体育局委托实施文化市场行政处罚（委托书 南文旅委〔2024〕1号）",
            "深圳市南山区示例大道402号",
            "0755-5550-4201",
            "0755-5550-4099",
            "whzf@nanshan.example.gov.cn",
            "https://whly.nanshan.example.gov.cn/zfdd",
            entrusting=_WHLY,
        ),
        _WHZF_BASES,
        _WHZF_ITEMS,
        _WHZF_OFFICERS,
        _WHZF_INSPECTIONS,
        review_body="深圳市南山区人民政府",
        court="深圳市南山区人民法院",
        complaint_phone="0755-5550-4315",
        email="ts@whzf.nanshan.example.gov.cn",
        postal_address="深圳市南山区示例大道402号",
        postcode="518052",
    ),
]


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

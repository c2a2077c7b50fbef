"""Golden masking results for every field DOMAIN.md E2 lists, and a property test
that no embedded ID or mobile number survives `redact_text`."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.runtime.masking import (
    DEFAULT_RULES,
    AppliedRule,
    KeepEnds,
    MaskingPolicy,
    looks_like_id_number,
    mask_address,
    mask_bank_account,
    mask_health,
    mask_id_number,
    mask_keep_ends,
    mask_name,
    mask_party,
    mask_phone,
    redact_text,
)

# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("張三", "張某某"),
        ("王小明", "王某某"),
        ("欧阳娜娜", "欧阳某某"),
        ("歐陽修", "歐陽某某"),
        ("司马相如", "司马某某"),
        ("諸葛亮", "諸葛某某"),
        ("上官婉儿", "上官某某"),
        ("司马", "司某某"),  # two characters only: surname 司, given name 马
        (" 李四 ", "李某某"),
        ("", ""),
    ],
)
def test_mask_name_default_pattern(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_name_custom_pattern() -> None:
    assert mask_name("张三丰", "{surname}某") == "张某"
    assert mask_name("欧阳娜娜", "{surname}**") == "欧阳**"


# ---------------------------------------------------------------- ID numbers


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("110101199003071234", "110101********1234"),
        ("11010119900307123X", "110101********123X"),
        ("440305200012319876", "440305********9876"),
        ("110101900307123", "110101******123"),  # 15-digit: the last 3 are all after the birth date
        ("１１０１０１１９９００３０７１２３４", "１１０１０１********１２３４"),  # full-width digits
    ],
)
def test_mask_id_number_hides_the_birth_date(raw: str, masked: str) -> None:
    assert mask_id_number(raw) == masked


def test_mask_id_number_configurable() -> None:
    assert mask_id_number("110101199003071234", KeepEnds(3, 1)) == "110**************4"
    assert mask_id_number("110101199003071234", KeepEnds(0, 0), mask_char="X") == "X" * 18


@pytest.mark.parametrize(
    ("value", "plausible"),
    [
        ("110101199003071234", True),
        ("11010119900307123x", True),
        ("110101 19900307 1234", True),
        ("110101199013071234", False),  # month 13
        ("110101199002301234", False),  # 30 February
        ("010101199003071234", False),  # no region code starts with 0
        ("6222021234567890", False),
    ],
)
def test_looks_like_id_number(value: str, plausible: bool) -> None:
    assert looks_like_id_number(value) is plausible


# ---------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138-1234-5678", "138-****-5678"),
        ("+86 138 1234 5678", "+86 138 **** 5678"),
        ("8613812345678", "86138****5678"),
        ("010-12345678", "010-******78"),  # Beijing: 3-digit area code
        ("(021)87654321", "(021)******21"),  # Shanghai: 3-digit area code
        ("0755-1234567", "0755-*****67"),  # Shenzhen: 4-digit area code
        ("057188886666", "0571******66"),
        ("12345", "*****"),  # unrecognised: masked whole
    ],
)
def test_mask_phone(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("北京市海淀区中关村大街27号", "北京市海淀区****"),
        ("广东省深圳市南山区科技园南区深南大道10000号", "广东省深圳市南山区****"),
        ("上海市浦东新区张江镇碧波路690号", "上海市浦东新区****"),
        ("江苏省昆山市玉山镇人民路1号", "江苏省昆山市****"),  # county-level city
        ("江苏省苏州市昆山市玉山镇人民路1号", "江苏省苏州市昆山市****"),
        ("浙江省杭州市临安区锦城街道", "浙江省杭州市临安区****"),
        ("河北省保定市涞源县城关镇", "河北省保定市涞源县****"),
        ("内蒙古自治区呼和浩特市赛罕区大学西街", "内蒙古自治区呼和浩特市赛罕区****"),
        ("新疆维吾尔自治区伊犁哈萨克自治州伊宁市解放路", "新疆维吾尔自治区伊犁哈萨克自治州伊宁市****"),
        ("重庆市石柱土家族自治县南宾街道", "重庆市石柱土家族自治县****"),
        ("黑龙江省大兴安岭地区漠河市北极村", "黑龙江省大兴安岭地区漠河市****"),
        # 小区 and 市场 are not districts: stop at the real district or city.
        ("北京市朝阳区望京街道花家地小区3号楼", "北京市朝阳区****"),
        ("北京市新发地市场3号", "北京市****"),
        ("海淀区中关村", "海淀区****"),
        ("中关村大街27号", "****"),  # no region at all: everything hidden
        ("浙江省杭州市西湖区", "浙江省杭州市西湖区"),  # nothing below the district
    ],
)
def test_mask_address_keeps_down_to_the_district(raw: str, masked: str) -> None:
    assert mask_address(raw) == masked


def test_mask_address_custom_marker() -> None:
    assert (
        mask_address("北京市海淀区中关村大街27号", marker="（详细地址已隐去）")
        == "北京市海淀区（详细地址已隐去）"
    )


# ---------------------------------------------------------------- bank accounts, health


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("6222021234567890123", "***************0123"),
        ("6222 0212 3456 7890 123", "**** **** **** ***0 123"),
        ("1234", "****"),  # keeping 4 of 4 would reveal it all
    ],
)
def test_mask_bank_account_keeps_last_four(raw: str, masked: str) -> None:
    assert mask_bank_account(raw) == masked


def test_mask_health_replaces_the_whole_value() -> None:
    assert mask_health("高血压，2023年住院治疗") == "[健康信息已隐去]"
    assert mask_health("乙肝", marker="[已隐去]") == "[已隐去]"
    assert mask_health("") == ""


def test_mask_keep_ends_never_reveals_everything() -> None:
    assert mask_keep_ends("12-34", KeepEnds(2, 2)) == "**-**"
    assert mask_keep_ends("12-3456", KeepEnds(2, 2)) == "12-**56"


# ---------------------------------------------------------------- parties

NATURAL = {
    "party_type": "natural_person",
    "name": "王小明",
    "id_number": "110101199003071234",
    "phone": "13812345678",
    "address": "北京市海淀区中关村大街27号",
    "bank_account": "6222021234567890123",
    "health": "高血压",
    "decision_no": "京海市监罚〔2025〕123号",
}


def test_mask_party_natural_person_golden() -> None:
    masked, applied = mask_party(NATURAL)
    assert masked == {
        "party_type": "natural_person",
        "name": "王某某",
        "id_number": "110101********1234",
        "phone": "138****5678",
        "address": "北京市海淀区****",
        "bank_account": "***************0123",
        "health": "[健康信息已隐去]",
        "decision_no": "京海市监罚〔2025〕123号",
    }
    assert applied == [
        AppliedRule(field, field, 1)
        for field in ("name", "id_number", "phone", "address", "bank_account", "health")
    ]
    assert NATURAL["name"] == "王小明"  # the input is not modified


@pytest.mark.parametrize("party_type", ["legal_person", "unincorporated_organisation"])
def test_mask_party_organisation_keeps_name_hides_bank_account(party_type: str) -> None:
    party = {
        "party_type": party_type,
        "name": "北京某某科技有限公司",
        "id_number": "91110108MA01ABCD2X",
        "phone": "010-12345678",
        "address": "北京市海淀区中关村大街27号",
        "bank_account": "1100 1234 5678 9012 345",
    }
    masked, applied = mask_party(party)
    assert masked == {**party, "bank_account": "**** **** **** ***2 345"}
    assert applied == [AppliedRule("bank_account", "bank_account", 1)]


@pytest.mark.parametrize("party_type", [None, "individual_business", "something_new"])
def test_unknown_party_types_are_masked_like_natural_persons(party_type: str | None) -> None:
    masked, _ = mask_party({"party_type": party_type, "name": "张三", "phone": "13812345678"})
    assert masked["name"] == "张某某"
    assert masked["phone"] == "138****5678"


def test_mask_party_skips_empty_values() -> None:
    masked, applied = mask_party(
        {"party_type": "natural_person", "name": "张三", "phone": None, "address": ""}
    )
    assert masked == {"party_type": "natural_person", "name": "张某某", "phone": None, "address": ""}
    assert applied == [AppliedRule("name", "name", 1)]


def test_policy_where_the_party_name_is_published() -> None:
    # E4: some regions publish the punished natural person's name in full.
    policy = MaskingPolicy(natural_person_fields={"id_number", "phone", "address", "bank_account", "health"})
    masked, applied = policy.mask_party(
        {"party_type": "natural_person", "name": "张三", "phone": "13812345678"}
    )
    assert masked["name"] == "张三"
    assert [rule.rule for rule in applied] == ["phone"]


def test_policy_settings_reach_every_masker() -> None:
    policy = MaskingPolicy(name_pattern="{surname}某", id_keep=KeepEnds(0, 0), mask_char="#")
    masked, _ = policy.mask_party({"name": "欧阳娜娜", "id_number": "110101199003071234"})
    assert masked == {"name": "欧阳某", "id_number": "#" * 18}
    text, _ = policy.redact_text("证人赵六，身份证110101199003071234", third_party_names=["赵六"])
    assert text == "证人赵某，身份证" + "#" * 18


def test_policy_rejects_unknown_fields_and_bad_patterns() -> None:
    with pytest.raises(ValueError, match="id_numbr"):
        MaskingPolicy(natural_person_fields={"id_numbr"})
    with pytest.raises(ValueError, match="name_pattern"):
        MaskingPolicy(name_pattern="{given}某")


# ---------------------------------------------------------------- free text


def test_redact_text_golden() -> None:
    text = (
        "当事人王小明（身份证号110101199003071234，电话13812345678）向证人李四（电话 138-0013-8000，"
        "固话010-87654321）的账户6222 0212 3456 7890 123转账，另一账户6222021234567890123。"
        "罚款10000元，决定书文号京海市监罚〔2025〕123号，2025年3月1日作出。"
    )
    redacted, applied = redact_text(text, third_party_names=["李四"])
    assert redacted == (
        "当事人王小明（身份证号110101********1234，电话138****5678）向证人李某某（电话 138-****-8000，"
        "固话010-******21）的账户**** **** **** ***0 123转账，另一账户***************0123。"
        "罚款10000元，决定书文号京海市监罚〔2025〕123号，2025年3月1日作出。"
    )
    assert applied == [
        AppliedRule("id_number", "text", 1),
        AppliedRule("bank_account", "text", 2),
        AppliedRule("mobile_phone", "text", 2),
        AppliedRule("landline", "text", 1),
        AppliedRule("third_party_name", "text", 1),
    ]


def test_redact_text_id_number_forms() -> None:
    redacted, applied = redact_text(
        "甲 110101 19900307 1234；乙 11010119900307123x；"
        "丙 １１０１０１１９９００３０７１２３４；丁 110101900307123"
    )
    assert redacted == (
        "甲 110101 ******** 1234；乙 110101********123x；丙 １１０１０１********１２３４；丁 110101******123"
    )
    assert applied == [AppliedRule("id_number", "text", 4)]


def test_rule_order_classifies_ids_before_accounts() -> None:
    text = "身份证110101199003071234"
    assert redact_text(text)[1] == [AppliedRule("id_number", "text", 1)]
    # Reversed, the ID would be logged (and masked) as a bank account.
    assert redact_text(text, rules=tuple(reversed(DEFAULT_RULES)))[1] == [
        AppliedRule("bank_account", "text", 1)
    ]


def test_eighteen_digits_without_a_birth_date_are_masked_as_an_account() -> None:
    redacted, applied = redact_text("账号622202123456789012")
    assert redacted == "账号**************9012"
    assert applied == [AppliedRule("bank_account", "text", 1)]


def test_glued_numbers_are_masked_too() -> None:
    redacted, _ = redact_text("110101199003071234138123456780")
    assert redacted == "**************************6780"


def test_third_party_names_longest_first_and_field_label() -> None:
    redacted, applied = redact_text(
        "王小明与王小、欧阳娜娜在场。",
        third_party_names=["王小", "王小明", "欧阳娜娜", " "],
        field="case_facts",
    )
    assert redacted == "王某某与王某某、欧阳某某在场。"
    assert applied == [AppliedRule("third_party_name", "case_facts", 3)]


def test_redact_text_leaves_clean_text_alone() -> None:
    text = "罚款10000元，2025年3月1日作出，京海市监罚〔2025〕123号。"
    assert redact_text(text) == (text, [])


def test_applied_rules_never_carry_raw_values() -> None:
    _, applied = redact_text("身份证110101199003071234，证人李四", third_party_names=["李四"])
    logged = repr(applied)
    assert "110101199003071234" not in logged
    assert "李四" not in logged


# ---------------------------------------------------------------- property


def _id_number() -> st.SearchStrategy[str]:
    return st.builds(
        lambda region, born, sequence, check: f"{region}{born:%Y%m%d}{sequence:03d}{check}",
        st.integers(100000, 999999),
        st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
        st.integers(0, 999),
        st.sampled_from("0123456789X"),
    )


def _mobile() -> st.SearchStrategy[str]:
    return st.builds(
        lambda second, rest: f"1{second}{rest:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1)
    )


# Filler includes digits, separators and X on purpose: gluing must not let a number through.
_FILLER = st.text(alphabet="当事人身份证号码电话联系：，。（）() -abcXx0123456789", max_size=12)


@given(st.lists(st.tuples(_FILLER, st.one_of(_id_number(), _mobile())), min_size=1, max_size=5), _FILLER)
def test_redacted_text_never_contains_a_raw_id_or_mobile(parts: list[tuple[str, str]], tail: str) -> None:
    text = "".join(filler + secret for filler, secret in parts) + tail
    redacted, applied = redact_text(text)
    for _, secret in parts:
        assert secret not in redacted
    assert applied

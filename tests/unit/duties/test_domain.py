"""Rules of officers, legal bases and duty items, with no server."""

from __future__ import annotations

import datetime as dt

import pytest

from gongshi.v1 import common_pb2
from gongshi.v1 import duties_pb2 as pb
from services.duties import domain
from services.runtime import limits
from services.runtime.errors import InvalidArgument


def officer(**changes) -> pb.Officer:
    o = pb.Officer(
        certificate_number="31010120230001",
        name="陈建国",
        enforcement_category="市场监管",
        enforcement_area="黄浦区",
        valid_from="2023-01-01",
        valid_to="2028-12-31",
        status=pb.CERTIFICATE_STATUS_ACTIVE,
    )
    for key, value in changes.items():
        setattr(o, key, value)
    return o


def basis(**changes) -> pb.LegalBasis:
    b = pb.LegalBasis(
        code="SPAQF-124",
        instrument_title="中华人民共和国食品安全法",
        level=pb.INSTRUMENT_LEVEL_LAW,
        issuing_body="全国人民代表大会常务委员会",
        article="第一百二十四条",
        role=pb.BASIS_ROLE_PENALTY,
        effective_date="2015-10-01",
    )
    for key, value in changes.items():
        setattr(b, key, value)
    return b


def duty_item(**changes) -> pb.DutyItem:
    d = pb.DutyItem(
        code="330217001",
        name="对生产经营超过保质期食品的处罚",
        power_type=pb.POWER_TYPE_PENALTY,
        legal_basis_codes=["SPAQF-124"],
        responsibilities=[pb.Responsibility(stage=pb.DUTY_STAGE_FILING, description="对违法线索依法立案")],
    )
    for key, value in changes.items():
        if isinstance(value, list):
            del getattr(d, key)[:]
            getattr(d, key).extend(value)
        else:
            setattr(d, key, value)
    return d


def fields(exc: InvalidArgument) -> set[str]:
    return {v.field for v in exc.violations}


def test_valid_records_pass():
    domain.validate_officer(officer())
    domain.validate_legal_basis(basis())
    domain.validate_duty_item(duty_item())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"certificate_number": ""}, "officer.certificate_number"),
        ({"certificate_number": "证号 1"}, "officer.certificate_number"),
        ({"name": ""}, "officer.name"),
        ({"enforcement_category": ""}, "officer.enforcement_category"),
        ({"valid_from": "2023-02-30"}, "officer.valid_from"),
        ({"valid_to": "2022-12-31"}, "officer.valid_to"),
        ({"status": 42}, "officer.status"),
        ({"name": "名" * (limits.SHORT_TEXT + 1)}, "officer.name"),
    ],
)
def test_officer_fields_are_named(changes, field):
    with pytest.raises(InvalidArgument) as caught:
        domain.validate_officer(officer(**changes))
    assert field in fields(caught.value)


def test_officer_private_data_is_bounded():
    domain.validate_officer_private(pb.OfficerPrivate(id_number="11010119900307123X", photo=b"\x89PNG"))
    with pytest.raises(InvalidArgument) as caught:
        domain.validate_officer_private(
            pb.OfficerPrivate(id_number="123", photo=b"x" * (limits.MAX_OFFICER_PHOTO_BYTES + 1))
        )
    assert fields(caught.value) == {"private.id_number", "private.photo"}


@pytest.mark.parametrize(
    ("changes", "today", "expected"),
    [
        ({}, "2026-06-01", pb.CERTIFICATE_VALIDITY_VALID),
        ({}, "2028-12-31", pb.CERTIFICATE_VALIDITY_VALID),
        ({}, "2029-01-01", pb.CERTIFICATE_VALIDITY_EXPIRED),
        ({}, "2022-12-31", pb.CERTIFICATE_VALIDITY_NOT_YET_VALID),
        ({"status": pb.CERTIFICATE_STATUS_SUSPENDED}, "2026-06-01", pb.CERTIFICATE_VALIDITY_SUSPENDED),
        ({"status": pb.CERTIFICATE_STATUS_REVOKED}, "2026-06-01", pb.CERTIFICATE_VALIDITY_REVOKED),
    ],
)
def test_certificate_validity_today(changes, today, expected):
    got = domain.certificate_validity(
        officer(**changes), common_pb2.PUBLICATION_STATUS_PUBLISHED, dt.date.fromisoformat(today)
    )
    assert got == expected


def test_certificate_of_a_retired_or_unpublished_officer_is_not_valid():
    today = dt.date(2026, 6, 1)
    assert domain.certificate_validity(officer(), common_pb2.PUBLICATION_STATUS_RETIRED, today) == (
        pb.CERTIFICATE_VALIDITY_RETIRED
    )
    assert domain.certificate_validity(officer(), common_pb2.PUBLICATION_STATUS_DRAFT, today) == (
        pb.CERTIFICATE_VALIDITY_UNKNOWN
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": ""}, "legal_basis.code"),
        ({"code": "a/b"}, "legal_basis.code"),
        ({"instrument_title": ""}, "legal_basis.instrument_title"),
        ({"level": 0}, "legal_basis.level"),
        ({"level": 9}, "legal_basis.level"),
        ({"role": 0}, "legal_basis.role"),
        ({"article": ""}, "legal_basis.article"),
        ({"repealed_date": "2010-01-01"}, "legal_basis.repealed_date"),
        ({"amended_date": "not a date"}, "legal_basis.amended_date"),
        ({"source_url": "ftp://x"}, "legal_basis.source_url"),
    ],
)
def test_legal_basis_fields_are_named(changes, field):
    with pytest.raises(InvalidArgument) as caught:
        domain.validate_legal_basis(basis(**changes))
    assert field in fields(caught.value)


def test_a_setting_provision_may_cite_the_whole_instrument():
    domain.validate_legal_basis(basis(role=pb.BASIS_ROLE_SETTING, article=""))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": ""}, "duty_item.code"),
        ({"name": ""}, "duty_item.name"),
        ({"power_type": 0}, "duty_item.power_type"),
        ({"power_type": 11}, "duty_item.power_type"),
        ({"legal_basis_codes": []}, "duty_item.legal_basis_codes"),
        ({"sub_items": [pb.DutySubItem(code="1", name="")]}, "duty_item.sub_items[0].name"),
        (
            {"responsibilities": [pb.Responsibility(stage=99, description="x")]},
            "duty_item.responsibilities[0].stage",
        ),
        ({"effective_from": "2026-01-01", "effective_to": "2025-01-01"}, "duty_item.effective_to"),
        ({"accountability_cases": ["x" * (limits.MEDIUM_TEXT + 1)]}, "duty_item.accountability_cases[0]"),
        ({"legal_basis_codes": ["B"] * (limits.MAX_LIST_ITEMS + 1)}, "duty_item.legal_basis_codes"),
    ],
)
def test_duty_item_fields_are_named(changes, field):
    with pytest.raises(InvalidArgument) as caught:
        domain.validate_duty_item(duty_item(**changes))
    assert field in fields(caught.value)


def test_all_ten_power_types_are_accepted():
    kinds = [v for v in pb.PowerType.values() if v]
    assert len(kinds) == 10
    for kind in kinds:
        domain.validate_duty_item(duty_item(power_type=kind))

"""Realistic decisions for tests."""

from __future__ import annotations

import itertools

from gongshi.v1 import results_pb2 as pb

_numbers = itertools.count(1)


def penalty(document_number: str | None = None, **overrides) -> pb.Decision:
    decision = pb.Decision(
        document_number=f"沪黄市监罚〔2026〕{next(_numbers)}号"
        if document_number is None
        else document_number,
        category=pb.DECISION_CATEGORY_PENALTY,
        procedure_type=pb.PROCEDURE_TYPE_ORDINARY,
        party=pb.Party(
            type=pb.PARTY_TYPE_LEGAL_PERSON,
            name="上海某某餐饮管理有限公司",
            uscc="91310101MA1FPX1234",
            legal_representative="王某",
        ),
        facts="经查，当事人于2026年10月经营超过保质期的食品，货值金额二千元。",
        violation_type="经营超过保质期的食品",
        legal_basis=["《中华人民共和国食品安全法》第一百二十四条第一款第五项"],
        conclusion="没收超过保质期的食品，并处罚款人民币五万元。",
        penalty_kinds=[pb.PENALTY_KIND_FINE, pb.PENALTY_KIND_CONFISCATION],
        fine_amount_fen=5_000_000,
        decision_date="2026-11-02",
        severity=pb.SEVERITY_TIER_GENERAL,
    )
    for key, value in overrides.items():
        if isinstance(value, list):
            getattr(decision, key)[:] = value
        elif isinstance(value, pb.Party):
            decision.party.CopyFrom(value)
        else:
            setattr(decision, key, value)
    return decision


def new_uscc() -> str:
    """A fresh, valid unified social credit code (GB 32100 check character included)."""
    import uuid

    from gateway.follows.interest import uscc_check_char

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91310101" + "".join(alphabet[b % len(alphabet)] for b in uuid.uuid4().bytes[:9])
    return body + uscc_check_char(body)

"""Rules of a decision's public life, with no server: what is withheld, which
tier and period applies, when repair becomes possible, what a tombstone
keeps, and the D4 fields."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.policy import DEFAULT_PUBLICATION_POLICY as POLICY
from services.results.policy import PublicationPolicy
from services.runtime.errors import InvalidArgument
from tests.support.decisions import penalty

D = dt.date
TODAY = D(2026, 11, 25)


def violations(decision: pb.Decision) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as caught:
        domain.validate_decision(decision, TODAY)
    return {v.field: v.description for v in caught.value.violations}


def licence(**overrides) -> pb.Decision:
    fields = dict(
        category=pb.DECISION_CATEGORY_LICENSING,
        penalty_kinds=[],
        violation_type="",
        licence_item="食品经营许可",
        approval_category="普通",
        conclusion="准予行政许可",
    )
    return penalty(**{**fields, **overrides})


def test_d4_penalty_fields_are_required():
    found = violations(
        penalty(violation_type="", party=pb.Party(type=pb.PARTY_TYPE_LEGAL_PERSON, name="某公司"))
    )
    assert "decision.violation_type" in found  # 處罰名稱 / 違法行為類型
    assert "decision.party.uscc" in found  # 行政相對人代碼


def test_d4_licence_fields_are_required():
    domain.validate_decision(licence(), TODAY)
    found = violations(licence(licence_item="", approval_category=""))
    assert {"decision.licence_item", "decision.approval_category"} <= set(found)


def test_a_natural_person_needs_no_credit_code_but_a_malformed_one_is_refused():
    person = pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="张三")
    domain.validate_decision(penalty(party=person), TODAY)
    odd = pb.Party(type=pb.PARTY_TYPE_LEGAL_PERSON, name="某公司", uscc="91-3101")
    assert "decision.party.uscc" in violations(penalty(party=odd))


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ({"party": pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="赵某", is_minor=True)}, "minor"),
        ({"involves_secrets": True}, "secrets"),
        ({"endangers_security": True}, "security"),
        ({"penalty_kinds": [pb.PENALTY_KIND_WARNING]}, "warning_only"),
        ({"procedure_type": pb.PROCEDURE_TYPE_SIMPLIFIED}, "simplified_procedure"),
        ({}, ""),
        ({"penalty_kinds": [pb.PENALTY_KIND_WARNING, pb.PENALTY_KIND_FINE]}, ""),
    ],
)
def test_non_publication_reasons(change, kind):
    found, reason = domain.non_publication(penalty(**change), POLICY)
    assert found == kind and bool(reason) == bool(kind)


def test_a_region_may_publish_warnings_and_simplified_procedure_but_never_minors():
    open_policy = PublicationPolicy(publish_warning_only=True, publish_simplified_procedure=True)
    assert domain.non_publication(penalty(penalty_kinds=[pb.PENALTY_KIND_WARNING]), open_policy) == ("", "")
    assert domain.non_publication(penalty(procedure_type=pb.PROCEDURE_TYPE_SIMPLIFIED), open_policy) == (
        "",
        "",
    )
    minor = penalty(party=pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="赵某", is_minor=True))
    assert domain.non_publication(minor, open_policy)[0] == "minor"
    # Warnings only apply to penalties: a licence is never "warning only".
    assert domain.non_publication(licence(), POLICY) == ("", "")


@pytest.mark.parametrize(
    ("change", "tier"),
    [
        ({"severity": pb.SEVERITY_TIER_MINOR}, pb.SEVERITY_TIER_MINOR),  # as the agency states it
        ({"severity": 0, "penalty_kinds": [pb.PENALTY_KIND_LICENCE_REVOCATION]}, pb.SEVERITY_TIER_SERIOUS),
        ({"severity": 0, "penalty_kinds": [pb.PENALTY_KIND_WARNING]}, pb.SEVERITY_TIER_MINOR),
        ({"severity": 0, "procedure_type": pb.PROCEDURE_TYPE_SIMPLIFIED}, pb.SEVERITY_TIER_MINOR),
        ({"severity": 0}, pb.SEVERITY_TIER_GENERAL),
    ],
)
def test_severity_tier(change, tier):
    assert domain.severity_of(penalty(**change), POLICY) == tier


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2026, 11, 25), 3, D(2027, 2, 25)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # no 30 February: the month's last day
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 12, 1), 36, D(2029, 12, 1)),
        (D(2026, 5, 5), 0, D(2026, 5, 5)),
    ],
)
def test_add_months(start, months, end):
    assert domain.add_months(start, months) == end


def test_publicity_spans_by_tier_party_and_category():
    start = D(2026, 12, 4)
    span = domain.publicity_span
    assert span(penalty(), pb.SEVERITY_TIER_GENERAL, start, POLICY) == (D(2027, 12, 4), D(2027, 3, 4))
    assert span(penalty(), pb.SEVERITY_TIER_SERIOUS, start, POLICY) == (D(2029, 12, 4), D(2027, 12, 4))
    assert span(penalty(), pb.SEVERITY_TIER_MINOR, start, POLICY) == (D(2027, 3, 4), start)
    # G1 (local): 24 months for natural persons.
    yuhua = dataclasses.replace(POLICY, natural_person_max_months=24)
    person = penalty(party=pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="张三"))
    assert span(person, pb.SEVERITY_TIER_SERIOUS, start, yuhua)[0] == D(2028, 12, 4)
    assert span(penalty(), pb.SEVERITY_TIER_SERIOUS, start, yuhua)[0] == D(2029, 12, 4)
    # Licences stay public unless the region gives other categories a period; they cannot be "repaired".
    assert span(licence(), 0, start, POLICY) == (None, None)
    five_years = dataclasses.replace(POLICY, other_categories_months=60)
    assert span(licence(), 0, start, five_years) == (D(2031, 12, 4), None)


def published(**fields) -> pb.Result:
    return pb.Result(status=pb.RESULT_STATUS_PUBLISHED, **fields)


def test_repair_is_refused_until_the_minimum_period_has_passed_naming_the_date():
    record = published(repair_eligible_from="2027-03-04")
    refusal = domain.repair_refusal(record, D(2027, 3, 3))
    assert "2027-03-04" in refusal
    assert domain.repair_refusal(record, D(2027, 3, 4)) == ""
    assert "penalty" in domain.repair_refusal(published(), D(2027, 3, 4))
    withdrawn = pb.Result(status=pb.RESULT_STATUS_WITHDRAWN, repair_eligible_from="2027-03-04")
    assert domain.repair_refusal(withdrawn, D(2028, 1, 1))


def test_tombstones_keep_the_reason_but_never_the_content():
    full = published(
        id="r1",
        agency_code="SCJG-310101",
        document_number="沪黄市监罚〔2026〕1号",
        party=pb.PublicParty(name="张某某"),
        facts="经查……",
        conclusion="罚款",
        record_hash="ab" * 32,
    )
    full.status = pb.RESULT_STATUS_WITHDRAWN
    full.withdrawal_reason, full.withdrawal_statement = "revoked", "已依法撤销"
    tomb = domain.tombstone(full)
    assert (tomb.document_number, tomb.withdrawal_statement, tomb.record_hash) == (
        "沪黄市监罚〔2026〕1号",
        "已依法撤销",
        "ab" * 32,
    )
    assert not tomb.party.name and not tomb.facts and not tomb.conclusion
    full.status = pb.RESULT_STATUS_REPAIRED
    ended = domain.tombstone(full)
    # Credit repair means the record is no longer shown: not even which decision it was.
    assert not ended.document_number and not ended.party.name and ended.status == pb.RESULT_STATUS_REPAIRED


def test_withdrawal_codes_are_the_public_short_names():
    assert domain.withdrawal_code(pb.WITHDRAWAL_REASON_CONFIRMED_ILLEGAL) == "confirmed_illegal"
    assert domain.withdrawal_code(pb.WITHDRAWAL_REASON_REMAKE_REQUIRED) == "remake_required"


def test_publish_record_stamps_dates_and_the_on_time_flag():
    result = pb.Result(publish_deadline="2026-11-11")
    domain.publish_record(
        result,
        published_at="2026-11-11T15:00:00.000Z",
        published_on=D(2026, 11, 11),
        tier=pb.SEVERITY_TIER_GENERAL,
        span=(D(2027, 11, 11), D(2027, 2, 11)),
    )
    assert result.published_on_time and result.status == pb.RESULT_STATUS_PUBLISHED
    assert (result.publicity_start, result.publicity_end, result.repair_eligible_from) == (
        "2026-11-11",
        "2027-11-11",
        "2027-02-11",
    )
    late = pb.Result(publish_deadline="2026-11-11")
    domain.publish_record(late, published_at="", published_on=D(2026, 11, 12), tier=0, span=(None, None))
    assert not late.published_on_time and late.publicity_end == ""


def test_the_period_runs_from_the_decision_unless_a_region_counts_from_publication():
    decided = penalty(decision_date="2026-05-20")
    assert domain.publicity_start(decided, D(2026, 11, 25), POLICY) == D(2026, 5, 20)
    by_publication = dataclasses.replace(POLICY, period_from="publication")
    assert domain.publicity_start(decided, D(2026, 11, 25), by_publication) == D(2026, 11, 25)
    with pytest.raises(ValueError, match="period_from"):
        PublicationPolicy(period_from="whenever")

"""Results domain rules, with no server at all."""

from __future__ import annotations

import datetime as dt

import pytest

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.policy import PublicationPolicy
from services.runtime.calendar import default_calendar
from services.runtime.errors import InvalidArgument
from services.runtime.masking import DEFAULT_POLICY
from tests.support.decisions import penalty

TODAY = dt.date(2026, 11, 25)


def violations(decision: pb.Decision) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as caught:
        domain.validate_decision(decision, TODAY)
    return {v.field: v.description for v in caught.value.violations}


def test_a_complete_penalty_is_valid():
    domain.validate_decision(penalty(), TODAY)


def test_every_missing_required_field_is_named_at_once():
    found = violations(pb.Decision())
    for field in (
        "decision.document_number",
        "decision.category",
        "decision.party",
        "decision.conclusion",
        "decision.legal_basis",
        "decision.decision_date",
    ):
        assert field in found


def test_penalty_and_licence_need_their_own_fields():
    assert "decision.penalty_kinds" in violations(penalty(penalty_kinds=[]))
    assert "decision.facts" in violations(penalty(facts=""))
    licence = penalty(category=pb.DECISION_CATEGORY_LICENSING, penalty_kinds=[], licence_item="")
    assert "decision.licence_item" in violations(licence)


def test_future_and_malformed_dates_are_refused():
    assert "future" in violations(penalty(decision_date="2026-11-26"))["decision.decision_date"]
    assert "YYYY-MM-DD" in violations(penalty(decision_date="26/11/2026"))["decision.decision_date"]


def test_negative_amounts_are_refused():
    assert "decision.fine_amount_fen" in violations(penalty(fine_amount_fen=-1))


@pytest.mark.parametrize(
    ("category", "decided", "deadline"),
    [
        # 7 working days for penalties and licences (DOMAIN.md D2) across National Day 2025.
        (pb.DECISION_CATEGORY_PENALTY, "2025-09-30", "2025-10-16"),
        (pb.DECISION_CATEGORY_LICENSING, "2025-09-30", "2025-10-16"),
        # 20 working days for other decisions (D1).
        (pb.DECISION_CATEGORY_INSPECTION, "2025-09-30", "2025-11-04"),
    ],
)
def test_publication_deadline(category, decided, deadline):
    due = domain.publication_deadline(category, dt.date.fromisoformat(decided), default_calendar())
    assert due.day.isoformat() == deadline and due.note == "" and not due.provisional


def test_deadline_outside_the_calendar_says_so():
    due = domain.publication_deadline(pb.DECISION_CATEGORY_PENALTY, dt.date(2027, 1, 4), default_calendar())
    assert due.day == dt.date(2027, 1, 13)  # Monday + 7 weekdays
    assert due.provisional and due.unknown_years == (2027,)
    assert "2027" in due.note and "Monday–Friday" in due.note


@pytest.mark.parametrize(
    ("party", "reason"),
    [
        (pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="赵某", is_minor=True), "minor"),
    ],
)
def test_never_published(party, reason):
    decision = penalty(party=party)
    assert reason in domain.must_not_be_published(decision)
    assert domain.must_not_be_published(penalty(involves_secrets=True))
    assert domain.must_not_be_published(penalty(endangers_security=True))
    assert domain.must_not_be_published(penalty()) == ""


def test_masking_on_write_hides_personal_data_of_natural_persons():
    decision = penalty(
        party=pb.Party(
            type=pb.PARTY_TYPE_NATURAL_PERSON,
            name="王小明",
            id_number="11010119900307123X",
            phone="13912345678",
            address="上海市黄浦区南京东路100号",
            bank_account="6222020200112233445",
        ),
        facts="王小明在南京东路经营，证人刘芳指认；联系电话13912345678。",
        third_party_names=["刘芳"],
    )
    masked, applied = domain.mask_decision(decision, DEFAULT_POLICY)
    assert masked.party.name == "王某某"
    assert masked.party.id_number == "110101********123X"
    assert "13912345678" not in masked.facts and "王小明" not in masked.facts and "刘芳" not in masked.facts
    assert {rule.rule for rule in applied} >= {"name", "id_number", "phone", "address", "bank_account"}
    assert decision.party.name == "王小明"  # the input is not changed


def test_organisations_keep_their_name_but_not_their_bank_account():
    decision = penalty(
        party=pb.Party(
            type=pb.PARTY_TYPE_LEGAL_PERSON, name="上海某某有限公司", bank_account="6222020200112233445"
        )
    )
    masked, _ = domain.mask_decision(decision, DEFAULT_POLICY)
    assert masked.party.name == "上海某某有限公司"
    assert masked.party.bank_account.endswith("3445") and "62220202" not in masked.party.bank_account


# ---------------------------------------------------------------- a period already over (issue 16.3)

PUSHED_ON = dt.date(2026, 12, 1)


def test_a_decision_whose_period_is_over_is_stored_not_published():
    # Decided 400 days ago with a fine: a general penalty is public for 12 months at most (G4).
    decision = penalty(decision_date=(PUSHED_ON - dt.timedelta(days=400)).isoformat())
    kind, reason = domain.non_publication(decision, PublicationPolicy(), PUSHED_ON)
    assert kind == "period_over"
    assert "2026-10-27" in reason and "公示期已满" in reason  # 2025-10-27 + 12 months


def test_the_last_day_of_the_period_still_counts_as_over_and_the_day_before_does_not():
    policy = PublicationPolicy()
    decided = dt.date(2025, 12, 2)  # + 12 months = 2026-12-02, the day the record stops being public
    decision = penalty(decision_date=decided.isoformat())
    assert domain.period_over(decision, policy, dt.date(2026, 12, 1)) is None
    assert domain.period_over(decision, policy, dt.date(2026, 12, 2)) == dt.date(2026, 12, 2)
    # Serious penalties run 36 months: the same decision is still within them.
    serious = penalty(decision_date=decided.isoformat(), severity=pb.SEVERITY_TIER_SERIOUS)
    assert domain.period_over(serious, policy, dt.date(2026, 12, 2)) is None


def test_periods_counted_from_publication_and_categories_without_one_are_never_over():
    old = penalty(decision_date="2020-01-06")
    assert domain.non_publication(old, PublicationPolicy(period_from="publication"), PUSHED_ON) == ("", "")
    licence = penalty(decision_date="2020-01-06", category=pb.DECISION_CATEGORY_LICENSING)
    assert domain.period_over(licence, PublicationPolicy(), PUSHED_ON) is None
    # Without today (as a correction checks) the rule does not apply.
    assert domain.non_publication(old, PublicationPolicy()) == ("", "")

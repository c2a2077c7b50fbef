"""Names of persons other than the party inside a decision's free text (DOMAIN.md E2, issue #16)."""

from __future__ import annotations

from dataclasses import replace

from gongshi.v1 import results_pb2 as pb
from services.feedback.domain import mask_public_text
from services.results import domain
from services.results.names import DETECTED, LISTED, names_by_field
from services.results.policy import policies_from_dict
from services.runtime.masking import DEFAULT_POLICY
from tests.support.decisions import penalty

ISSUE_FACTS = "当事人于2026年3月5日雇用李小红从事无证经营"


def test_a_name_nobody_listed_is_masked_in_the_facts():
    masked, applied = domain.mask_decision(penalty(facts=ISSUE_FACTS), DEFAULT_POLICY)
    assert masked.facts == "当事人于2026年3月5日雇用李某某从事无证经营"
    assert any(r.rule == "third_party_name" and r.field == "facts" for r in applied)


def test_traditional_text_and_conclusion_are_masked_too():
    decision = penalty(facts="當事人僱用陳志明從事無照經營。", conclusion="證人黃美玲之證言予以採信。")
    masked, _ = domain.mask_decision(decision, DEFAULT_POLICY)
    assert masked.facts == "當事人僱用陳某某從事無照經營。"
    assert masked.conclusion == "證人黃某某之證言予以採信。"


def test_officers_the_organisation_and_its_legal_representative_stay():
    facts = (
        "执法人员张国庆、李明（执法证号31010001、31010002）检查时，法定代表人王大力在场，员工赵晓燕在收银。"
    )
    decision = penalty(facts=facts)
    decision.party.legal_representative = "王大力"
    masked, _ = domain.mask_decision(decision, DEFAULT_POLICY)
    assert masked.facts == facts.replace("赵晓燕", "赵某某")
    assert masked.party.name == "上海某某餐饮管理有限公司"


def test_a_natural_person_party_is_masked_as_listed_not_as_found():
    party = pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="孙立")
    decision = penalty(party=party, facts="当事人孙立雇用李小红从事无证经营。")
    found = names_by_field(decision, domain.mask_decision(decision, DEFAULT_POLICY)[0].party, ("facts",))
    assert found["facts"] == [("李小红", DETECTED), ("孙立", LISTED)]  # longest first


def test_a_region_that_publishes_natural_persons_keeps_the_party_name_in_the_text():
    keep_names = replace(DEFAULT_POLICY, natural_person_fields=frozenset({"id_number", "phone", "address"}))
    party = pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="孙立")
    masked, _ = domain.mask_decision(
        penalty(party=party, facts="当事人孙立雇用李小红从事无证经营。"), keep_names
    )
    assert masked.facts == "当事人孙立雇用李某某从事无证经营。"


def test_finding_can_be_switched_off_per_region_and_listing_still_works():
    policies = policies_from_dict({"regions": {"310199": {"masking": {"find_names": False}}}})
    off = policies.for_region("310199").masking
    assert off.find_names is False and policies.for_region("310101").masking.find_names is True
    masked, _ = domain.mask_decision(penalty(facts=ISSUE_FACTS), off)
    assert masked.facts == ISSUE_FACTS
    masked, _ = domain.mask_decision(penalty(facts=ISSUE_FACTS, third_party_names=["李小红"]), off)
    assert "李小红" not in masked.facts


def test_feedback_text_is_masked_with_the_names_it_contains():
    text = "我是消费者，店员王建军态度恶劣，联系我 13812345678"
    masked = mask_public_text(text)
    assert "王建军" not in masked and "王某某" in masked
    assert "13812345678" not in masked


def test_remask_corrects_only_records_whose_public_text_changes():
    import datetime as dt

    from services.results.remask import public_text_changes
    from services.runtime.calendar import Deadline

    def stored(decision, policy):
        masked, _ = domain.mask_decision(decision, policy)
        view = domain.public_view(
            "r",
            "A",
            "310101",
            masked,
            status=pb.RESULT_STATUS_PUBLISHED,
            deadline=Deadline(dt.date(2026, 11, 11)),
        )
        return view

    off = replace(DEFAULT_POLICY, find_names=False)
    named, plain = penalty(facts=ISSUE_FACTS), penalty()
    assert public_text_changes(stored(named, off), domain.mask_decision(named, DEFAULT_POLICY)[0])
    assert not public_text_changes(stored(plain, off), domain.mask_decision(plain, DEFAULT_POLICY)[0])
    assert not public_text_changes(
        stored(named, DEFAULT_POLICY), domain.mask_decision(named, DEFAULT_POLICY)[0]
    )

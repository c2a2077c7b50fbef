"""Versions in a record's public history are masked on read with today's rules
(DOMAIN.md E2, issue #16): services/results/history_masking.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.chain import doc_digest
from services.results.history_masking import mask_version
from services.runtime.calendar import Deadline
from services.runtime.masking import DEFAULT_POLICY
from tests.support.decisions import penalty

ISSUE_FACTS = "当事人于2026年3月5日雇用李小红从事无证经营"
OLD_RULES = replace(DEFAULT_POLICY, find_names=False)
# A region that published natural persons' names (E4) and since stopped.
NAMES_PUBLISHED = replace(DEFAULT_POLICY, natural_person_fields=frozenset({"id_number", "phone", "address"}))


def stored(decision: pb.Decision, policy=OLD_RULES, version: int = 1) -> pb.Result:
    """A version as it was stored when published under `policy`."""
    masked, _ = domain.mask_decision(decision, policy)
    deadline = Deadline(dt.date(2026, 11, 11))
    return domain.public_view(
        "r", "A", "310101", masked, status=pb.RESULT_STATUS_PUBLISHED, deadline=deadline, version=version
    )


def test_a_version_stored_before_the_rule_is_masked_and_only_its_text_changes():
    decision = penalty(facts=ISSUE_FACTS)
    version = stored(decision)
    assert "李小红" in version.facts
    shown = pb.Result()
    shown.CopyFrom(version)

    assert mask_version(shown, decision, DEFAULT_POLICY) is True
    assert shown.facts == "当事人于2026年3月5日雇用李某某从事无证经营"
    shown.facts = version.facts
    assert shown == version  # nothing but the text


def test_a_version_stored_under_todays_rules_is_left_exactly_as_hashed():
    decision = penalty(facts=ISSUE_FACTS + "，证人赵晓燕称其不知情。", conclusion="执法人员张国庆现场检查。")
    version = stored(decision, DEFAULT_POLICY)
    digest = doc_digest(version)
    assert mask_version(version, decision, DEFAULT_POLICY) is False
    assert doc_digest(version) == digest  # masking again is a no-op: the chain link still matches


def test_an_earlier_text_is_masked_with_the_names_the_agency_lists_today():
    # Version 1 named a witness; the correction that followed rewrote the facts
    # and listed her. Finding is off in this region: the listing alone hides her.
    before = penalty(facts="证人赵晓燕证实当事人无证经营。")
    now = penalty(facts="当事人无证经营。", third_party_names=["赵晓燕"])
    version = stored(before)
    assert mask_version(version, now, OLD_RULES) is True
    assert version.facts == "证人赵某某证实当事人无证经营。"


def test_a_party_whose_region_stopped_publishing_names_is_masked_in_old_versions():
    party = pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="孙立")
    decision = penalty(party=party, facts="当事人孙立无证经营。")
    version = stored(decision, NAMES_PUBLISHED)
    assert (version.party.name, version.facts) == ("孙立", "当事人孙立无证经营。")
    assert mask_version(version, decision, DEFAULT_POLICY) is True
    assert (version.party.name, version.facts) == ("孙某某", "当事人孙某某无证经营。")
    # Where the region still publishes it, the party's name stays.
    kept = stored(decision, NAMES_PUBLISHED)
    assert mask_version(kept, decision, NAMES_PUBLISHED) is False and kept.party.name == "孙立"


def test_the_reply_shown_with_a_version_is_masked_too():
    decision = penalty()
    version = stored(decision)
    version.reply_text = "我司已辞退员工张晓红，整改完毕。"
    assert mask_version(version, decision, DEFAULT_POLICY) is True
    assert version.reply_text == "我司已辞退员工张某某，整改完毕。"

"""Publication policy as data: per-region lookup and loading from JSON."""

from __future__ import annotations

import json

import pytest

from gongshi.v1 import results_pb2 as pb
from services.results.policy import (
    DEFAULT_PUBLICATION_POLICY,
    GENERAL,
    MINOR,
    SERIOUS,
    PublicationPolicy,
    PublicityPeriod,
    RegionPolicies,
    load_policies,
    policies_from_dict,
    policy_from_dict,
)


def test_defaults_follow_the_ndrc_tiers_and_withhold_warnings_and_simplified_procedure():
    policy = DEFAULT_PUBLICATION_POLICY
    assert not policy.publish_warning_only and not policy.publish_simplified_procedure
    assert policy.periods[MINOR] == PublicityPeriod(0, 3)
    assert policy.periods[GENERAL] == PublicityPeriod(3, 12)
    assert policy.periods[SERIOUS] == PublicityPeriod(12, 36)
    assert policy.withdrawal_working_days == 3 and policy.repair_decision_working_days == 3


def test_a_region_is_found_by_county_then_prefecture_then_province():
    county, city, province = (
        PublicationPolicy(withdrawal_working_days=1),
        PublicationPolicy(withdrawal_working_days=2),
        PublicationPolicy(withdrawal_working_days=5),
    )
    policies = RegionPolicies(regions={"310101": county, "440300": city, "130000": province})
    assert policies.for_region("310101") is county
    assert policies.for_region("440305") is city
    assert policies.for_region("130102") is province
    assert policies.for_region("110105") is policies.default
    assert policies.for_region("") is policies.default


def test_policies_load_from_json_with_named_kinds_and_tiers(tmp_path):
    path = tmp_path / "policy.json"
    path.write_text(
        json.dumps(
            {
                "default": {"publish_warning_only": True},
                "regions": {
                    "130000": {
                        "natural_person_max_months": 24,
                        "periods": {"general": {"min_months": 6, "max_months": 60}},
                        "warning_kinds": ["warning", "criticism"],
                        "masking": {"name_pattern": "{surname}某"},
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    policies = load_policies(str(path))
    assert policies.default.publish_warning_only
    hebei = policies.for_region("130102")
    assert hebei.publish_warning_only  # a region starts from the default
    assert hebei.periods[GENERAL] == PublicityPeriod(6, 60) and hebei.periods[SERIOUS] == PublicityPeriod(
        12, 36
    )
    assert hebei.warning_kinds == {pb.PENALTY_KIND_WARNING, pb.PENALTY_KIND_CRITICISM}
    assert hebei.masking.name_pattern == "{surname}某"
    assert load_policies("") == RegionPolicies()


@pytest.mark.parametrize(
    "data",
    [
        {"publish_warnings": True},  # misspelt: would silently keep the default rule
        {"periods": {"general": {"min_months": 12, "max_months": 3}}},
        {"warning_kinds": ["scolding"]},
        {"withdrawal_working_days": -1},
    ],
)
def test_bad_policy_data_is_refused(data):
    with pytest.raises((ValueError, KeyError)):
        policy_from_dict(data)


def test_every_tier_needs_a_period():
    with pytest.raises(ValueError, match="tiers"):
        PublicationPolicy(periods={GENERAL: PublicityPeriod(3, 12)})
    assert policies_from_dict({}).default == DEFAULT_PUBLICATION_POLICY

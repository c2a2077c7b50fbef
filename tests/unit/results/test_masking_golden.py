"""Golden masking of every listed field (DOMAIN.md E2: name, ID number,
phone, address, bank account, health data, third-party names in the facts;
organisations' bank accounts), from the pushed decision to the public view.

The expected values live in golden/masking.json and were checked by hand.
After an intended change, regenerate with GONGSHI_UPDATE_GOLDEN=1 and review
the diff like code."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from google.protobuf import json_format

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.runtime.calendar import Deadline
from services.runtime.masking import DEFAULT_POLICY
from tests.support.decisions import penalty

GOLDEN = Path(__file__).parent / "golden" / "masking.json"
DATA = json.loads(GOLDEN.read_text(encoding="utf-8"))


def masked_view(spec: dict) -> dict:
    given = json_format.ParseDict(spec, pb.Decision())
    decision = penalty(party=given.party, third_party_names=list(given.third_party_names))
    for name in ("facts", "conclusion", "violation_type", "health_info"):
        if getattr(given, name):
            setattr(decision, name, getattr(given, name))
    masked, applied = domain.mask_decision(decision, DEFAULT_POLICY)
    view = domain.public_view(
        "r",
        "A",
        "310101",
        masked,
        status=pb.RESULT_STATUS_PUBLISHED,
        deadline=Deadline(dt.date(2026, 11, 11)),
    )
    return {
        "party": json_format.MessageToDict(view.party),
        "facts": view.facts,
        "conclusion": view.conclusion,
        "violationType": view.violation_type,
        # Health data never reaches the public view at all; the stored mask is checked here.
        "healthInfo": masked.health_info,
        "rules": sorted([r.rule, r.field] for r in {(a.rule, a.field): a for a in applied}.values()),
    }


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["name"] for c in DATA["cases"]])
def test_masking_matches_the_golden_file(case):
    actual = masked_view(case["input"])
    if os.environ.get("GONGSHI_UPDATE_GOLDEN") == "1":
        case["expected"] = actual
        GOLDEN.write_text(json.dumps(DATA, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.skip("golden file rewritten")
    assert actual == case["expected"]


def test_no_raw_value_of_the_inputs_survives():
    for case in DATA["cases"]:
        party = case["input"]["party"]
        shown = json.dumps(masked_view(case["input"]), ensure_ascii=False)
        for key in ("idNumber", "bankAccount"):
            if party.get(key):
                assert party[key] not in shown, (case["name"], key)
        if party["type"] != "PARTY_TYPE_LEGAL_PERSON":
            for key in ("name", "phone", "address"):
                if party.get(key):
                    assert party[key] not in shown, (case["name"], key)
        for name in case["input"].get("thirdPartyNames", []):
            assert name not in shown

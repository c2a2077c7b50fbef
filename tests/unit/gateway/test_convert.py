from __future__ import annotations

from gateway.convert import enum_values, to_json
from gongshi.v1 import results_pb2 as pb


def test_enums_become_short_lowercase_names():
    body = to_json(pb.Result(category=pb.DECISION_CATEGORY_PENALTY, penalty_kinds=[pb.PENALTY_KIND_FINE]))
    assert body["category"] == "penalty" and body["penalty_kinds"] == ["fine"]
    assert body["party"]["type"] == "unspecified"
    assert enum_values(pb.DecisionCategory.DESCRIPTOR)["licensing"] == pb.DECISION_CATEGORY_LICENSING
    assert "unspecified" not in enum_values(pb.DecisionCategory.DESCRIPTOR)

from __future__ import annotations

import pytest

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb
from services.results.search import snippet
from services.results.search_index import most_severe_penalty, search_text
from services.results.search_request import decode_offset, encode_offset, parse_request
from services.results.statistics import power_status
from services.runtime import limits
from services.runtime.errors import InvalidArgument

K = pb


@pytest.mark.parametrize(
    ("kinds", "counted_as"),
    [
        ([K.PENALTY_KIND_FINE, K.PENALTY_KIND_CONFISCATION], K.PENALTY_KIND_CONFISCATION),  # DOMAIN.md (d) 8
        ([K.PENALTY_KIND_WARNING, K.PENALTY_KIND_FINE], K.PENALTY_KIND_FINE),
        ([K.PENALTY_KIND_CRITICISM], K.PENALTY_KIND_WARNING),  # 警告、通報批評 share a column
        ([K.PENALTY_KIND_DETENTION, K.PENALTY_KIND_LICENCE_REVOCATION], K.PENALTY_KIND_DETENTION),
        ([K.PENALTY_KIND_OTHER, K.PENALTY_KIND_FINE], K.PENALTY_KIND_FINE),
        ([K.PENALTY_KIND_OTHER], K.PENALTY_KIND_OTHER),
        ([], K.PENALTY_KIND_UNSPECIFIED),
    ],
)
def test_a_decision_counts_once_in_its_most_severe_kind(kinds, counted_as):
    assert most_severe_penalty(kinds) == counted_as


def test_search_text_holds_only_public_fields():
    result = pb.Result(
        document_number="沪罚〔2026〕1号",
        party=pb.PublicParty(name="张*", id_number="3101**********1234"),
        facts="经查",
        legal_basis=["《食品安全法》"],
    )
    text = search_text(result)
    assert "沪罚〔2026〕1号" in text and "张*" in text and "《食品安全法》" in text
    assert "3101" not in text  # identity numbers are not searchable, even masked


def test_requests_are_validated_field_by_field():
    with pytest.raises(InvalidArgument) as caught:
        parse_request(
            qpb.SearchResultsRequest(
                query="罚" * (limits.MAX_SEARCH_QUERY_CHARS + 1), decided_from="2026-13-01", category=99
            )
        )
    fields = {v.field for v in caught.value.violations}
    assert fields == {"query", "decided_from", "category"}
    assert parse_request(qpb.SearchResultsRequest(query="餐饮 罚款")).sort == qpb.SEARCH_SORT_NEWEST
    assert parse_request(qpb.SearchResultsRequest()).sort == qpb.SEARCH_SORT_NEWEST


def test_page_tokens_round_trip_and_are_bounded():
    assert decode_offset(encode_offset(40)) == 40
    for token in ("garbage", encode_offset(limits.MAX_SEARCH_OFFSET + 1)):
        with pytest.raises(InvalidArgument):
            decode_offset(token)


def test_snippet_is_a_window_around_the_match():
    text = "甲" * 200 + "冷冻肉制品" + "乙" * 200
    piece = snippet(text, ["冷冻肉制品"])
    assert "冷冻肉制品" in piece and piece.startswith("…") and piece.endswith("…")
    assert len(piece) <= limits.SEARCH_SNIPPET_CHARS + 2


def test_power_status_follows_i2():
    assert (
        power_status(pb.DECISION_CATEGORY_LEVY, 0, {pb.DECISION_CATEGORY_LEVY}) == qpb.POWER_STATUS_HAS_POWER
    )
    assert power_status(pb.DECISION_CATEGORY_LEVY, 0, set()) == qpb.POWER_STATUS_NO_POWER
    assert power_status(pb.DECISION_CATEGORY_LEVY, 0, None) == qpb.POWER_STATUS_UNKNOWN
    assert power_status(pb.DECISION_CATEGORY_LEVY, 3, None) == qpb.POWER_STATUS_HAS_POWER

from __future__ import annotations

import pytest

from gateway.subscriptions.events import EventFilter, envelope, is_oversight_only, scrub
from gateway.subscriptions.webhooks import UnsafeTarget, check_target, sign, verify
from gongshi.v1 import results_pb2 as pb


@pytest.mark.parametrize(
    ("subject", "oversight_only"),
    [
        ("gongshi.results.published.A1", False),
        ("gongshi.feedback.received.A1", False),
        ("gongshi.duties.duty_item_published.A1", False),
        ("gongshi.results.overdue.A1", True),
        ("gongshi.feedback.overdue.A1", True),
        ("gongshi.deadletter.results.results-directory", True),
        ("internal.auth.credential_issued.A1", True),
    ],
)
def test_what_the_public_may_see(subject, oversight_only):
    assert is_oversight_only(subject) is oversight_only


def test_filters_map_to_subjects_and_match():
    assert EventFilter().subject() == "gongshi.*.*.*"
    flt = EventFilter(domain="results", agency="A1")
    assert flt.subject() == "gongshi.results.*.A1"
    assert flt.matches("gongshi.results.published.A1", oversight=False)
    assert not flt.matches("gongshi.results.published.B2", oversight=False)
    assert not flt.matches("gongshi.results.overdue.A1", oversight=False)
    assert flt.matches("gongshi.results.overdue.A1", oversight=True)
    by_region = EventFilter(region="310101")
    assert by_region.matches("gongshi.results.published.A1", oversight=False, region="310101")
    assert not by_region.matches("gongshi.results.published.A1", oversight=False, region="440305")


def test_envelope_decodes_the_body_and_scrubs_private_keys_for_the_public():
    result = pb.Result(id="r1", agency_code="A1", document_number="沪罚〔2026〕1号")
    headers = {"Nats-Msg-Id": "e1", "Gongshi-Event-Type": "gongshi.v1.ResultPublished"}
    data = pb.ResultPublished(result=result).SerializeToString()
    body = envelope("gongshi.results.published.A1", 7, headers, data, oversight=False)
    assert body["id"] == "e1" and body["sequence"] == 7 and body["type"] == "results.published"
    assert body["data"]["result"]["document_number"] == "沪罚〔2026〕1号"
    assert scrub({"a": 1, "contact": {"phone": "1"}, "list": [{"secret": "s", "b": 2}]}) == {
        "a": 1,
        "list": [{"b": 2}],
    }


def test_signatures_verify_only_with_the_same_secret_body_and_a_fresh_time():
    body = b'{"id":"e1"}'
    header = sign("whsec_a", body, 1_700_000_000)
    assert header.startswith("t=1700000000,v1=")
    assert verify("whsec_a", header, body, now=1_700_000_010)
    assert not verify("whsec_b", header, body, now=1_700_000_010)
    assert not verify("whsec_a", header, body + b" ", now=1_700_000_010)
    assert not verify("whsec_a", header, body, now=1_700_009_999)  # replayed much later
    assert not verify("whsec_a", "garbage", body)


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/x", "http://user:pw@127.0.0.1/x", "no-scheme", "http:///nohost"]
)
def test_malformed_targets_are_refused(url):
    with pytest.raises(UnsafeTarget):
        check_target(url, allow_private=True)


def test_private_and_loopback_targets_need_permission():
    with pytest.raises(UnsafeTarget):
        check_target("http://127.0.0.1:9/x", allow_private=False)
    with pytest.raises(UnsafeTarget):
        check_target("http://10.1.2.3/x", allow_private=False)
    assert check_target("http://127.0.0.1:9/x", allow_private=False, loopback_only=True) == "127.0.0.1"
    assert check_target("http://[::1]:9/x", allow_private=False, loopback_only=True) == "::1"
    with pytest.raises(UnsafeTarget):
        check_target("http://example.org/x", allow_private=True, loopback_only=True)

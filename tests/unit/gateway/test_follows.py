"""Follows without a server: what an interest matches (the same text search
finds), when digests leave, and what a mail carries."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
from types import SimpleNamespace

import pytest

from gateway.follows import mail
from gateway.follows.book import EMAIL_PATTERN
from gateway.follows.digest import next_digest
from gateway.follows.intake import notice_item
from gateway.follows.interest import BadInterest, Interest, public_text
from gongshi.v1 import results_pb2 as pb
from services.results.search_index import search_text
from services.runtime.clock import CHINA_TZ
from tests.support.decisions import new_uscc

USCC = "91310101MA1FPX1234"


def record(**fields) -> pb.Result:
    base = dict(
        id="r1",
        agency_code="SCJG-310101",
        region_code="310101",
        document_number="沪黄市监罚〔2026〕1号",
        category=pb.DECISION_CATEGORY_PENALTY,
        party=pb.PublicParty(type=pb.PARTY_TYPE_LEGAL_PERSON, name="上海某某餐饮管理有限公司", uscc=USCC),
        facts="经营超过保质期的食品",
        conclusion="罚款五万元",
        legal_basis=["《食品安全法》第一百二十四条"],
        violated_provisions=["第三十四条"],
    )
    return pb.Result(**(base | fields))


def test_the_text_a_follow_matches_is_the_text_search_finds():
    r = record(violation_type="超期", licence_item="食品经营")
    assert public_text(r) == search_text(r)


@pytest.mark.parametrize(
    ("interest", "matches"),
    [
        (Interest.parse("party", USCC.lower()), True),
        (Interest.parse("party", new_uscc()), False),
        (Interest.parse("agency", "SCJG-310101"), True),
        (Interest.parse("agency", "SCJG-310102"), False),
        (Interest.parse("region", "310101"), True),
        (Interest.parse("category", "penalty"), True),
        (Interest.parse("category", "licensing"), False),
        (Interest.parse("search", q="保质期 罚款"), True),  # every term, anywhere in the public text
        (Interest.parse("search", q="保质期 吊销"), False),
        (Interest.parse("search", q="第一百二十四条", region="310101"), True),
        (Interest.parse("search", q="食品", region="110101"), False),
    ],
)
def test_what_an_interest_matches(interest, matches):
    assert interest.matches(record()) is matches


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [
        ("party", "110101199001011234", "value"),  # a resident ID number is no USCC: persons are not followed
        ("party", "91310101MA1FPX123", "value"),
        ("party", "91310101MA1FPX1235", "value"),  # a wrong check character
        ("agency", "", "value"),
        ("region", "31010", "region"),
        ("category", "parking", "category"),
        ("nonsense", "x", "kind"),
    ],
)
def test_what_cannot_be_followed_is_named(kind, value, field):
    with pytest.raises(BadInterest) as refused:
        Interest.parse(kind, value)
    assert refused.value.field == field


def test_a_search_needs_a_query_or_a_filter_and_shares_the_feeds_terms():
    with pytest.raises(BadInterest):
        Interest.parse("search")
    interest = Interest.parse("search", q="食品  安全", agency="SCJG-310101")
    assert interest.q == "食品 安全"
    assert interest.feed_query() == "agency=SCJG-310101&q=%E9%A3%9F%E5%93%81+%E5%AE%89%E5%85%A8"
    assert interest.event_filter().subject() == "gongshi.results.*.SCJG-310101"


def test_digests_leave_at_eight_china_time_weekly_on_mondays():
    tuesday_noon = dt.datetime(2026, 12, 1, 12, 0, tzinfo=CHINA_TZ)
    assert next_digest("immediate", tuesday_noon) is None
    assert next_digest("daily", tuesday_noon) == dt.datetime(2026, 12, 2, 8, 0, tzinfo=CHINA_TZ)
    assert next_digest("daily", tuesday_noon.replace(hour=7)) == dt.datetime(
        2026, 12, 1, 8, 0, tzinfo=CHINA_TZ
    )
    assert next_digest("weekly", tuesday_noon) == dt.datetime(2026, 12, 7, 8, 0, tzinfo=CHINA_TZ)
    assert next_digest("daily", tuesday_noon).tzinfo == dt.UTC  # stored in UTC


def test_addresses_that_are_refused():
    assert EMAIL_PATTERN.match("reader@example.org")
    for bad in ("reader", "a@b", "a b@example.org", "<a@example.org>", "a@example.org\r\nBcc: x@y.z"):
        assert not EMAIL_PATTERN.match(bad), bad


def test_a_notice_mail_has_one_click_unsubscribe_both_bodies_and_the_statement():
    withdrawn = pb.ResultWithdrawn(
        result_id="r1",
        agency_code="SCJG-310101",
        document_number="沪黄市监罚〔2026〕1号",
        statement="决定已撤销",
    )
    result_id, item = notice_item("withdrawn", withdrawn)
    rows = [SimpleNamespace(change="withdrawn", item=json.dumps(item, ensure_ascii=False))]
    follow = SimpleNamespace(id="f1", token="tok-123456", lang="zh")
    message = mail.notices(
        mail.Links("https://gongshi.example"),
        "Gongshi <noreply@gongshi.example>",
        dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        follow=follow,
        manage_token="manage-123",
        label=USCC,
        rows=rows,
    )
    parsed = email.message_from_string(mail.serialize(message), policy=email.policy.default)
    assert (
        parsed["List-Unsubscribe"]
        == "<https://gongshi.example/api/v1/follows/f1/unsubscribe?token=tok-123456>"
    )
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Content-Language"] == "zh-CN" and "To" not in parsed  # the recipient is added when sent
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert result_id == "r1"
    for body in (text, html):
        assert "决定已撤销" in body and "https://gongshi.example/follow/manage?token=manage-123" in body
    assert '<html lang="zh-CN">' in html

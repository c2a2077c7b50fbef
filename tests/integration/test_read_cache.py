"""The gateway's read cache on the real platform (gateway/cached_reads.py):
a withdrawn record leaves every cached public page within a second of the
withdrawal's reply when it was made elsewhere (the results event drops the
cache), and on the very next request when it went through the gateway's own
agency API; a gateway that lost NATS answers nothing from memory until its
subscription is back."""

from __future__ import annotations

import time

import httpx

from gongshi.v1 import results_pb2 as pb
from tests.support.decisions import penalty
from tests.support.platform import auth
from tests.support.results import publish

# Every kind of page the cache holds, for one agency and one record: whether the record is shown.
PAGES = {
    "list": (lambda code, rid: f"/api/v1/results?agency={code}", lambda r, rid: rid in r.text),
    "search": (lambda code, rid: f"/api/v1/search?agency={code}", lambda r, rid: rid in r.text),
    "record": (lambda code, rid: f"/api/v1/results/{rid}", lambda r, rid: r.status_code == 200),
    "home": (lambda code, rid: "/", lambda r, rid: rid in r.text),
    "search_page": (lambda code, rid: f"/search?agency={code}", lambda r, rid: rid in r.text),
    "record_page": (lambda code, rid: f"/results/{rid}", lambda r, rid: r.status_code == 200),
}
WITHIN_SECONDS = 1.0


def shown(http: httpx.Client, page: str, code: str, rid: str) -> tuple[bool, httpx.Response]:
    path, check = PAGES[page]
    response = http.get(path(code, rid))
    return check(response, rid), response


def until(condition, timeout: float = 30.0, pause: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(pause)


def cached_and_shown(http: httpx.Client, code: str, rid: str) -> None:
    """Every page shows the record and is held (a read is a hit: the publication's
    own event, which drops the cache, may come after the first reads)."""
    for page in PAGES:

        def held(page=page) -> bool:
            is_shown, response = shown(http, page, code, rid)
            return is_shown and response.headers["x-cache"] == "hit"

        until(held)
        _, again = shown(http, page, code, rid)
        assert again.headers["etag"] and again.headers["cache-control"] == "public, no-cache"


def test_a_withdrawal_made_elsewhere_leaves_every_cached_page_within_a_second(agency, results, http):
    code, token = agency
    rid = publish(results, token, penalty()).result.id
    cached_and_shown(http, code, rid)

    results.WithdrawResult(
        pb.WithdrawResultRequest(
            id=rid, reason=pb.WITHDRAWAL_REASON_REVOKED, statement="复议决定撤销原处罚决定"
        ),
        metadata=auth(token),
        timeout=10,
    )
    replied = time.monotonic()
    gone_after: dict[str, float] = {}
    while len(gone_after) < len(PAGES) and time.monotonic() - replied < 5:
        for page in PAGES.keys() - gone_after.keys():
            if not shown(http, page, code, rid)[0]:
                gone_after[page] = time.monotonic() - replied
        time.sleep(0.01)
    print("withdrawn record gone from each page after (s):", gone_after)
    assert gone_after.keys() == PAGES.keys()
    assert max(gone_after.values()) <= WITHIN_SECONDS, gone_after
    assert shown(http, "record", code, rid)[1].status_code == 410


def test_a_withdrawal_through_the_gateway_shows_on_the_next_request(agency, results, http):
    code, token = agency
    rid = publish(results, token, penalty()).result.id
    cached_and_shown(http, code, rid)
    tags = {page: shown(http, page, code, rid)[1].headers["etag"] for page in PAGES}

    reply = http.post(
        f"/api/v1/agency/results/{rid}/withdrawal",
        json={"reason": "error", "statement": "信息有误"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert reply.status_code == 200, reply.text
    for page in PAGES:  # at once: no waiting for the event
        is_shown, response = shown(http, page, code, rid)
        assert not is_shown, page
        assert response.headers["etag"] != tags[page], page
    # A browser revalidating its old copy gets the new page, not a 304.
    path, _ = PAGES["list"]
    revalidated = http.get(path(code, rid), headers={"If-None-Match": tags["list"]})
    assert revalidated.status_code == 200 and rid not in revalidated.text
    current = revalidated.headers["etag"]
    assert http.get(path(code, rid), headers={"If-None-Match": current}).status_code == 304


def test_a_gateway_without_nats_serves_nothing_from_memory_until_it_is_back(platform, agency, results, http):
    running, _ = platform
    code, token = agency
    first = publish(results, token, penalty()).result.id
    cached_and_shown(http, code, first)
    path, _ = PAGES["list"]

    running.nats.kill()
    try:
        until(lambda: http.get(path(code, first)).headers["x-cache"] == "bypass", timeout=10)
        # A change the gateway cannot hear of: published while NATS is down.
        second = publish(results, token, penalty()).result.id
        for _ in range(3):
            response = http.get(path(code, first))
            assert response.headers["x-cache"] == "bypass" and second in response.text
    finally:
        running.nats.start()
        running.nats.wait_healthy(30)
    # Back and subscribed again: held and served from memory once more.
    held: list[httpx.Response] = []
    until(lambda: held.append(http.get(path(code, first))) or held[-1].headers["x-cache"] == "hit", 30)
    assert first in held[-1].text and second in held[-1].text

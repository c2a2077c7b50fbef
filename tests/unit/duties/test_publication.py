"""The versioned-publication rules (services/runtime/publication.py), with no server."""

from __future__ import annotations

import pytest

from services.runtime import publication as pub
from services.runtime.errors import FailedPrecondition, InvalidArgument, NotFound
from services.runtime.publication import VersionState


def state(version: int, status: int, digest: str = "a") -> VersionState:
    return VersionState(version, status, digest)


def test_first_put_creates_version_one_and_may_publish_it():
    plan = pub.plan_put(None, None, "a", publish=True, reason="")
    assert (plan.write, plan.version, plan.publish, plan.event) == ("new", 1, True, "published")
    draft = pub.plan_put(None, None, "a", publish=False, reason="")
    assert draft.event == "" and not draft.publish


def test_retried_push_changes_nothing():
    published = state(3, pub.PUBLISHED)
    plan = pub.plan_put(published, published, "a", publish=True, reason="")
    assert not plan.changed and plan.event == ""


def test_changing_published_content_is_a_new_version_that_supersedes_it():
    published = state(3, pub.PUBLISHED)
    plan = pub.plan_put(published, published, "b", publish=True, reason="法规修订")
    assert (plan.write, plan.version, plan.supersedes, plan.event) == ("new", 4, 3, "revised")


def test_a_change_to_something_public_needs_a_reason():
    published = state(1, pub.PUBLISHED)
    with pytest.raises(InvalidArgument) as caught:
        pub.plan_put(published, published, "b", publish=True, reason="  ")
    assert caught.value.violations[0].field == "reason"


def test_reason_length_is_limited():
    with pytest.raises(InvalidArgument):
        pub.plan_put(None, None, "a", publish=True, reason="理" * (pub.limits.MEDIUM_TEXT + 1))


def test_an_unpublished_draft_is_overwritten_in_place():
    draft = state(1, pub.DRAFT)
    plan = pub.plan_put(draft, None, "b", publish=False, reason="")
    assert (plan.write, plan.version) == ("overwrite", 1)
    # A draft sitting on top of a published version keeps its own number.
    over = pub.plan_put(state(2, pub.DRAFT), state(1, pub.PUBLISHED), "c", publish=True, reason="更正")
    assert (over.write, over.version, over.supersedes, over.event) == ("overwrite", 2, 1, "revised")


def test_putting_a_retired_record_again_is_a_new_publication():
    retired = state(2, pub.RETIRED)
    plan = pub.plan_put(retired, None, "a", publish=True, reason="恢复公示")
    assert (plan.write, plan.version, plan.event) == ("new", 3, "published")
    assert not pub.plan_put(retired, None, "a", publish=False, reason="").changed


def test_publish_takes_the_newest_draft():
    plan = pub.plan_publish(state(2, pub.DRAFT), state(1, pub.PUBLISHED), "x")
    assert (plan.version, plan.event, plan.supersedes) == (2, "revised", 1)
    assert not pub.plan_publish(state(1, pub.PUBLISHED), state(1, pub.PUBLISHED), "x").changed
    with pytest.raises(NotFound):
        pub.plan_publish(None, None, "x")
    with pytest.raises(FailedPrecondition):
        pub.plan_publish(state(1, pub.RETIRED), None, "x")


def test_retire_needs_a_reason_and_something_published():
    published = state(2, pub.PUBLISHED)
    assert pub.plan_retire(published, published, "x", "职能调整").event == "retired"
    with pytest.raises(InvalidArgument):
        pub.plan_retire(published, published, "x", "")
    with pytest.raises(FailedPrecondition):
        pub.plan_retire(state(1, pub.DRAFT), None, "x", "职能调整")
    assert not pub.plan_retire(state(2, pub.RETIRED), None, "x", "职能调整").changed


def test_the_hash_chain_covers_the_previous_version():
    first = pub.chain_hash("", pub.content_hash(b"v1"))
    second = pub.chain_hash(first, pub.content_hash(b"v2"))
    assert second != pub.chain_hash("", pub.content_hash(b"v2"))
    assert len(second) == 64

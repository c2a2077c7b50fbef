"""How flags and reviews change what the public sees of a text or a reply."""

from __future__ import annotations

from gongshi.v1 import feedback_pb2 as pb
from services.runtime.errors import FailedPrecondition


def moderation_after_flag(state: int, flags: int, threshold: int) -> int:
    """Decidim's rule: after N flags the content is hidden until the agency reviews it."""
    if state == pb.MODERATION_STATE_VISIBLE and flags >= threshold:
        return pb.MODERATION_STATE_HIDDEN_PENDING_REVIEW
    return state


def moderation_after_review(state: int, restore: bool) -> int:
    if state == pb.MODERATION_STATE_VISIBLE:
        raise FailedPrecondition("nothing to review: the content is visible")
    return pb.MODERATION_STATE_VISIBLE if restore else pb.MODERATION_STATE_REMOVED

"""Today's masking rules on the versions a record's public history shows
(DOMAIN.md E2). A rule that got better reaches the current version through
`gongshi results remask`, a correction; the versions before it stay stored as
they were, because the agency's hash chain covers them. So every public read
of a version masks it again, with the function that masks new decisions, and
says which versions that changed: their text is no longer what their chain
link hashed (ResultHistory.masked_on_read), while VerifyChain checks what was
stored."""

from __future__ import annotations

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.runtime.masking import MaskingPolicy


def mask_version(version: pb.Result, decision: pb.Decision, policy: MaskingPolicy) -> bool:
    """Mask a stored version's public text in place with today's rules; True
    when that hid anything. `decision` is the record's unmasked decision as it
    stands: it says what kind of party it is and whom the agency lists. The
    text masked is the version's own, as published then."""
    template = pb.Decision()
    template.CopyFrom(decision)
    template.party.name = version.party.name
    for field in domain.FREE_TEXT_FIELDS:
        setattr(template, field, getattr(version, field))
    masked, _ = domain.mask_decision(template, policy)
    changed = masked.party.name != version.party.name
    version.party.name = masked.party.name
    for field in domain.FREE_TEXT_FIELDS:
        changed |= getattr(masked, field) != getattr(version, field)
        setattr(version, field, getattr(masked, field))
    if version.reply_text:
        reply = domain.mask_added_text(decision, policy, version.reply_text, "reply_text")
        changed |= reply != version.reply_text
        version.reply_text = reply
    return changed

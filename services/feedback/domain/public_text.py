"""Masking what the public sees of a citizen's text: names, e-mail addresses
and identifiers of the people a case is about."""

from __future__ import annotations

from collections.abc import Iterable

from services.feedback.domain.submissions import EMAIL
from services.runtime.masking import DEFAULT_POLICY, MaskingPolicy
from services.runtime.person_names import person_names


def mask_public_text(
    text: str, known_names: Iterable[str] = (), policy: MaskingPolicy = DEFAULT_POLICY
) -> str:
    """Feedback and replies are public only after masking (E2, E6): numbers as
    in results, e-mail addresses, the names we know (the submitter's) and the
    names of persons found in the text."""
    # The names we know, and any other person's the text names (person_names).
    names = [n for n in known_names if len(n.strip()) >= 2]
    names += person_names(text) if policy.find_names else []
    masked, _ = policy.redact_text(text, third_party_names=names)
    return EMAIL.sub(lambda m: "***@" + m.group(0).split("@", 1)[1], masked)

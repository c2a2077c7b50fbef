"""Objections: only a party to a published decision may file one; a claimed
name and identifier are matched against the party as published."""

from __future__ import annotations

from dataclasses import dataclass

from services.feedback.domain.submissions import normalise_text
from services.runtime.masking import mask_id_number, mask_name


@dataclass(frozen=True)
class PublishedParty:
    """The party of a published result as the public record shows it (masked for natural persons)."""

    type: int  # gongshi.v1.PartyType
    name: str
    uscc: str
    id_number: str


NATURAL_PERSON = 4  # gongshi.v1.PARTY_TYPE_NATURAL_PERSON


def party_matches(published: PublishedParty, claimed_name: str, claimed_identifier: str) -> bool:
    """Whether the objector names the party as published. For organisations the
    name or credit code must match; for natural persons (published masked) the
    masked claim must equal the published mask. The agency, which holds the
    unmasked record, verifies the person before deciding."""
    name, ident = claimed_name.strip(), claimed_identifier.strip().upper()
    if published.type != NATURAL_PERSON:
        return (bool(name) and normalise_text(name) == normalise_text(published.name)) or (
            bool(ident) and bool(published.uscc) and ident == published.uscc.upper()
        )
    if mask_name(name) != published.name:
        return False
    if published.id_number:
        return bool(ident) and mask_id_number(ident) == published.id_number
    return True

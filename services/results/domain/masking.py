"""Masking a decision before anything of it is public: the party by the
region's policy, names and numbers in the free text, and text added later
(replies, statements)."""

from __future__ import annotations

from functools import cache

from gongshi.v1 import results_pb2 as pb
from services.results.names import names_by_field
from services.runtime.masking import AppliedRule, MaskingPolicy, MaskRule, redact_text
from services.runtime.person_names import person_names

_MASKING_PARTY_TYPES = {
    pb.PARTY_TYPE_LEGAL_PERSON: "legal_person",
    pb.PARTY_TYPE_UNINCORPORATED: "unincorporated_organisation",
    pb.PARTY_TYPE_INDIVIDUAL_BUSINESS: "individual_business",
    pb.PARTY_TYPE_NATURAL_PERSON: "natural_person",
}


def mask_decision(decision: pb.Decision, policy: MaskingPolicy) -> tuple[pb.Decision, list[AppliedRule]]:
    """Masking on write (DOMAIN.md E2): the returned copy is all any public
    path ever sees; the applied rules are kept for the record."""
    masked = pb.Decision()
    masked.CopyFrom(decision)
    party = decision.party
    fields, applied = policy.mask_party(
        {
            "party_type": _MASKING_PARTY_TYPES.get(party.type, "natural_person"),
            "name": party.name,
            "id_number": party.id_number,
            "phone": party.phone,
            "address": party.address,
            "bank_account": party.bank_account,
            "health": decision.health_info,
        }
    )
    masked.party.name, masked.party.id_number = fields["name"], fields["id_number"]
    masked.party.phone, masked.party.address = fields["phone"], fields["address"]
    masked.party.bank_account, masked.health_info = fields["bank_account"], fields["health"]
    if masked.party.id_number and masked.party.id_number == party.id_number:
        # An ID number is always a natural person's, whoever the party is
        # (e.g. a business owner's on an organisation's record).
        masked.party.id_number = policy.mask_field("id_number", party.id_number)
        applied.append(AppliedRule("id_number", "id_number", 1))
    # The party's own name, the listed third parties and the persons found in
    # the text are masked inside free text too (services/results/names.py).
    found = names_by_field(decision, masked.party, FREE_TEXT_FIELDS, policy.find_names)
    for field in FREE_TEXT_FIELDS:
        text, rules = redact(policy, getattr(decision, field), [name for name, _ in found[field]], field)
        setattr(masked, field, text)
        applied.extend(rules)
    return masked, applied


def mask_added_text(decision: pb.Decision, policy: MaskingPolicy, text: str, field: str) -> str:
    """Masking on write of text added to a record (a reply): the names the
    record already masks stay masked, and whoever else the text names (E2)."""
    names = list(decision.third_party_names)
    if decision.party.type != pb.PARTY_TYPE_LEGAL_PERSON and decision.party.name:
        names.append(decision.party.name)
    if policy.find_names:
        names.extend(person_names(text))
    return redact(policy, text, names, field)[0]


# Public free text an agency writes: any ID number, account, phone or known
# name in it is masked. Codes and numbers with their own format (document and
# licence numbers, credit codes) are not scanned: their digit runs are no
# personal data and would be mangled.
FREE_TEXT_FIELDS = ("facts", "conclusion", "violation_type")


@cache
def _text_rules(policy: MaskingPolicy) -> tuple[MaskRule, ...]:
    # MaskingPolicy.redact_text rebuilds its rules on every call; a bulk ingest
    # masks two texts per decision, so build them once per policy.
    return policy.text_rules()


def redact(
    policy: MaskingPolicy, text: str, names: list[str] | tuple[str, ...] = (), field: str = "text"
) -> tuple[str, list[AppliedRule]]:
    """`policy.redact_text` with the policy's rules built once."""
    if not text:
        return text, []
    return redact_text(
        text,
        third_party_names=names,
        rules=_text_rules(policy),
        name_pattern=policy.name_pattern,
        field=field,
    )

"""Which persons' names a decision's free text hides (DOMAIN.md E2): those the
agency lists, the party's own where its region masks it (E4), and those
services/runtime/person_names.py finds. The party's name where it is published
(an organisation, or a region that names natural persons) and its legal
representative, who is published beside it, are kept."""

from __future__ import annotations

from gongshi.v1 import results_pb2 as pb
from services.runtime.person_names import person_names

LISTED = "listed"
DETECTED = "detected"


def names_by_field(
    decision: pb.Decision, masked_party: pb.Party, fields: tuple[str, ...], find: bool = True
) -> dict[str, list[tuple[str, str]]]:
    """For each free-text field, the names to mask with where they come from
    (LISTED or DETECTED, the latter only when `find`), longest first so a
    longer name is masked whole."""
    party = decision.party
    listed = [n.strip() for n in decision.third_party_names if n.strip()]
    keep = []
    if party.name and masked_party.name != party.name:
        listed.append(party.name.strip())
    else:
        keep.append(party.name)
    if party.legal_representative and masked_party.legal_representative == party.legal_representative:
        keep.append(party.legal_representative)
    result = {}
    for field in fields:
        text = getattr(decision, field)
        names = {name: LISTED for name in listed if name in text}
        for name in person_names(text, keep) if text and find else ():
            names.setdefault(name, DETECTED)
        result[field] = sorted(names.items(), key=lambda item: len(item[0]), reverse=True)
    return result

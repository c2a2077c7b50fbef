"""The agency console's dry run of masking (PreviewMasking, DOMAIN.md E2): what a
push of a decision would hide, before anything is stored or published."""

from __future__ import annotations

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.handlers import ResultsHandlers
from services.results.names import names_by_field
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.clock import CHINA_TZ
from services.runtime.masking import mask_name


async def preview_masking(
    handlers: ResultsHandlers, principal: Principal | None, agency_code: str, decision: pb.Decision
) -> pb.MaskingPreview:
    """Masks `decision` as PublishDecision would, with the same checks, and says
    which names were hidden where and why. Nothing is stored: the raw names go
    back only to the agency that sent them."""
    agency_code = agency_code or (principal.agency_code if principal else "")
    require_agency_writer(principal, agency_code)
    agency = await handlers.agencies.get(agency_code)
    domain.validate_decision(decision, handlers.runtime.clock.now().astimezone(CHINA_TZ).date())
    policy = handlers.policy(agency.region_code).masking
    masked, applied = domain.mask_decision(decision, policy)
    preview = pb.MaskingPreview(masked=masked)
    for field, names in names_by_field(
        decision, masked.party, domain.FREE_TEXT_FIELDS, policy.find_names
    ).items():
        preview.names.extend(
            pb.MaskedName(
                field=field, name=name, masked_as=mask_name(name, policy.name_pattern), source=source
            )
            for name, source in names
        )
    preview.rules.extend(pb.MaskingRuleApplied(rule=r.rule, field=r.field, count=r.count) for r in applied)
    return preview

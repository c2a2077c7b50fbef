"""Rules for agencies (執法主體)."""

from __future__ import annotations

import re

from gongshi.v1 import duties_pb2 as pb
from services.runtime import limits
from services.runtime.errors import FieldViolation, InvalidArgument

_CODE = re.compile(limits.AGENCY_CODE_PATTERN)
_REGION = re.compile(r"^\d{6}$")
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def validate_agency(agency: pb.Agency) -> None:
    v: list[FieldViolation] = []
    if not _CODE.match(agency.code):
        v.append(FieldViolation("agency.code", "must be 2–40 letters, digits, '-' or '_'"))
    if not agency.name.strip():
        v.append(FieldViolation("agency.name", "is required"))
    elif len(agency.name) > limits.SHORT_TEXT:
        v.append(FieldViolation("agency.name", f"is longer than {limits.SHORT_TEXT} characters"))
    if not _REGION.match(agency.region_code):
        v.append(FieldViolation("agency.region_code", "must be a 6-digit administrative division code"))
    if agency.unified_social_credit_code and not _USCC.match(agency.unified_social_credit_code):
        v.append(FieldViolation("agency.unified_social_credit_code", "must be 18 characters (GB 32100)"))
    if agency.kind not in pb.AgencyKind.values() or agency.kind == 0:
        v.append(
            FieldViolation(
                "agency.kind", "is required" if agency.kind == 0 else f"unknown value {agency.kind}"
            )
        )
    if agency.kind == pb.AGENCY_KIND_ENTRUSTED_ORGANISATION and not agency.entrusting_agency_code:
        v.append(FieldViolation("agency.entrusting_agency_code", "is required for an entrusted organisation"))
    for name in (
        "legal_basis_of_authority",
        "address",
        "office_hours",
        "phone",
        "supervision_phone",
        "email",
        "website",
        "parent_agency_code",
        "entrusting_agency_code",
    ):
        if len(getattr(agency, name)) > limits.MEDIUM_TEXT:
            v.append(FieldViolation(f"agency.{name}", f"is longer than {limits.MEDIUM_TEXT} characters"))
    if v:
        raise InvalidArgument(v)

"""Rules of the duties service: agencies (執法主體), enforcement officers
(執法人員), legal bases (執法依據) and duty items (權責清單事項). No gRPC, NATS
or SQL here."""

from __future__ import annotations

import datetime as dt
import re

from gongshi.v1 import common_pb2
from gongshi.v1 import duties_pb2 as pb
from services.runtime import limits
from services.runtime.errors import FieldViolation, InvalidArgument
from services.runtime.validation import Checker, parse_date

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


# ---- ex-ante records: officers, legal bases, duty items ----------------------

_ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")


def validate_officer(officer: pb.Officer) -> None:
    c = Checker("officer")
    c.pattern(
        "certificate_number",
        officer.certificate_number,
        limits.CERTIFICATE_NUMBER_PATTERN,
        "must be 4–40 letters, digits or '-' (執法證號)",
    )
    c.text("name", officer.name, required=True)
    c.text("enforcement_category", officer.enforcement_category, required=True)
    c.text("enforcement_area", officer.enforcement_area)
    start = c.date("valid_from", officer.valid_from, required=True)
    end = c.date("valid_to", officer.valid_to, required=True)
    c.not_before("valid_to", end, start, "valid_from")
    c.enum("status", pb.CertificateStatus, officer.status, required=False)
    c.raise_if_any()


def validate_officer_private(private: pb.OfficerPrivate) -> None:
    c = Checker("private")
    if private.id_number and not _ID_NUMBER.match(private.id_number):
        c.fail("id_number", "must be an 18-character resident ID number")
    if len(private.photo) > limits.MAX_OFFICER_PHOTO_BYTES:
        c.fail("photo", f"is {len(private.photo)} bytes; the limit is {limits.MAX_OFFICER_PHOTO_BYTES}")
    c.raise_if_any()


def certificate_validity(officer: pb.Officer, publication_status: int, today: dt.date) -> int:
    """DOMAIN.md C1: may this officer enforce today? Judged from public fields only."""
    if publication_status == common_pb2.PUBLICATION_STATUS_RETIRED:
        return pb.CERTIFICATE_VALIDITY_RETIRED
    if publication_status != common_pb2.PUBLICATION_STATUS_PUBLISHED:
        return pb.CERTIFICATE_VALIDITY_UNKNOWN
    if officer.status == pb.CERTIFICATE_STATUS_REVOKED:
        return pb.CERTIFICATE_VALIDITY_REVOKED
    if officer.status == pb.CERTIFICATE_STATUS_SUSPENDED:
        return pb.CERTIFICATE_VALIDITY_SUSPENDED
    start, end = parse_date(officer.valid_from), parse_date(officer.valid_to)
    if start is not None and today < start:
        return pb.CERTIFICATE_VALIDITY_NOT_YET_VALID
    if end is None or today > end:
        return pb.CERTIFICATE_VALIDITY_EXPIRED
    return pb.CERTIFICATE_VALIDITY_VALID


# Roles that name a provision down to its article (a penalty needs the article).
_ARTICLE_REQUIRED = {pb.BASIS_ROLE_VIOLATED, pb.BASIS_ROLE_PENALTY}


def validate_legal_basis(basis: pb.LegalBasis) -> None:
    c = Checker("legal_basis")
    c.pattern("code", basis.code, limits.RECORD_CODE_PATTERN, "must be 1–64 letters, digits, '.', '-' or '_'")
    c.text("instrument_title", basis.instrument_title, required=True)
    c.enum("level", pb.InstrumentLevel, basis.level)
    c.enum("role", pb.BasisRole, basis.role)
    for name in ("issuing_body", "document_number", "article", "paragraph", "item"):
        c.text(name, getattr(basis, name))
    if basis.role in _ARTICLE_REQUIRED and not basis.article.strip():
        c.fail("article", "is required for a violated or penalty provision")
    c.text("text_excerpt", basis.text_excerpt, limits.LONG_TEXT)
    effective = c.date("effective_date", basis.effective_date)
    amended = c.date("amended_date", basis.amended_date)
    repealed = c.date("repealed_date", basis.repealed_date)
    c.not_before("amended_date", amended, effective, "effective_date")
    c.not_before("repealed_date", repealed, effective, "effective_date")
    c.url("source_url", basis.source_url)
    c.raise_if_any()


def validate_duty_item(item: pb.DutyItem) -> None:
    c = Checker("duty_item")
    c.pattern("code", item.code, limits.RECORD_CODE_PATTERN, "must be 1–64 letters, digits, '.', '-' or '_'")
    c.text("name", item.name, required=True)
    c.enum("power_type", pb.PowerType, item.power_type)
    c.count("sub_items", item.sub_items)
    for i, sub in enumerate(item.sub_items):
        c.text(f"sub_items[{i}].name", sub.name, required=True)
        c.text(f"sub_items[{i}].code", sub.code)
    c.text("implementing_agency", item.implementing_agency)
    c.text("handling_unit", item.handling_unit)
    c.texts("legal_basis_codes", item.legal_basis_codes, 64, required=True)
    c.count("responsibilities", item.responsibilities)
    for i, duty in enumerate(item.responsibilities):
        c.enum(f"responsibilities[{i}].stage", pb.DutyStage, duty.stage)
        c.text(f"responsibilities[{i}].description", duty.description, limits.MEDIUM_TEXT, required=True)
    c.texts("accountability_cases", item.accountability_cases, limits.MEDIUM_TEXT)
    start = c.date("effective_from", item.effective_from)
    end = c.date("effective_to", item.effective_to)
    c.not_before("effective_to", end, start, "effective_from")
    c.text("discretion_benchmark", item.discretion_benchmark, limits.MEDIUM_TEXT)
    c.raise_if_any()

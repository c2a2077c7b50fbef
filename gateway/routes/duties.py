"""Agencies, enforcement officers, legal bases and duty items: the public REST
API under /api/v1 (their portal pages are routes/duties_pages.py). Every record
has its version history (old versions stay readable); lists show current
published versions only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from gateway.convert import listing, to_json
from gateway.exante import (
    AgencyCode,
    AgencyFilter,
    RecordCode,
    RegionFilter,
    TextQuery,
    Version,
    enum_query,
    record_request,
    version_listing,
)
from gateway.queries import CursorParam, LimitParam, page_request
from gongshi.v1 import duties_pb2 as pb
from services.runtime import limits

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["duties"])

CertificateNumber = Annotated[str, Path(pattern=limits.CERTIFICATE_NUMBER_PATTERN, description="执法证号")]
PowerTypeName = enum_query(pb.PowerType.DESCRIPTOR)
LevelName = enum_query(pb.InstrumentLevel.DESCRIPTOR)
_AGENCY = limits.AGENCY_CODE_PATTERN


def _duties(request: Request):
    return request.app.state.clients.duties


# ---- REST: agencies ---------------------------------------------------------


@api.get("/agencies", summary="List agencies (執法主體)")
async def list_agencies(
    request: Request, region: RegionFilter = None, limit: LimitParam = 20, cursor: CursorParam = None
):
    reply = await _duties(request).ListAgencies(
        pb.ListAgenciesRequest(page=page_request(limit, cursor), region_code=region or "")
    )
    return listing(reply.agencies, reply.total, limit, reply.next_page_token)


@api.get("/agencies/{code}", summary="One agency (its current registration)")
async def get_agency(request: Request, code: AgencyCode) -> dict:
    return to_json(await _duties(request).GetAgency(pb.GetAgencyRequest(code=code)))


@api.get("/agencies/{code}/versions", summary="Every version of an agency's registration, oldest first")
async def agency_versions(
    request: Request, code: AgencyCode, limit: LimitParam = 20, cursor: CursorParam = None
):
    reply = await _duties(request).ListAgencyVersions(
        pb.ListAgencyVersionsRequest(code=code, page=page_request(limit, cursor))
    )
    return listing(reply.versions, reply.total, limit, reply.next_page_token)


# ---- REST: officers ---------------------------------------------------------


@api.get("/officers", summary="List enforcement officers (執法人員): public fields only")
async def list_officers(
    request: Request,
    agency: AgencyFilter = None,
    region: RegionFilter = None,
    q: TextQuery = None,
    limit: LimitParam = 20,
    cursor: CursorParam = None,
):
    reply = await _duties(request).ListOfficers(
        pb.ListOfficersRequest(
            page=page_request(limit, cursor),
            agency_code=agency or "",
            region_code=region or "",
            query=q or "",
        )
    )
    return listing(reply.officers, reply.total, limit, reply.next_page_token)


@api.get("/officers/check", summary="Check an enforcement certificate (執法證核驗)")
async def check_certificate(
    request: Request,
    certificate: Annotated[str, Query(min_length=1, max_length=64, description="执法证号")],
) -> dict:
    """Whether the certificate is valid today, with the officer's public fields;
    `unknown` when no agency publishes it."""
    reply = await _duties(request).CheckCertificate(
        pb.CheckCertificateRequest(certificate_number=certificate)
    )
    body = to_json(reply)
    if reply.validity == pb.CERTIFICATE_VALIDITY_UNKNOWN:
        body["officer"] = None
    return body


@api.get("/officers/{agency}/{certificate}", summary="One officer (current or a given version)")
async def get_officer(
    request: Request, agency: AgencyCode, certificate: CertificateNumber, version: Version = 0
):
    return to_json(await _duties(request).GetOfficer(record_request(agency, certificate, version)))


@api.get("/officers/{agency}/{certificate}/versions", summary="An officer's version history")
async def officer_versions(
    request: Request,
    agency: AgencyCode,
    certificate: CertificateNumber,
    limit: LimitParam = 20,
    cursor: CursorParam = None,
):
    return await version_listing(_duties(request).ListOfficerVersions, agency, certificate, limit, cursor)


# ---- REST: duty items -------------------------------------------------------


@api.get("/duty-items", summary="List duty items (權責清單事項)")
async def list_duty_items(
    request: Request,
    agency: AgencyFilter = None,
    region: RegionFilter = None,
    power_type: PowerTypeName = None,
    q: TextQuery = None,
    needs_review: Annotated[bool, Query(description="only items flagged after a repeal")] = False,
    limit: LimitParam = 20,
    cursor: CursorParam = None,
):
    reply = await _duties(request).ListDutyItems(
        pb.ListDutyItemsRequest(
            page=page_request(limit, cursor),
            agency_code=agency or "",
            region_code=region or "",
            power_type=pb.PowerType.Value(f"POWER_TYPE_{power_type.upper()}") if power_type else 0,
            query=q or "",
            needs_review=needs_review,
        )
    )
    return listing(reply.duty_items, reply.total, limit, reply.next_page_token)


@api.get("/duty-items/{agency}/{code}", summary="One duty item (current or a given version)")
async def get_duty_item(request: Request, agency: AgencyCode, code: RecordCode, version: Version = 0):
    return to_json(await _duties(request).GetDutyItem(record_request(agency, code, version)))


@api.get("/duty-items/{agency}/{code}/versions", summary="A duty item's version history")
async def duty_item_versions(
    request: Request, agency: AgencyCode, code: RecordCode, limit: LimitParam = 20, cursor: CursorParam = None
):
    return await version_listing(_duties(request).ListDutyItemVersions, agency, code, limit, cursor)


# ---- REST: legal bases ------------------------------------------------------


@api.get("/legal-bases", summary="List legal bases (執法依據)")
async def list_legal_bases(
    request: Request,
    agency: AgencyFilter = None,
    region: RegionFilter = None,
    level: LevelName = None,
    q: TextQuery = None,
    limit: LimitParam = 20,
    cursor: CursorParam = None,
):
    reply = await _duties(request).ListLegalBases(
        pb.ListLegalBasesRequest(
            page=page_request(limit, cursor),
            agency_code=agency or "",
            region_code=region or "",
            level=pb.InstrumentLevel.Value(f"INSTRUMENT_LEVEL_{level.upper()}") if level else 0,
            query=q or "",
        )
    )
    return listing(reply.legal_bases, reply.total, limit, reply.next_page_token)


@api.get("/legal-bases/{agency}/{code}", summary="One legal basis (current or a given version)")
async def get_legal_basis(request: Request, agency: AgencyCode, code: RecordCode, version: Version = 0):
    return to_json(await _duties(request).GetLegalBasis(record_request(agency, code, version)))


@api.get("/legal-bases/{agency}/{code}/versions", summary="A legal basis's version history")
async def legal_basis_versions(
    request: Request, agency: AgencyCode, code: RecordCode, limit: LimitParam = 20, cursor: CursorParam = None
):
    return await version_listing(_duties(request).ListLegalBasisVersions, agency, code, limit, cursor)


router.include_router(api)

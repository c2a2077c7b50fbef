"""Agencies, enforcement officers, legal bases and duty items: the public REST
API under /api/v1 and the portal pages. Every record has its version history
(old versions stay readable); lists show current published versions only."""

from __future__ import annotations

from typing import Annotated

import grpc
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from gateway.convert import to_json
from gateway.exante import (
    ANY,
    REGION,
    AgencyCode,
    AgencyFilter,
    Cursor,
    Limit,
    RecordCode,
    RegionFilter,
    TextQuery,
    Version,
    enum_query,
    fetch_versioned,
    language,
    listing,
    next_url,
    not_found,
    options,
    page,
    record_page,
    record_request,
    render,
    soft,
    soft_cursor,
    soft_enum,
    soft_version,
    versions_request,
)
from gateway.i18n import translator
from gongshi.v1 import duties_pb2 as pb
from gongshi.v1 import procedures_pb2
from services.runtime import limits

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["duties"])
pages = APIRouter(include_in_schema=False)

CertificateNumber = Annotated[str, Path(pattern=limits.CERTIFICATE_NUMBER_PATTERN, description="執法證號")]
PowerTypeName = enum_query(pb.PowerType.DESCRIPTOR)
LevelName = enum_query(pb.InstrumentLevel.DESCRIPTOR)
_AGENCY = limits.AGENCY_CODE_PATTERN


def _duties(request: Request):
    return request.app.state.clients.duties


# ---- REST: agencies ---------------------------------------------------------


@api.get("/agencies", summary="List agencies (執法主體)")
async def list_agencies(
    request: Request, region: RegionFilter = None, limit: Limit = 20, cursor: Cursor = None
):
    reply = await _duties(request).ListAgencies(
        pb.ListAgenciesRequest(page=page(limit, cursor), region_code=region or "")
    )
    return listing(reply.agencies, reply.total, limit, reply.next_page_token)


@api.get("/agencies/{code}", summary="One agency (its current registration)")
async def get_agency(request: Request, code: AgencyCode) -> dict:
    return to_json(await _duties(request).GetAgency(pb.GetAgencyRequest(code=code)))


@api.get("/agencies/{code}/versions", summary="Every version of an agency's registration, oldest first")
async def agency_versions(request: Request, code: AgencyCode, limit: Limit = 20, cursor: Cursor = None):
    reply = await _duties(request).ListAgencyVersions(
        pb.ListAgencyVersionsRequest(code=code, page=page(limit, cursor))
    )
    return listing(reply.versions, reply.total, limit, reply.next_page_token)


# ---- REST: officers ---------------------------------------------------------


@api.get("/officers", summary="List enforcement officers (執法人員): public fields only")
async def list_officers(
    request: Request,
    agency: AgencyFilter = None,
    region: RegionFilter = None,
    q: TextQuery = None,
    limit: Limit = 20,
    cursor: Cursor = None,
):
    reply = await _duties(request).ListOfficers(
        pb.ListOfficersRequest(
            page=page(limit, cursor), agency_code=agency or "", region_code=region or "", query=q or ""
        )
    )
    return listing(reply.officers, reply.total, limit, reply.next_page_token)


@api.get("/officers/check", summary="Check an enforcement certificate (執法證核驗)")
async def check_certificate(
    request: Request,
    certificate: Annotated[str, Query(min_length=1, max_length=64, description="執法證號")],
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
    limit: Limit = 20,
    cursor: Cursor = None,
):
    reply = await _duties(request).ListOfficerVersions(versions_request(agency, certificate, limit, cursor))
    return listing(reply.versions, reply.total, limit, reply.next_page_token)


# ---- REST: duty items -------------------------------------------------------


@api.get("/duty-items", summary="List duty items (權責清單事項)")
async def list_duty_items(
    request: Request,
    agency: AgencyFilter = None,
    region: RegionFilter = None,
    power_type: PowerTypeName = None,
    q: TextQuery = None,
    needs_review: Annotated[bool, Query(description="only items flagged after a repeal")] = False,
    limit: Limit = 20,
    cursor: Cursor = None,
):
    reply = await _duties(request).ListDutyItems(
        pb.ListDutyItemsRequest(
            page=page(limit, cursor),
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
    request: Request, agency: AgencyCode, code: RecordCode, limit: Limit = 20, cursor: Cursor = None
):
    reply = await _duties(request).ListDutyItemVersions(versions_request(agency, code, limit, cursor))
    return listing(reply.versions, reply.total, limit, reply.next_page_token)


# ---- REST: legal bases ------------------------------------------------------


@api.get("/legal-bases", summary="List legal bases (執法依據)")
async def list_legal_bases(
    request: Request,
    agency: AgencyFilter = None,
    region: RegionFilter = None,
    level: LevelName = None,
    q: TextQuery = None,
    limit: Limit = 20,
    cursor: Cursor = None,
):
    reply = await _duties(request).ListLegalBases(
        pb.ListLegalBasesRequest(
            page=page(limit, cursor),
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
    request: Request, agency: AgencyCode, code: RecordCode, limit: Limit = 20, cursor: Cursor = None
):
    reply = await _duties(request).ListLegalBasisVersions(versions_request(agency, code, limit, cursor))
    return listing(reply.versions, reply.total, limit, reply.next_page_token)


# ---- portal -----------------------------------------------------------------


@pages.get("/agencies", response_class=HTMLResponse)
async def agencies_page(request: Request):
    region = soft(request, "region", REGION)
    reply = await _duties(request).ListAgencies(
        pb.ListAgenciesRequest(page=page(50, soft_cursor(request)), region_code=region)
    )
    t = translator(language(request))
    rows = [
        [
            {"text": a.name, "href": f"/agencies/{a.code}"},
            {"text": a.code},
            {"text": t(f"akind.{to_json(a)['kind']}")},
            {"text": a.region_code},
            {"text": a.supervision_phone},
        ]
        for a in reply.agencies
    ]
    return render(
        request,
        "duties_list.html",
        title=t("ex.agencies"),
        intro=t("ex.agencies_intro"),
        filters=[{"name": "region", "label": t("region"), "value": region, "kind": "text"}],
        headers=[t("ex.name"), t("agency_code"), t("ex.agency_kind"), t("region"), t("ex.supervision_phone")],
        rows=rows,
        total=reply.total,
        next_url=next_url(request, reply.next_page_token),
    )


@pages.get("/agencies/{code}", response_class=HTMLResponse)
async def agency_page(request: Request, code: str):
    duties = _duties(request)
    try:
        current = await duties.GetAgency(pb.GetAgencyRequest(code=code))
        history = await duties.ListAgencyVersions(
            pb.ListAgencyVersionsRequest(code=code, page={"page_size": limits.MAX_PAGE_SIZE})
        )
    except grpc.aio.AioRpcError as exc:
        return not_found(request, exc)
    wanted = soft_version(request)
    shown = next((v for v in history.versions if v.version == wanted), current)
    items = await duties.ListDutyItems(pb.ListDutyItemsRequest(agency_code=code, page={"page_size": 10}))
    officers = await duties.ListOfficers(pb.ListOfficersRequest(agency_code=code, page={"page_size": 10}))
    return render(
        request,
        "duties_agency.html",
        a=to_json(shown),
        is_current=shown.version == current.version,
        versions=[to_json(v) for v in history.versions],
        duty_items=[to_json(d) for d in items.duty_items],
        duty_items_total=items.total,
        officers=[to_json(o) for o in officers.officers],
        officers_total=officers.total,
    )


@pages.get("/officers", response_class=HTMLResponse)
async def officers_page(request: Request):
    agency, q = soft(request, "agency", _AGENCY), soft(request, "q", ANY)
    reply = await _duties(request).ListOfficers(
        pb.ListOfficersRequest(page=page(50, soft_cursor(request)), agency_code=agency, query=q)
    )
    t = translator(language(request))
    rows = [
        [
            {"text": o.name, "href": f"/officers/{o.agency_code}/{o.certificate_number}"},
            {"text": o.certificate_number},
            {"text": o.enforcement_category},
            {"text": o.enforcement_area},
            {"text": o.agency_code, "href": f"/agencies/{o.agency_code}"},
            {"text": f"{o.valid_from} – {o.valid_to}"},
        ]
        for o in reply.officers
    ]
    return render(
        request,
        "duties_list.html",
        title=t("ex.officers"),
        intro=t("ex.officers_intro"),
        check_form=True,
        filters=[
            {"name": "agency", "label": t("agency_code"), "value": agency, "kind": "text"},
            {"name": "q", "label": t("ex.name_contains"), "value": q, "kind": "text"},
        ],
        headers=[
            t("ex.officer_name"),
            t("ex.certificate_number"),
            t("ex.enforcement_category"),
            t("ex.enforcement_area"),
            t("agency"),
            t("ex.validity_period"),
        ],
        rows=rows,
        total=reply.total,
        next_url=next_url(request, reply.next_page_token),
    )


@pages.get("/officers/check", response_class=HTMLResponse)
async def check_page(request: Request):
    number = request.query_params.get("certificate", "").strip()[:64]
    result = None
    if number:
        reply = await _duties(request).CheckCertificate(pb.CheckCertificateRequest(certificate_number=number))
        result = to_json(reply)
    return render(request, "duties_check.html", certificate=number, result=result)


@pages.get("/officers/{agency}/{certificate}", response_class=HTMLResponse)
async def officer_page(request: Request, agency: str, certificate: str):
    duties = _duties(request)
    return await record_page(
        request,
        duties.GetOfficer,
        duties.ListOfficerVersions,
        agency,
        certificate,
        "duties_officer.html",
        "o",
        f"/officers/{agency}/{certificate}",
    )


@pages.get("/duty-items", response_class=HTMLResponse)
async def duty_items_page(request: Request):
    lang = language(request)
    t = translator(lang)
    agency, region, q = (
        soft(request, "agency", _AGENCY),
        soft(request, "region", REGION),
        soft(request, "q", ANY),
    )
    power_name, power_type = soft_enum(request, "power_type", pb.PowerType.DESCRIPTOR)
    needs_review = request.query_params.get("needs_review") in ("1", "true", "on")
    reply = await _duties(request).ListDutyItems(
        pb.ListDutyItemsRequest(
            page=page(50, soft_cursor(request)),
            agency_code=agency,
            region_code=region,
            power_type=power_type,
            query=q,
            needs_review=needs_review,
        )
    )
    rows = []
    for d in reply.duty_items:
        item = to_json(d)
        rows.append(
            [
                {"text": d.code},
                {
                    "text": d.name,
                    "href": f"/duty-items/{d.agency_code}/{d.code}",
                    "badge": t("ex.needs_review") if d.needs_review else "",
                },
                {"text": t(f"pt.{item['power_type']}")},
                {"text": d.agency_code, "href": f"/agencies/{d.agency_code}"},
                {"text": f"v{d.publication.version}"},
            ]
        )
    return render(
        request,
        "duties_list.html",
        title=t("ex.duty_items"),
        intro=t("ex.duty_items_intro"),
        filters=[
            {"name": "q", "label": t("ex.name_contains"), "value": q, "kind": "text"},
            {"name": "agency", "label": t("agency_code"), "value": agency, "kind": "text"},
            {"name": "region", "label": t("region"), "value": region, "kind": "text"},
            {
                "name": "power_type",
                "label": t("ex.power_type"),
                "value": power_name,
                "kind": "select",
                "options": options(pb.PowerType.DESCRIPTOR, "pt", lang),
            },
            {
                "name": "needs_review",
                "label": t("ex.needs_review"),
                "value": needs_review,
                "kind": "checkbox",
            },
        ],
        headers=[t("ex.code"), t("ex.duty_name"), t("ex.power_type"), t("agency"), t("ex.version")],
        rows=rows,
        total=reply.total,
        next_url=next_url(request, reply.next_page_token),
    )


@pages.get("/duty-items/{agency}/{code}", response_class=HTMLResponse)
async def duty_item_page(request: Request, agency: str, code: str):
    clients = request.app.state.clients
    try:
        shown, versions = await fetch_versioned(
            request, clients.duties.GetDutyItem, clients.duties.ListDutyItemVersions, agency, code
        )
    except grpc.aio.AioRpcError as exc:
        return not_found(request, exc)
    bases = []
    for basis_code in shown.legal_basis_codes:
        try:
            bases.append(to_json(await clients.duties.GetLegalBasis(record_request(agency, basis_code))))
        except grpc.aio.AioRpcError:
            bases.append({"code": basis_code, "missing": True})
    guides = await clients.procedures.ListProcedures(
        procedures_pb2.ListProceduresRequest(agency_code=agency, duty_item_code=code, page={"page_size": 20})
    )
    return render(
        request,
        "duties_duty_item.html",
        d=to_json(shown),
        bases=bases,
        procedures=[to_json(p) for p in guides.procedures],
        versions=versions,
        base_url=f"/duty-items/{agency}/{code}",
    )


@pages.get("/legal-bases", response_class=HTMLResponse)
async def legal_bases_page(request: Request):
    lang = language(request)
    t = translator(lang)
    agency, q = soft(request, "agency", _AGENCY), soft(request, "q", ANY)
    level_name, level = soft_enum(request, "level", pb.InstrumentLevel.DESCRIPTOR)
    reply = await _duties(request).ListLegalBases(
        pb.ListLegalBasesRequest(
            page=page(50, soft_cursor(request)), agency_code=agency, level=level, query=q
        )
    )
    rows = []
    for b in reply.legal_bases:
        basis = to_json(b)
        rows.append(
            [
                {
                    "text": f"《{b.instrument_title}》{b.article}",
                    "href": f"/legal-bases/{b.agency_code}/{b.code}",
                },
                {"text": t(f"lvl.{basis['level']}")},
                {"text": t(f"role.{basis['role']}")},
                {"text": b.agency_code, "href": f"/agencies/{b.agency_code}"},
                {"text": t("ex.repealed_on", date=b.repealed_date) if b.repealed_date else t("ex.in_force")},
            ]
        )
    return render(
        request,
        "duties_list.html",
        title=t("ex.legal_bases"),
        intro=t("ex.legal_bases_intro"),
        filters=[
            {"name": "q", "label": t("ex.title_contains"), "value": q, "kind": "text"},
            {"name": "agency", "label": t("agency_code"), "value": agency, "kind": "text"},
            {
                "name": "level",
                "label": t("ex.level"),
                "value": level_name,
                "kind": "select",
                "options": options(pb.InstrumentLevel.DESCRIPTOR, "lvl", lang),
            },
        ],
        headers=[t("ex.instrument"), t("ex.level"), t("ex.role"), t("agency"), t("ex.effect")],
        rows=rows,
        total=reply.total,
        next_url=next_url(request, reply.next_page_token),
    )


@pages.get("/legal-bases/{agency}/{code}", response_class=HTMLResponse)
async def legal_basis_page(request: Request, agency: str, code: str):
    duties = _duties(request)
    return await record_page(
        request,
        duties.GetLegalBasis,
        duties.ListLegalBasisVersions,
        agency,
        code,
        "duties_legal_basis.html",
        "b",
        f"/legal-bases/{agency}/{code}",
    )


@pages.get("/exante", response_class=HTMLResponse)
async def exante_index(request: Request):
    """The ex-ante publicity hub: who enforces, what, on which basis, how, where to complain."""
    return render(request, "duties_index.html")


router.include_router(api)
router.include_router(pages)

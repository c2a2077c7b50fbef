"""Agencies, enforcement officers, legal bases and duty items in the portal:
lists with filters, record pages with their versions, the certificate check,
and the ex-ante publicity hub (the REST API is routes/duties.py)."""

from __future__ import annotations

import grpc
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gateway.convert import to_json
from gateway.exante import (
    ANY,
    REGION,
    agency_cell,
    checkbox_filter,
    language,
    list_page,
    not_found,
    portal_page,
    record_page,
    record_request,
    render,
    select_filter,
    soft,
    soft_enum,
    soft_version,
    text_filter,
)
from gateway.i18n import translator
from gateway.routes.duties import _AGENCY, _duties
from gongshi.v1 import duties_pb2 as pb
from gongshi.v1 import procedures_pb2
from services.runtime import limits

router = APIRouter(include_in_schema=False)


# ---- portal -----------------------------------------------------------------


@router.get("/agencies", response_class=HTMLResponse)
async def agencies_page(request: Request):
    region = soft(request, "region", REGION)
    reply = await _duties(request).ListAgencies(
        pb.ListAgenciesRequest(page=portal_page(request), region_code=region)
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
    return list_page(
        request,
        "duties_list.html",
        "agencies",
        reply,
        rows,
        filters=[text_filter("region", "region", region)],
        headers=["ex.name", "agency_code", "ex.agency_kind", "region", "ex.supervision_phone"],
    )


@router.get("/agencies/{code}", response_class=HTMLResponse)
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


@router.get("/officers", response_class=HTMLResponse)
async def officers_page(request: Request):
    agency, q = soft(request, "agency", _AGENCY), soft(request, "q", ANY)
    reply = await _duties(request).ListOfficers(
        pb.ListOfficersRequest(page=portal_page(request), agency_code=agency, query=q)
    )
    rows = [
        [
            {"text": o.name, "href": f"/officers/{o.agency_code}/{o.certificate_number}"},
            {"text": o.certificate_number},
            {"text": o.enforcement_category},
            {"text": o.enforcement_area},
            agency_cell(o.agency_code),
            {"text": f"{o.valid_from} – {o.valid_to}"},
        ]
        for o in reply.officers
    ]
    return list_page(
        request,
        "duties_list.html",
        "officers",
        reply,
        rows,
        check_form=True,
        filters=[text_filter("agency", "agency_code", agency), text_filter("q", "ex.name_contains", q)],
        headers=[
            "ex.officer_name",
            "ex.certificate_number",
            "ex.enforcement_category",
            "ex.enforcement_area",
            "agency",
            "ex.validity_period",
        ],
    )


@router.get("/officers/check", response_class=HTMLResponse)
async def check_page(request: Request):
    number = request.query_params.get("certificate", "").strip()[:64]
    result = None
    if number:
        reply = await _duties(request).CheckCertificate(pb.CheckCertificateRequest(certificate_number=number))
        result = to_json(reply)
    return render(request, "duties_check.html", certificate=number, result=result)


@router.get("/officers/{agency}/{certificate}", response_class=HTMLResponse)
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


@router.get("/duty-items", response_class=HTMLResponse)
async def duty_items_page(request: Request):
    t = translator(language(request))
    agency, region, q = (
        soft(request, "agency", _AGENCY),
        soft(request, "region", REGION),
        soft(request, "q", ANY),
    )
    power_name, power_type = soft_enum(request, "power_type", pb.PowerType.DESCRIPTOR)
    needs_review = request.query_params.get("needs_review") in ("1", "true", "on")
    reply = await _duties(request).ListDutyItems(
        pb.ListDutyItemsRequest(
            page=portal_page(request),
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
                agency_cell(d.agency_code),
                {"text": f"v{d.publication.version}"},
            ]
        )
    return list_page(
        request,
        "duties_list.html",
        "duty_items",
        reply,
        rows,
        filters=[
            text_filter("q", "ex.name_contains", q),
            text_filter("agency", "agency_code", agency),
            text_filter("region", "region", region),
            select_filter("power_type", "ex.power_type", power_name, pb.PowerType.DESCRIPTOR, "pt"),
            checkbox_filter("needs_review", "ex.needs_review", needs_review),
        ],
        headers=["ex.code", "ex.duty_name", "ex.power_type", "agency", "ex.version"],
    )


@router.get("/duty-items/{agency}/{code}", response_class=HTMLResponse)
async def duty_item_page(request: Request, agency: str, code: str):
    clients = request.app.state.clients

    async def bases_and_guides(shown: pb.DutyItem) -> dict:
        bases = []
        for basis_code in shown.legal_basis_codes:
            try:
                bases.append(to_json(await clients.duties.GetLegalBasis(record_request(agency, basis_code))))
            except grpc.aio.AioRpcError:
                bases.append({"code": basis_code, "missing": True})
        guides = await clients.procedures.ListProcedures(
            procedures_pb2.ListProceduresRequest(
                agency_code=agency, duty_item_code=code, page={"page_size": 20}
            )
        )
        return {"bases": bases, "procedures": [to_json(p) for p in guides.procedures]}

    return await record_page(
        request,
        clients.duties.GetDutyItem,
        clients.duties.ListDutyItemVersions,
        agency,
        code,
        "duties_duty_item.html",
        "d",
        f"/duty-items/{agency}/{code}",
        names_agency=False,  # the page shows the item's implementing agency as the item states it
        more=bases_and_guides,
    )


@router.get("/legal-bases", response_class=HTMLResponse)
async def legal_bases_page(request: Request):
    t = translator(language(request))
    agency, q = soft(request, "agency", _AGENCY), soft(request, "q", ANY)
    level_name, level = soft_enum(request, "level", pb.InstrumentLevel.DESCRIPTOR)
    reply = await _duties(request).ListLegalBases(
        pb.ListLegalBasesRequest(page=portal_page(request), agency_code=agency, level=level, query=q)
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
                agency_cell(b.agency_code),
                {"text": t("ex.repealed_on", date=b.repealed_date) if b.repealed_date else t("ex.in_force")},
            ]
        )
    return list_page(
        request,
        "duties_list.html",
        "legal_bases",
        reply,
        rows,
        filters=[
            text_filter("q", "ex.title_contains", q),
            text_filter("agency", "agency_code", agency),
            select_filter("level", "ex.level", level_name, pb.InstrumentLevel.DESCRIPTOR, "lvl"),
        ],
        headers=["ex.instrument", "ex.level", "ex.role", "agency", "ex.effect"],
    )


@router.get("/legal-bases/{agency}/{code}", response_class=HTMLResponse)
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


@router.get("/exante", response_class=HTMLResponse)
async def exante_index(request: Request):
    """The ex-ante publicity hub: who enforces, what, on which basis, how, where to complain."""
    return render(request, "duties_index.html")

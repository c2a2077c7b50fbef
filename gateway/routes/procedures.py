"""Procedures and service guides (with their flow diagram), supervision and
relief channels, random-inspection lists: the public REST API under /api/v1
and the portal pages, each with its version history."""

from __future__ import annotations

import grpc
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gateway.convert import listing, to_json
from gateway.exante import (
    ANY,
    AgencyCode,
    AgencyFilter,
    RecordCode,
    RegionFilter,
    TextQuery,
    Version,
    agency_cell,
    enum_query,
    language,
    list_page,
    portal_page,
    record_page,
    record_request,
    select_filter,
    soft,
    soft_enum,
    text_filter,
    version_listing,
)
from gateway.flowchart import flowchart_svg, text_alternative
from gateway.i18n import translator
from gateway.queries import CursorParam, LimitParam, page_request
from gongshi.v1 import procedures_pb2 as pb
from services.runtime import limits

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["procedures"])
pages = APIRouter(include_in_schema=False)

ChannelTypeName = enum_query(pb.ChannelType.DESCRIPTOR)
_AGENCY = limits.AGENCY_CODE_PATTERN
_CODE = limits.RECORD_CODE_PATTERN


def _procedures(request: Request):
    return request.app.state.clients.procedures


# ---- REST -------------------------------------------------------------------


@api.get("/procedures", summary="List procedures and service guides (執法程序, 服務指南)")
async def list_procedures(
    request: Request,
    agency: AgencyFilter = None,
    region: RegionFilter = None,
    duty_item: RecordCode | None = None,
    q: TextQuery = None,
    limit: LimitParam = 20,
    cursor: CursorParam = None,
):
    reply = await _procedures(request).ListProcedures(
        pb.ListProceduresRequest(
            page=page_request(limit, cursor),
            agency_code=agency or "",
            region_code=region or "",
            duty_item_code=duty_item or "",
            query=q or "",
        )
    )
    return listing(reply.procedures, reply.total, limit, reply.next_page_token)


@api.get("/procedures/{agency}/{code}", summary="One procedure (current or a given version)")
async def get_procedure(request: Request, agency: AgencyCode, code: RecordCode, version: Version = 0):
    return to_json(await _procedures(request).GetProcedure(record_request(agency, code, version)))


@api.get(
    "/procedures/{agency}/{code}/flowchart.svg",
    summary="The procedure's flow diagram as SVG (its steps are the text alternative)",
    response_class=Response,
)
async def procedure_flowchart(request: Request, agency: AgencyCode, code: RecordCode, version: Version = 0):
    procedure = await _procedures(request).GetProcedure(record_request(agency, code, version))
    svg = flowchart_svg(
        list(procedure.steps),
        svg_id="flow",
        title=procedure.name,
        description=text_alternative(procedure.steps),
    )
    return Response(str(svg), media_type="image/svg+xml")


@api.get("/procedures/{agency}/{code}/versions", summary="A procedure's version history")
async def procedure_versions(
    request: Request, agency: AgencyCode, code: RecordCode, limit: LimitParam = 20, cursor: CursorParam = None
):
    return await version_listing(_procedures(request).ListProcedureVersions, agency, code, limit, cursor)


@api.get("/supervision-channels", summary="List supervision and relief channels (監督途徑, 救濟渠道)")
async def list_channels(
    request: Request,
    agency: AgencyFilter = None,
    region: RegionFilter = None,
    type: ChannelTypeName = None,
    limit: LimitParam = 20,
    cursor: CursorParam = None,
):
    reply = await _procedures(request).ListSupervisionChannels(
        pb.ListSupervisionChannelsRequest(
            page=page_request(limit, cursor),
            agency_code=agency or "",
            region_code=region or "",
            type=pb.ChannelType.Value(f"CHANNEL_TYPE_{type.upper()}") if type else 0,
        )
    )
    return listing(reply.channels, reply.total, limit, reply.next_page_token)


@api.get(
    "/supervision-channels/{agency}/{code}", summary="One supervision channel (current or a given version)"
)
async def get_channel(request: Request, agency: AgencyCode, code: RecordCode, version: Version = 0):
    return to_json(await _procedures(request).GetSupervisionChannel(record_request(agency, code, version)))


@api.get("/supervision-channels/{agency}/{code}/versions", summary="A supervision channel's version history")
async def channel_versions(
    request: Request, agency: AgencyCode, code: RecordCode, limit: LimitParam = 20, cursor: CursorParam = None
):
    return await version_listing(
        _procedures(request).ListSupervisionChannelVersions, agency, code, limit, cursor
    )


@api.get("/inspection-items", summary="List random-inspection items (雙隨機抽查事項清單)")
async def list_inspection_items(
    request: Request,
    agency: AgencyFilter = None,
    region: RegionFilter = None,
    q: TextQuery = None,
    limit: LimitParam = 20,
    cursor: CursorParam = None,
):
    reply = await _procedures(request).ListInspectionItems(
        pb.ListInspectionItemsRequest(
            page=page_request(limit, cursor),
            agency_code=agency or "",
            region_code=region or "",
            query=q or "",
        )
    )
    return listing(reply.inspection_items, reply.total, limit, reply.next_page_token)


@api.get("/inspection-items/{agency}/{code}", summary="One inspection item (current or a given version)")
async def get_inspection_item(request: Request, agency: AgencyCode, code: RecordCode, version: Version = 0):
    return to_json(await _procedures(request).GetInspectionItem(record_request(agency, code, version)))


@api.get("/inspection-items/{agency}/{code}/versions", summary="An inspection item's version history")
async def inspection_item_versions(
    request: Request, agency: AgencyCode, code: RecordCode, limit: LimitParam = 20, cursor: CursorParam = None
):
    return await version_listing(_procedures(request).ListInspectionItemVersions, agency, code, limit, cursor)


# ---- portal -----------------------------------------------------------------


@pages.get("/procedures", response_class=HTMLResponse)
async def procedures_page(request: Request):
    t = translator(language(request))
    agency, q = soft(request, "agency", _AGENCY), soft(request, "q", ANY)
    duty_item = soft(request, "duty_item", _CODE)
    reply = await _procedures(request).ListProcedures(
        pb.ListProceduresRequest(
            page=portal_page(request), agency_code=agency, duty_item_code=duty_item, query=q
        )
    )
    rows = [
        [
            {"text": p.name, "href": f"/procedures/{p.agency_code}/{p.code}"},
            {"text": p.duty_item_code, "href": f"/duty-items/{p.agency_code}/{p.duty_item_code}"},
            {"text": p.accepting_unit},
            {"text": t("ex.days", n=p.statutory_time_limit_days) if p.statutory_time_limit_days else ""},
            agency_cell(p.agency_code),
        ]
        for p in reply.procedures
    ]
    return list_page(
        request,
        "procedures_list.html",
        "procedures",
        reply,
        rows,
        filters=[
            text_filter("q", "ex.name_contains", q),
            text_filter("agency", "agency_code", agency),
            text_filter("duty_item", "ex.duty_item_code", duty_item),
        ],
        headers=[
            "ex.procedure_name",
            "ex.duty_item_code",
            "ex.accepting_unit",
            "ex.statutory_limit",
            "agency",
        ],
    )


@pages.get("/procedures/{agency}/{code}", response_class=HTMLResponse)
async def procedure_page(request: Request, agency: str, code: str):
    clients = request.app.state.clients

    async def duty_channels_and_flowchart(shown: pb.Procedure) -> dict:
        t = translator(language(request))
        duty_name = ""
        try:
            duty_name = (await clients.duties.GetDutyItem(record_request(agency, shown.duty_item_code))).name
        except grpc.aio.AioRpcError:
            pass
        channels = await clients.procedures.ListSupervisionChannels(
            pb.ListSupervisionChannelsRequest(agency_code=agency, page={"page_size": 50})
        )
        applicable = [
            to_json(c)
            for c in channels.channels
            if not c.duty_item_codes or shown.duty_item_code in c.duty_item_codes
        ]
        flowchart = flowchart_svg(
            list(shown.steps),
            svg_id="flowchart",
            title=t("ex.flowchart_of", name=shown.name),
            description=text_alternative(shown.steps),
        )
        return {"duty_name": duty_name, "flowchart": flowchart, "channels": applicable}

    return await record_page(
        request,
        clients.procedures.GetProcedure,
        clients.procedures.ListProcedureVersions,
        agency,
        code,
        "procedures_procedure.html",
        "p",
        f"/procedures/{agency}/{code}",
        more=duty_channels_and_flowchart,
    )


@pages.get("/supervision-channels", response_class=HTMLResponse)
async def channels_page(request: Request):
    t = translator(language(request))
    agency = soft(request, "agency", _AGENCY)
    type_name, channel_type = soft_enum(request, "type", pb.ChannelType.DESCRIPTOR)
    reply = await _procedures(request).ListSupervisionChannels(
        pb.ListSupervisionChannelsRequest(page=portal_page(request), agency_code=agency, type=channel_type)
    )
    rows = []
    for c in reply.channels:
        channel = to_json(c)
        rows.append(
            [
                {"text": c.name, "href": f"/supervision-channels/{c.agency_code}/{c.code}"},
                {"text": t(f"ch.{channel['type']}")},
                {"text": c.receiving_body},
                {"text": c.phone or c.email or c.url or c.postal_address},
                agency_cell(c.agency_code),
            ]
        )
    return list_page(
        request,
        "procedures_list.html",
        "channels",
        reply,
        rows,
        filters=[
            text_filter("agency", "agency_code", agency),
            select_filter("type", "ex.channel_type", type_name, pb.ChannelType.DESCRIPTOR, "ch"),
        ],
        headers=["ex.name", "ex.channel_type", "ex.receiving_body", "ex.contact", "agency"],
    )


@pages.get("/supervision-channels/{agency}/{code}", response_class=HTMLResponse)
async def channel_page(request: Request, agency: str, code: str):
    procedures = _procedures(request)
    return await record_page(
        request,
        procedures.GetSupervisionChannel,
        procedures.ListSupervisionChannelVersions,
        agency,
        code,
        "procedures_channel.html",
        "c",
        f"/supervision-channels/{agency}/{code}",
    )


@pages.get("/inspection-items", response_class=HTMLResponse)
async def inspection_items_page(request: Request):
    agency, q = soft(request, "agency", _AGENCY), soft(request, "q", ANY)
    reply = await _procedures(request).ListInspectionItems(
        pb.ListInspectionItemsRequest(page=portal_page(request), agency_code=agency, query=q)
    )
    rows = [
        [
            {"text": f"{i.item} {i.sub_item}".strip(), "href": f"/inspection-items/{i.agency_code}/{i.code}"},
            {"text": i.inspecting_body},
            {"text": i.method},
            {"text": f"{i.ratio_percent:g}%" if i.ratio_percent else ""},
            {"text": i.frequency},
        ]
        for i in reply.inspection_items
    ]
    return list_page(
        request,
        "procedures_list.html",
        "inspection_items",
        reply,
        rows,
        filters=[text_filter("q", "ex.name_contains", q), text_filter("agency", "agency_code", agency)],
        headers=["ex.inspection_item", "ex.inspecting_body", "ex.method", "ex.ratio", "ex.frequency"],
    )


@pages.get("/inspection-items/{agency}/{code}", response_class=HTMLResponse)
async def inspection_item_page(request: Request, agency: str, code: str):
    procedures = _procedures(request)
    return await record_page(
        request,
        procedures.GetInspectionItem,
        procedures.ListInspectionItemVersions,
        agency,
        code,
        "procedures_inspection_item.html",
        "i",
        f"/inspection-items/{agency}/{code}",
    )


router.include_router(api)
router.include_router(pages)

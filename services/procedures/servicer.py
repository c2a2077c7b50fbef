"""gRPC entrypoint of the procedures service: translate requests to handler calls."""

from __future__ import annotations

from gongshi.v1 import procedures_pb2 as pb
from gongshi.v1 import procedures_pb2_grpc
from services.procedures.handlers import CHANNEL, INSPECTION_ITEM, PROCEDURE, ProceduresHandlers
from services.runtime.grpc_server import current_principal
from services.runtime.versioned import ListFilter

PUBLIC_METHODS = {
    f"/gongshi.v1.ProceduresService/{name}"
    for name in (
        "Info",
        "GetProcedure",
        "ListProcedures",
        "ListProcedureVersions",
        "GetSupervisionChannel",
        "ListSupervisionChannels",
        "ListSupervisionChannelVersions",
        "GetInspectionItem",
        "ListInspectionItems",
        "ListInspectionItemVersions",
    )
}


class ProceduresServicer(procedures_pb2_grpc.ProceduresServiceServicer):
    def __init__(self, handlers: ProceduresHandlers) -> None:
        self.handlers = handlers

    async def Info(self, request, context) -> pb.ProceduresInfoResponse:
        return pb.ProceduresInfoResponse(procedures=await self.handlers.count_public_procedures())

    # -- procedures -------------------------------------------------------------

    async def PutProcedure(self, request, context) -> pb.PutProcedureResponse:
        procedure, changed = await self.handlers.put_procedure(current_principal(), request)
        return pb.PutProcedureResponse(procedure=procedure, changed=changed)

    async def GetProcedure(self, request, context) -> pb.Procedure:
        return await self.handlers.get_record(PROCEDURE, request)

    async def ListProcedures(self, request, context) -> pb.ListProceduresResponse:
        found = await self.handlers.list_records(
            PROCEDURE,
            request.page,
            ListFilter(
                agency_code=request.agency_code,
                region_code=request.region_code,
                ref_code=request.duty_item_code,
                query=request.query,
            ),
        )
        return found.reply(pb.ListProceduresResponse, "procedures")

    async def ListProcedureVersions(self, request, context) -> pb.ProcedureVersions:
        found = await self.handlers.list_versions(current_principal(), PROCEDURE, request)
        return found.reply(pb.ProcedureVersions)

    # -- supervision channels ---------------------------------------------------

    async def PutSupervisionChannel(self, request, context) -> pb.PutSupervisionChannelResponse:
        channel, changed = await self.handlers.put_channel(current_principal(), request)
        return pb.PutSupervisionChannelResponse(channel=channel, changed=changed)

    async def GetSupervisionChannel(self, request, context) -> pb.SupervisionChannel:
        return await self.handlers.get_record(CHANNEL, request)

    async def ListSupervisionChannels(self, request, context) -> pb.ListSupervisionChannelsResponse:
        found = await self.handlers.list_records(
            CHANNEL,
            request.page,
            ListFilter(
                agency_code=request.agency_code, region_code=request.region_code, category=request.type
            ),
        )
        return found.reply(pb.ListSupervisionChannelsResponse, "channels")

    async def ListSupervisionChannelVersions(self, request, context) -> pb.SupervisionChannelVersions:
        found = await self.handlers.list_versions(current_principal(), CHANNEL, request)
        return found.reply(pb.SupervisionChannelVersions)

    # -- inspection items -------------------------------------------------------

    async def PutInspectionItem(self, request, context) -> pb.PutInspectionItemResponse:
        item, changed = await self.handlers.put_inspection_item(current_principal(), request)
        return pb.PutInspectionItemResponse(inspection_item=item, changed=changed)

    async def GetInspectionItem(self, request, context) -> pb.InspectionItem:
        return await self.handlers.get_record(INSPECTION_ITEM, request)

    async def ListInspectionItems(self, request, context) -> pb.ListInspectionItemsResponse:
        found = await self.handlers.list_records(
            INSPECTION_ITEM,
            request.page,
            ListFilter(agency_code=request.agency_code, region_code=request.region_code, query=request.query),
        )
        return found.reply(pb.ListInspectionItemsResponse, "inspection_items")

    async def ListInspectionItemVersions(self, request, context) -> pb.InspectionItemVersions:
        found = await self.handlers.list_versions(current_principal(), INSPECTION_ITEM, request)
        return found.reply(pb.InspectionItemVersions)

    # -- status changes -----------------------------------------------------------

    async def PublishRecord(self, request, context):
        return await self.handlers.change_status(current_principal(), request, retire=False)

    async def RetireRecord(self, request, context):
        return await self.handlers.change_status(current_principal(), request, retire=True)

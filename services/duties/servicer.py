"""gRPC entrypoints of the duties service."""

from __future__ import annotations

from gongshi.v1 import duties_pb2 as pb
from gongshi.v1 import duties_pb2_grpc
from services.duties.handlers import DutiesHandlers
from services.runtime.grpc_server import current_principal

PUBLIC_METHODS = {
    "/gongshi.v1.DutiesService/GetAgency",
    "/gongshi.v1.DutiesService/ListAgencies",
}


class AdminServicer(duties_pb2_grpc.AdminServiceServicer):
    def __init__(self, handlers: DutiesHandlers) -> None:
        self.handlers = handlers

    async def RegisterAgency(self, request, context) -> pb.RegisterAgencyResponse:
        agency, created = await self.handlers.register_agency(current_principal(), request.agency)
        return pb.RegisterAgencyResponse(agency=agency, created=created)

    async def IssueCredential(self, request, context) -> pb.IssueCredentialResponse:
        return await self.handlers.issue_credential(current_principal(), request)

    async def RevokeCredential(self, request, context) -> pb.RevokeCredentialResponse:
        revoked = await self.handlers.revoke_credential(current_principal(), request.credential_id)
        return pb.RevokeCredentialResponse(revoked=revoked)


class DutiesServicer(duties_pb2_grpc.DutiesServiceServicer):
    def __init__(self, handlers: DutiesHandlers) -> None:
        self.handlers = handlers

    async def GetAgency(self, request, context) -> pb.Agency:
        return await self.handlers.get_agency(request.code)

    async def ListAgencies(self, request, context) -> pb.ListAgenciesResponse:
        return await self.handlers.list_agencies(request)

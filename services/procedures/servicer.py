"""gRPC entrypoint of the procedures service (its full API grows with its own issue)."""

from __future__ import annotations

from sqlalchemy import func, select

from gongshi.v1 import procedures_pb2 as pb
from gongshi.v1 import procedures_pb2_grpc
from services.runtime.app import ServiceRuntime
from services.runtime.outbox import OutboxRow

PUBLIC_METHODS = {"/gongshi.v1.ProceduresService/Info"}


class ProceduresServicer(procedures_pb2_grpc.ProceduresServiceServicer):
    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime

    async def Info(self, request, context) -> pb.ProceduresInfoResponse:
        async with self.runtime.db.reader() as session:
            count = await session.scalar(select(func.count()).select_from(OutboxRow))
        return pb.ProceduresInfoResponse(procedures=count)

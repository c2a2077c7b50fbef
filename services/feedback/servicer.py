"""gRPC entrypoint of the feedback service (its full API grows with its own issue)."""

from __future__ import annotations

from sqlalchemy import func, select

from gongshi.v1 import feedback_pb2 as pb
from gongshi.v1 import feedback_pb2_grpc
from services.runtime.app import ServiceRuntime
from services.runtime.outbox import OutboxRow

PUBLIC_METHODS = {"/gongshi.v1.FeedbackService/Info"}


class FeedbackServicer(feedback_pb2_grpc.FeedbackServiceServicer):
    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime

    async def Info(self, request, context) -> pb.FeedbackInfoResponse:
        async with self.runtime.db.reader() as session:
            count = await session.scalar(select(func.count()).select_from(OutboxRow))
        return pb.FeedbackInfoResponse(feedback=count)

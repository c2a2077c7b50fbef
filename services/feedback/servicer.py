"""gRPC entrypoint of the feedback service: translate requests to handler calls."""

from __future__ import annotations

from sqlalchemy import func, select

from gongshi.v1 import feedback_pb2 as pb
from gongshi.v1 import feedback_pb2_grpc
from services.feedback.handlers import FeedbackHandlers
from services.feedback.models import FeedbackRow
from services.feedback.queries import FeedbackQueries
from services.runtime.grpc_server import current_principal

_SERVICE = "/gongshi.v1.FeedbackService/"
# Citizens need no account: these take no credential (the tracking secret guards a case).
PUBLIC_METHODS = {
    _SERVICE + name
    for name in (
        "Info",
        "SubmitFeedback",
        "GetFeedback",
        "ListFeedback",
        "TrackFeedback",
        "AddInformation",
        "RateAnswer",
        "ReopenFeedback",
        "FlagContent",
        "GetAttachment",
        "GetStatistics",
    )
}
CLIENT_ADDRESS_METADATA = "x-client-address"


def client_address(context) -> str:
    """The citizen's address as the gateway saw it; else the direct caller's peer."""
    for key, value in context.invocation_metadata() or ():
        if key == CLIENT_ADDRESS_METADATA and value:
            return str(value)[:100]
    peer = context.peer() or "unknown"
    # "ipv4:127.0.0.1:53412" -> "ipv4:127.0.0.1": the port changes per connection.
    return peer.rsplit(":", 1)[0] if peer.count(":") >= 2 else peer


class FeedbackServicer(feedback_pb2_grpc.FeedbackServiceServicer):
    def __init__(self, handlers: FeedbackHandlers, queries: FeedbackQueries) -> None:
        self.handlers = handlers
        self.queries = queries

    async def Info(self, request, context) -> pb.FeedbackInfoResponse:
        async with self.handlers.db.reader() as session:
            count = await session.scalar(select(func.count()).select_from(FeedbackRow))
        return pb.FeedbackInfoResponse(feedback=count)

    # -- citizens ----------------------------------------------------------

    async def SubmitFeedback(self, request, context) -> pb.SubmitFeedbackResponse:
        return await self.handlers.submit(request, client_address(context))

    async def GetFeedback(self, request, context) -> pb.PublicFeedback:
        return await self.queries.get_public(request.id)

    async def ListFeedback(self, request, context) -> pb.ListFeedbackResponse:
        return await self.queries.list_public(request)

    async def TrackFeedback(self, request, context) -> pb.TrackedFeedback:
        return await self.handlers.track(request.key)

    async def AddInformation(self, request, context) -> pb.TrackedFeedback:
        return await self.handlers.add_information(request.key, request.text, request.attachments)

    async def RateAnswer(self, request, context) -> pb.TrackedFeedback:
        return await self.handlers.rate(request.key, request.rating, request.comment)

    async def ReopenFeedback(self, request, context) -> pb.TrackedFeedback:
        return await self.handlers.reopen(request.key, request.reason)

    async def FlagContent(self, request, context) -> pb.FlagContentResponse:
        return await self.handlers.flag(
            request.feedback_id, request.reply_id, request.reason, client_address(context)
        )

    async def GetAttachment(self, request, context) -> pb.Attachment:
        return await self.queries.attachment(current_principal(), request)

    async def GetStatistics(self, request, context) -> pb.FeedbackStatisticsResponse:
        return await self.queries.statistics(request)

    # -- agencies ----------------------------------------------------------

    async def ListAgencyFeedback(self, request, context) -> pb.ListAgencyFeedbackResponse:
        return await self.queries.list_agency(current_principal(), request)

    async def GetAgencyFeedback(self, request, context) -> pb.AgencyFeedback:
        return await self.queries.get_agency(current_principal(), request.feedback_id)

    async def AcceptFeedback(self, request, context) -> pb.AgencyFeedback:
        return await self.handlers.accept(current_principal(), request.feedback_id, request.note)

    async def RejectFeedback(self, request, context) -> pb.AgencyFeedback:
        return await self.handlers.reject(current_principal(), request.feedback_id, request.reason)

    async def TransferFeedback(self, request, context) -> pb.AgencyFeedback:
        return await self.handlers.transfer(
            current_principal(), request.feedback_id, request.to_agency_code, request.reason
        )

    async def ReplyFeedback(self, request, context) -> pb.AgencyFeedback:
        return await self.handlers.reply(current_principal(), request.feedback_id, request.text)

    async def ExtendDeadline(self, request, context) -> pb.AgencyFeedback:
        return await self.handlers.extend(current_principal(), request)

    async def CloseFeedback(self, request, context) -> pb.AgencyFeedback:
        return await self.handlers.close(current_principal(), request.feedback_id, request.note)

    async def DecideObjection(self, request, context) -> pb.AgencyFeedback:
        return await self.handlers.decide_objection(current_principal(), request)

    async def ReviewFlagged(self, request, context) -> pb.AgencyFeedback:
        return await self.handlers.review_flagged(
            current_principal(), request.feedback_id, request.reply_id, request.restore
        )

"""gRPC entrypoint of the results service: translate requests to handler calls."""

from __future__ import annotations

import asyncio

from gongshi.v1 import common_pb2, results_pb2_grpc
from gongshi.v1 import results_pb2 as pb
from services.results.handlers import ResultsHandlers
from services.results.lifecycle import LifecycleHandlers
from services.results.preview import preview_masking
from services.results.publishing import Outcome
from services.results.remask import remask
from services.runtime import limits
from services.runtime.errors import ResourceExhausted
from services.runtime.grpc_server import current_principal

_SERVICE = "/gongshi.v1.ResultsService/"
PUBLIC_METHODS = {
    _SERVICE + name
    for name in (
        "GetResult",
        "ListResults",
        "GetResultHistory",
        "ListTakedowns",
        "GetChain",
        "VerifyChain",
        # The party has no account: replies are moderated, repair applications
        # are checked by the agency, and both are size-limited.
        "SubmitReply",
        "ApplyForRepair",
        "GetRepairApplication",
    )
}


class ResultsServicer(results_pb2_grpc.ResultsServiceServicer):
    def __init__(
        self, handlers: ResultsHandlers, lifecycle: LifecycleHandlers, bulk_batch: int = 500
    ) -> None:
        self.handlers = handlers
        self.lifecycle = lifecycle
        self.bulk_batch = bulk_batch

    async def PublishDecision(
        self, request: pb.PublishDecisionRequest, context
    ) -> pb.PublishDecisionResponse:
        result, created = await self.handlers.publish_decision(
            current_principal(), request.agency_code, request.decision
        )
        return pb.PublishDecisionResponse(result=result, created=created)

    async def BulkPublish(self, request_iterator, context) -> pb.BulkPublishResponse:
        # Items are stored a batch per transaction as they stream in, and the
        # next batch is checked and masked while the last one commits (the
        # database works in its own thread). Each item is answered on its own,
        # so one bad row never drops the good ones.
        response = pb.BulkPublishResponse()
        principal = current_principal()
        pending: list[tuple[str, pb.Decision]] = []
        committing: asyncio.Task | None = None

        def collect(outcomes: list[Outcome]) -> None:
            for outcome in outcomes:
                response.outcomes.append(_item_outcome(len(response.outcomes), outcome))
                if outcome.error is None:
                    response.accepted += 1
                else:
                    response.refused += 1

        async def flush() -> None:
            nonlocal committing
            prepared = await self.handlers.prepare(principal, pending)
            pending.clear()
            if committing is not None:
                collect(await committing)
            committing = asyncio.create_task(self.handlers.commit(prepared))

        count = 0
        try:
            async for request in request_iterator:
                count += 1
                if count > limits.MAX_BULK_ITEMS:
                    raise ResourceExhausted(f"a bulk call takes at most {limits.MAX_BULK_ITEMS} items")
                pending.append((request.agency_code, request.decision))
                if len(pending) >= self.bulk_batch:
                    await flush()
            if pending:
                await flush()
            if committing is not None:
                collect(await committing)
                committing = None
        finally:
            if committing is not None:
                # The call failed mid-stream: let the batch in flight finish
                # (it is committed or not, never half), then report the error.
                await asyncio.gather(committing, return_exceptions=True)
        return response

    async def GetResult(self, request: pb.GetResultRequest, context) -> pb.Result:
        return await self.handlers.get_result(request.id)

    async def ListResults(self, request: pb.ListResultsRequest, context) -> pb.ListResultsResponse:
        return await self.handlers.list_results(request)

    async def RegisterDecision(
        self, request: pb.RegisterDecisionRequest, context
    ) -> pb.RegisterDecisionResponse:
        result, created = await self.handlers.register_decision(
            current_principal(), request.agency_code, request.decision
        )
        return pb.RegisterDecisionResponse(result=result, created=created)

    async def CorrectResult(self, request: pb.CorrectResultRequest, context) -> pb.Result:
        return await self.lifecycle.correct(current_principal(), request.id, request.decision, request.reason)

    async def WithdrawResult(self, request: pb.WithdrawResultRequest, context) -> pb.Result:
        return await self.lifecycle.withdraw(
            current_principal(), request.id, request.reason, request.statement, request.grounds_date
        )

    async def SetUnderAppeal(self, request: pb.SetUnderAppealRequest, context) -> pb.Result:
        return await self.lifecycle.set_under_appeal(
            current_principal(), request.id, request.under_appeal, request.note
        )

    async def GetResultHistory(self, request: pb.GetResultHistoryRequest, context) -> pb.ResultHistory:
        return await self.handlers.get_history(request.id)

    async def ListTakedowns(self, request: pb.ListTakedownsRequest, context) -> pb.ListTakedownsResponse:
        return await self.handlers.list_takedowns(request)

    async def SubmitReply(self, request: pb.SubmitReplyRequest, context) -> pb.Reply:
        return await self.lifecycle.submit_reply(request.result_id, request.text, request.contact)

    async def ModerateReply(self, request: pb.ModerateReplyRequest, context) -> pb.Reply:
        return await self.lifecycle.moderate_reply(
            current_principal(), request.reply_id, request.approve, request.reason
        )

    async def ListReplies(self, request: pb.ListRepliesRequest, context) -> pb.ListRepliesResponse:
        return await self.lifecycle.list_replies(current_principal(), request)

    async def ApplyForRepair(self, request: pb.ApplyForRepairRequest, context) -> pb.RepairApplication:
        return await self.lifecycle.apply_for_repair(request)

    async def DecideRepair(self, request: pb.DecideRepairRequest, context) -> pb.RepairApplication:
        return await self.lifecycle.decide_repair(
            current_principal(), request.application_id, request.grant, request.reason
        )

    async def GetRepairApplication(
        self, request: pb.GetRepairApplicationRequest, context
    ) -> pb.RepairApplication:
        return await self.lifecycle.get_repair(request.id)

    async def ListRepairApplications(
        self, request: pb.ListRepairApplicationsRequest, context
    ) -> pb.ListRepairApplicationsResponse:
        return await self.lifecycle.list_repairs(current_principal(), request)

    async def GetChain(self, request: pb.GetChainRequest, context) -> pb.GetChainResponse:
        return await self.handlers.get_chain(request)

    async def VerifyChain(self, request: pb.VerifyChainRequest, context) -> pb.VerifyChainResponse:
        return await self.handlers.verify_chain(request.agency_code)

    async def PreviewMasking(self, request: pb.PublishDecisionRequest, context) -> pb.MaskingPreview:
        return await preview_masking(
            self.handlers, current_principal(), request.agency_code, request.decision
        )

    async def RemaskResults(self, request: pb.RemaskResultsRequest, context) -> pb.RemaskResultsResponse:
        return await remask(self.lifecycle, current_principal(), request.agency_code, request.dry_run)


def _item_outcome(index: int, outcome: Outcome) -> common_pb2.ItemOutcome:
    item = common_pb2.ItemOutcome(index=index)
    if outcome.error is None:
        item.accepted, item.id, item.duplicate = True, outcome.result.id, not outcome.created
        return item
    violations = getattr(outcome.error, "violations", None) or []
    item.errors.extend(common_pb2.FieldError(field=v.field, description=v.description) for v in violations)
    if not violations:
        item.errors.append(common_pb2.FieldError(field="", description=outcome.error.message))
    return item

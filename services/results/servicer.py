"""gRPC entrypoint of the results service: translate requests to handler calls."""

from __future__ import annotations

from gongshi.v1 import common_pb2, results_pb2_grpc
from gongshi.v1 import results_pb2 as pb
from services.results.handlers import ResultsHandlers
from services.runtime import limits
from services.runtime.errors import DomainError, ResourceExhausted
from services.runtime.grpc_server import current_principal

PUBLIC_METHODS = {
    "/gongshi.v1.ResultsService/GetResult",
    "/gongshi.v1.ResultsService/ListResults",
}


class ResultsServicer(results_pb2_grpc.ResultsServiceServicer):
    def __init__(self, handlers: ResultsHandlers) -> None:
        self.handlers = handlers

    async def PublishDecision(
        self, request: pb.PublishDecisionRequest, context
    ) -> pb.PublishDecisionResponse:
        result, created = await self.handlers.publish_decision(
            current_principal(), request.agency_code, request.decision
        )
        return pb.PublishDecisionResponse(result=result, created=created)

    async def BulkPublish(self, request_iterator, context) -> pb.BulkPublishResponse:
        # Each item is answered on its own: one bad row never drops the good ones.
        response = pb.BulkPublishResponse()
        principal = current_principal()
        index = 0
        async for request in request_iterator:
            if index >= limits.MAX_BULK_ITEMS:
                raise ResourceExhausted(f"a bulk call takes at most {limits.MAX_BULK_ITEMS} items")
            outcome = common_pb2.ItemOutcome(index=index)
            try:
                result, created = await self.handlers.publish_decision(
                    principal, request.agency_code, request.decision
                )
                outcome.accepted, outcome.id, outcome.duplicate = True, result.id, not created
                response.accepted += 1
            except DomainError as exc:
                violations = getattr(exc, "violations", None) or []
                outcome.errors.extend(
                    common_pb2.FieldError(field=v.field, description=v.description) for v in violations
                )
                if not violations:
                    outcome.errors.append(common_pb2.FieldError(field="", description=exc.message))
                response.refused += 1
            response.outcomes.append(outcome)
            index += 1
        return response

    async def GetResult(self, request: pb.GetResultRequest, context) -> pb.Result:
        return await self.handlers.get_result(request.id)

    async def ListResults(self, request: pb.ListResultsRequest, context) -> pb.ListResultsResponse:
        return await self.handlers.list_results(request)

"""Domain errors as gRPC answers: the status code for each error kind, and a
rich status whose google.rpc.BadRequest detail names every offending field."""

from __future__ import annotations

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from services.runtime import errors

_STATUS_BY_ERROR: list[tuple[type[errors.DomainError], int]] = [
    (errors.InvalidArgument, code_pb2.INVALID_ARGUMENT),
    (errors.NotFound, code_pb2.NOT_FOUND),
    (errors.AlreadyExists, code_pb2.ALREADY_EXISTS),
    (errors.FailedPrecondition, code_pb2.FAILED_PRECONDITION),
    (errors.PermissionDenied, code_pb2.PERMISSION_DENIED),
    (errors.Unauthenticated, code_pb2.UNAUTHENTICATED),
    (errors.ResourceExhausted, code_pb2.RESOURCE_EXHAUSTED),
]


def _status_code(exc: errors.DomainError) -> int:
    return next((c for cls, c in _STATUS_BY_ERROR if isinstance(exc, cls)), code_pb2.INTERNAL)


def status_for(exc: errors.DomainError) -> grpc.Status:
    """A rich status: the code, a readable message, and for bad input a
    google.rpc.BadRequest detail naming every offending field."""
    status = status_pb2.Status(code=_status_code(exc), message=exc.message)
    if isinstance(exc, errors.InvalidArgument):
        detail = any_pb2.Any()
        detail.Pack(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
                    for v in exc.violations
                ]
            )
        )
        status.details.append(detail)
    return rpc_status.to_status(status)


def code_name(exc: BaseException) -> str:
    if isinstance(exc, errors.DomainError):
        return code_pb2.Code.Name(_status_code(exc))
    return "INTERNAL"

"""gRPC server bootstrap: interceptors (tracing, credentials, error mapping),
health checking, reflection, and graceful shutdown."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

import grpc
from google.protobuf import any_pb2
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status
from opentelemetry.instrumentation.grpc import aio_server_interceptor
from opentelemetry.instrumentation.grpc.filters import health_check, negate

from services.runtime import errors, limits
from services.runtime.auth import Authenticator, Principal, parse_bearer
from services.runtime.metrics import RpcMetrics

log = logging.getLogger(__name__)

_principal: ContextVar[Principal | None] = ContextVar("gongshi_principal", default=None)


def current_principal() -> Principal | None:
    """The authenticated caller of the RPC being served (None: anonymous)."""
    return _principal.get()


_STATUS_BY_ERROR: list[tuple[type[errors.DomainError], int]] = [
    (errors.InvalidArgument, code_pb2.INVALID_ARGUMENT),
    (errors.NotFound, code_pb2.NOT_FOUND),
    (errors.AlreadyExists, code_pb2.ALREADY_EXISTS),
    (errors.FailedPrecondition, code_pb2.FAILED_PRECONDITION),
    (errors.PermissionDenied, code_pb2.PERMISSION_DENIED),
    (errors.Unauthenticated, code_pb2.UNAUTHENTICATED),
    (errors.ResourceExhausted, code_pb2.RESOURCE_EXHAUSTED),
]


def status_for(exc: errors.DomainError) -> grpc.Status:
    """A rich status: the code, a readable message, and for bad input a
    google.rpc.BadRequest detail naming every offending field."""
    code = next((c for cls, c in _STATUS_BY_ERROR if isinstance(exc, cls)), code_pb2.INTERNAL)
    status = status_pb2.Status(code=code, message=exc.message)
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


class CallerInterceptor(grpc.aio.ServerInterceptor):
    """Authenticates the caller and maps domain errors to status codes.

    Methods listed as public accept anonymous callers; every other method
    needs a valid credential. Which credential may do what is decided by the
    handler (it knows which agency owns the record).
    """

    def __init__(self, authenticator: Authenticator, public_methods: Iterable[str]) -> None:
        self.authenticator = authenticator
        self.public_methods = frozenset(public_methods)

    def allow_anonymous(self, methods: Iterable[str]) -> None:
        """Mark more methods public (a servicer registered after construction)."""
        self.public_methods = self.public_methods | frozenset(methods)

    async def intercept_service(self, continuation, details):
        handler = await continuation(details)
        if handler is None or details.method.startswith("/grpc."):
            return handler
        metadata = dict(details.invocation_metadata or ())
        guard = _Guard(
            self.authenticator, metadata.get("authorization"), details.method in self.public_methods
        )
        return _wrap(handler, guard, details.method)


@dataclass
class _Guard:
    authenticator: Authenticator
    authorization: str | None
    public: bool

    async def principal(self) -> Principal | None:
        token = parse_bearer(self.authorization)
        if token is None:
            if self.public:
                return None
            raise errors.Unauthenticated("this operation needs a credential (authorization: Bearer <token>)")
        return await self.authenticator.authenticate(token)


def _code_name(exc: Exception) -> str:
    if isinstance(exc, errors.DomainError):
        return code_pb2.Code.Name(
            next((c for cls, c in _STATUS_BY_ERROR if isinstance(exc, cls)), code_pb2.INTERNAL)
        )
    return "INTERNAL"


@cache
def _rpc_metrics() -> RpcMetrics:
    return RpcMetrics("gongshi_rpc")


async def _fail(context: grpc.aio.ServicerContext, exc: Exception) -> None:
    if isinstance(exc, errors.DomainError):
        status = status_for(exc)
        await context.abort(status.code, status.details, status.trailing_metadata)
    log.exception("unexpected error", exc_info=exc)
    await context.abort(grpc.StatusCode.INTERNAL, "internal error; it has been logged")


class _Undecodable:
    """Bytes that are not the method's request message. gRPC would answer
    INTERNAL ("Exception deserializing request"); this is the caller's error."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def refusal(self) -> errors.InvalidArgument:
        return errors.invalid("request", "is not a valid protobuf message of this method's request type")


def _tolerant(deserializer):
    if deserializer is None:
        return None

    def parse(raw: bytes):
        try:
            return deserializer(raw)
        except Exception as exc:
            return _Undecodable(exc)

    return parse


async def _decoded(requests: AsyncIterator):
    """A client stream whose undecodable message ends the call as INVALID_ARGUMENT."""
    async for request in requests:
        if isinstance(request, _Undecodable):
            raise request.refusal()
        _refuse_nul(request)
        yield request


def _refuse_nul(message: Message) -> None:
    """No text field may hold U+0000: PostgreSQL cannot store it (the write would
    fail as INTERNAL) and no legitimate text needs it."""
    fields = _nul_fields(message)
    if fields:
        raise errors.InvalidArgument(
            [errors.FieldViolation(f, "must not contain the NUL character (U+0000)") for f in fields]
        )


def _nul_fields(message: Message, prefix: str = "") -> list[str]:
    found: list[str] = []
    for field, value in message.ListFields():
        name = prefix + field.name
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            for key, item in value.items():
                if isinstance(key, str) and "\x00" in key:
                    found.append(f"{name}[{key!r}]")
                if isinstance(item, str) and "\x00" in item:
                    found.append(f"{name}[{key!r}]")
                elif isinstance(item, Message):
                    found += _nul_fields(item, f"{name}[{key!r}].")
        elif field.type == FieldDescriptor.TYPE_STRING:
            items = value if field.is_repeated else [value]
            for i, item in enumerate(items):
                if "\x00" in item:
                    found.append(f"{name}[{i}]" if field.is_repeated else name)
        elif field.type == FieldDescriptor.TYPE_MESSAGE:
            items = value if field.is_repeated else [value]
            for i, item in enumerate(items):
                found += _nul_fields(item, f"{name}[{i}]." if field.is_repeated else f"{name}.")
    return found


def _wrap(handler: grpc.RpcMethodHandler, guard: _Guard, method: str) -> grpc.RpcMethodHandler:
    async def call(behaviour, request, context):
        started, code = time.perf_counter(), "OK"
        try:
            try:
                token = _principal.set(await guard.principal())
            except errors.DomainError as exc:
                code = _code_name(exc)
                await _fail(context, exc)
            try:
                if isinstance(request, _Undecodable):
                    raise request.refusal()
                if isinstance(request, AsyncIterator):
                    request = _decoded(request)
                else:
                    _refuse_nul(request)
                return await behaviour(request, context)
            except grpc.aio.AbortError:
                code = "ABORTED_BY_HANDLER"
                raise
            except Exception as exc:
                code = _code_name(exc)
                await _fail(context, exc)
            finally:
                _principal.reset(token)
        finally:
            _rpc_metrics().observe(method, code, time.perf_counter() - started)

    kwargs = dict(
        request_deserializer=_tolerant(handler.request_deserializer),
        response_serializer=handler.response_serializer,
    )
    if handler.unary_unary:
        return grpc.unary_unary_rpc_method_handler(
            lambda request, context: call(handler.unary_unary, request, context), **kwargs
        )
    if handler.stream_unary:
        return grpc.stream_unary_rpc_method_handler(
            lambda requests, context: call(handler.stream_unary, requests, context), **kwargs
        )
    # Server-streaming methods are wrapped by their own servicer when added.
    return handler


GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", limits.MAX_GRPC_MESSAGE_BYTES),
    ("grpc.max_send_message_length", limits.MAX_GRPC_MESSAGE_BYTES),
    ("grpc.so_reuseport", 0),
]


class GrpcServer:
    def __init__(self, interceptor: CallerInterceptor) -> None:
        self.interceptor = interceptor
        self.server = grpc.aio.server(
            interceptors=[aio_server_interceptor(filter_=negate(health_check())), interceptor],
            options=GRPC_OPTIONS,
        )
        self.health = health.aio.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        self.service_names: list[str] = []
        self.port = 0

    def add(
        self,
        add_to_server: Callable[[object, grpc.aio.Server], None],
        servicer: object,
        service_full_name: str,
        *,
        public_methods: Iterable[str] = (),
    ) -> None:
        """Serve a servicer; `public_methods` (full method names) accept anonymous callers."""
        add_to_server(servicer, self.server)
        self.interceptor.allow_anonymous(public_methods)
        self.service_names.append(service_full_name)

    async def start(self, host: str, port: int, credentials: grpc.ServerCredentials | None = None) -> int:
        reflection.enable_server_reflection(
            [*self.service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], self.server
        )
        address = f"{host}:{port}"
        # TLS when configured (services/runtime/tls.py); plaintext on the loopback default.
        self.port = (
            self.server.add_secure_port(address, credentials)
            if credentials is not None
            else self.server.add_insecure_port(address)
        )
        if self.port == 0:
            raise OSError(f"cannot listen on {host}:{port} (port taken?)")
        await self.server.start()
        return self.port

    async def set_serving(self, serving: bool) -> None:
        status = (
            health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in ("", *self.service_names):
            await self.health.set(name, status)

    async def stop(self, grace: float) -> None:
        await self.server.stop(grace)

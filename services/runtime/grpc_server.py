"""gRPC server bootstrap: tracing, credentials, metrics and error mapping
around every method, health checking, reflection, and graceful shutdown.

Nothing is decided per call that can be decided per method: each servicer's
method handlers are wrapped once, when the servicer is added, instead of
through server interceptors (which gRPC runs, and which rebuild a handler, on
every call). A wrapped unary or client-streaming method, in this order:

1. opens the SERVER span (the caller's trace context from the metadata; the
   attributes of the OpenTelemetry gRPC instrumentation);
2. authenticates the caller (methods listed as public accept anonymous ones);
3. refuses a request that is not the method's message, or whose text holds
   U+0000, as INVALID_ARGUMENT naming each field;
4. runs the handler, maps domain errors to rich statuses (google.rpc.BadRequest
   naming every offending field), and counts the call per method and code.

Health checks are neither traced nor counted; other `/grpc.` services
(reflection) are traced only, and need no credential.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from time import perf_counter
from urllib.parse import unquote

import grpc
from google.protobuf import any_pb2
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection, reflection_pb2_grpc
from grpc_status import rpc_status
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace.status import Status, StatusCode

from services.runtime import errors, limits
from services.runtime.auth import Authenticator, Principal, parse_bearer
from services.runtime.drain import CUT_REPLY_SECONDS, STOPPING, Drain
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


def _code_name(exc: BaseException) -> str:
    if isinstance(exc, errors.DomainError):
        return code_pb2.Code.Name(_status_code(exc))
    return "INTERNAL"


class CallGuard:
    """Who may call what: authenticates the caller and maps domain errors to
    status codes, around each method of the servicers GrpcServer serves.

    Methods listed as public accept anonymous callers; every other method
    needs a valid credential. Which credential may do what is decided by the
    handler (it knows which agency owns the record). GrpcServer wraps each
    method once, when its servicer is added (with tracing and metrics).
    """

    def __init__(self, authenticator: Authenticator, public_methods: Iterable[str]) -> None:
        self.authenticator = authenticator
        self.public_methods = frozenset(public_methods)
        self._tracer: trace.Tracer | None = None
        self.drain = Drain()

    def allow_anonymous(self, methods: Iterable[str]) -> None:
        """Mark more methods public (a servicer registered after construction)."""
        self.public_methods = self.public_methods | frozenset(methods)

    async def principal(self, authorization: str | None, method: str) -> Principal | None:
        token = parse_bearer(authorization)
        if token is None:
            if method in self.public_methods:
                return None
            raise errors.Unauthenticated("this operation needs a credential (authorization: Bearer <token>)")
        return await self.authenticator.authenticate(token)

    @property
    def tracer(self) -> trace.Tracer:
        if self._tracer is None:
            # The instrumentation scope of opentelemetry-instrumentation-grpc, whose
            # spans these replace (a proxy until a tracer provider is installed).
            self._tracer = trace.get_tracer(
                "opentelemetry.instrumentation.grpc",
                _grpc_instrumentation_version(),
                schema_url="https://opentelemetry.io/schemas/1.11.0",
            )
        return self._tracer

    def wrap(self, method: str, handler: grpc.RpcMethodHandler | None) -> grpc.RpcMethodHandler | None:
        """The handler with tracing, credentials, input checks, error mapping and
        metrics (see the module docstring); health checks are returned as they are."""
        if handler is None or method.startswith(_HEALTH):
            return handler
        if method.startswith("/grpc."):
            return _traced_only(method, handler, self.tracer)
        return _guarded(method, handler, self, self.tracer)


_HEALTH = f"/{health.SERVICE_NAME}/"


@lru_cache(maxsize=1)
def _rpc_metrics() -> RpcMetrics:
    return RpcMetrics("gongshi_rpc")


# -- request checks (in the deserializer: the raw bytes are at hand there) ----


class _Refused:
    """A request refused while deserializing. It reaches the handler wrapper in
    place of the message, which raises `error` once the caller is authenticated."""

    __slots__ = ("error",)

    def __init__(self, error: errors.InvalidArgument) -> None:
        self.error = error


def _checked(deserializer):
    """Bytes that are not the method's request message would be INTERNAL
    ("Exception deserializing request") in gRPC; this is the caller's error.

    The NUL check walks the message only when its bytes hold a zero byte at
    all: UTF-8 encodes U+0000 only as 0x00, so without one no text field can
    hold it (zero bytes also occur in numbers and empty fields, which then take
    the walk and pass it).
    """
    if deserializer is None:
        return None

    def parse(raw: bytes):
        try:
            message = deserializer(raw)
        except Exception:
            return _Refused(
                errors.invalid("request", "is not a valid protobuf message of this method's request type")
            )
        if b"\x00" in raw:
            fields = _nul_fields(message)
            if fields:
                return _Refused(_nul_refusal(fields))
        return message

    return parse


def _nul_refusal(fields: list[str]) -> errors.InvalidArgument:
    return errors.InvalidArgument(
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


async def _decoded(requests: AsyncIterator):
    """A client stream whose refused message ends the call as INVALID_ARGUMENT."""
    async for request in requests:
        if type(request) is _Refused:
            raise request.error
        yield request


# -- tracing --------------------------------------------------------------------

_RPC_SYSTEM = "rpc.system"
_RPC_STATUS = "rpc.grpc.status_code"
# What the OpenTelemetry gRPC instrumentation marks as an error on a server span.
_ERROR_CODES = frozenset(
    {
        grpc.StatusCode.UNKNOWN,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.UNIMPLEMENTED,
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DATA_LOSS,
    }
)


def _method_attributes(method: str) -> dict:
    service, _, name = method.lstrip("/").partition("/")
    return {
        _RPC_SYSTEM: "grpc",
        _RPC_STATUS: grpc.StatusCode.OK.value[0],
        "rpc.method": name,
        "rpc.service": service,
    }


@lru_cache(maxsize=512)
def _peer_attributes(peer: str) -> tuple[tuple[str, str], ...]:
    """net.peer.* from "ipv4:127.0.0.1:57284", "ipv6:%5B::1%5D:57284", ..."""
    if peer.startswith("unix:"):
        return ()
    try:
        ip, port = peer.split(",")[0].split(":", 1)[1].rsplit(":", 1)
    except (IndexError, ValueError):
        log.warning("Failed to parse peer address '%s'", peer)
        return ()
    ip = unquote(ip)
    found = (("net.peer.ip", ip), ("net.peer.port", port))
    return (*found, ("net.peer.name", "localhost")) if ip in ("[::1]", "127.0.0.1") else found


def _start_span(tracer: trace.Tracer, method: str, base: dict, metadata: dict, context) -> tuple:
    """The SERVER span of one call, child of the caller's span (W3C trace context
    in the metadata), made current; returns (span, token to detach)."""
    parent = propagate.extract(metadata)
    attributes = base.copy()
    user_agent = metadata.get("user-agent")
    if user_agent is not None:
        attributes["rpc.user_agent"] = user_agent
    attributes.update(_peer_attributes(context.peer() or ""))
    span = tracer.start_span(method, parent, trace.SpanKind.SERVER, attributes)
    return span, otel_context.attach(trace.set_span_in_context(span, parent))


def _mark_status(span: trace.Span, code: grpc.StatusCode, details: str) -> None:
    span.set_attribute(_RPC_STATUS, code.value[0])
    if code in _ERROR_CODES:
        span.set_status(Status(StatusCode.ERROR, f"{code}:{details}"))


def _mark_handler_abort(span: trace.Span, context) -> None:
    """A handler that aborted the call itself: its code, as far as the context tells."""
    try:
        code, details = context.code(), context.details()
    except Exception:
        return
    if isinstance(code, grpc.StatusCode):
        _mark_status(span, code, details or "")


async def _fail(context: grpc.aio.ServicerContext, exc: Exception, span: trace.Span) -> None:
    if isinstance(exc, errors.DomainError):
        status = status_for(exc)
        _mark_status(span, status.code, status.details)
        await context.abort(status.code, status.details, status.trailing_metadata)
    log.exception("unexpected error", exc_info=exc)
    _mark_status(span, grpc.StatusCode.INTERNAL, "internal error; it has been logged")
    await context.abort(grpc.StatusCode.INTERNAL, "internal error; it has been logged")


# -- the wrappers, built once per method -----------------------------------------


def _grpc_instrumentation_version() -> str:
    """The installed opentelemetry-instrumentation-grpc's version, read from its
    version.py: importing the package for it costs ~2 MB in every service."""
    spec = importlib.util.find_spec("opentelemetry.instrumentation.grpc")
    if spec is None or not spec.submodule_search_locations:
        return ""
    text = (Path(spec.submodule_search_locations[0]) / "version.py").read_text(encoding="utf-8")
    found = re.search(r"__version__\s*=\s*[\"']([^\"']+)", text)
    return found.group(1) if found else ""


def _guarded(
    method: str, handler: grpc.RpcMethodHandler, caller: CallGuard, tracer: trace.Tracer
) -> grpc.RpcMethodHandler:
    if handler.unary_unary:
        behaviour, streaming, make = handler.unary_unary, False, grpc.unary_unary_rpc_method_handler
    elif handler.stream_unary:
        behaviour, streaming, make = handler.stream_unary, True, grpc.stream_unary_rpc_method_handler
    else:
        # Server-streaming methods are wrapped by their own servicer when added.
        return _traced_only(method, handler, tracer)
    base = _method_attributes(method)
    metrics = _rpc_metrics()

    async def call(request, context):
        started = perf_counter()
        metadata = dict(context.invocation_metadata() or ())
        span, attached = _start_span(tracer, method, base, metadata, context)
        code = "OK"
        try:
            await caller.drain.admit(context)
            try:
                principal = await caller.principal(metadata.get("authorization"), method)
            except errors.DomainError as exc:
                code = _code_name(exc)
                await _fail(context, exc, span)
            token = _principal.set(principal)
            try:
                if type(request) is _Refused:
                    raise request.error
                return await behaviour(_decoded(request) if streaming else request, context)
            except grpc.aio.AbortError:
                code = "ABORTED_BY_HANDLER"
                _mark_handler_abort(span, context)
                raise
            except Exception as exc:
                code = _code_name(exc)
                await _fail(context, exc, span)
            finally:
                _principal.reset(token)
        except asyncio.CancelledError as exc:
            if not caller.drain.was_cut():
                span.record_exception(exc)
                raise
            # Cut by a graceful stop (runtime/drain.py): a code clients retry.
            code = "UNAVAILABLE"
            _mark_status(span, grpc.StatusCode.UNAVAILABLE, STOPPING)
            await context.abort(grpc.StatusCode.UNAVAILABLE, STOPPING)
        except BaseException as exc:
            span.record_exception(exc)
            raise
        finally:
            caller.drain.release()
            otel_context.detach(attached)
            span.end()
            metrics.observe(method, code, perf_counter() - started)

    return make(
        call,
        request_deserializer=_checked(handler.request_deserializer),
        response_serializer=handler.response_serializer,
    )


def _traced_only(method: str, handler: grpc.RpcMethodHandler, tracer: trace.Tracer) -> grpc.RpcMethodHandler:
    base = _method_attributes(method)

    def traced(behaviour, streaming_response: bool):
        if streaming_response:
            if not inspect.isasyncgenfunction(behaviour):
                return behaviour

            async def stream(request, context):
                span, attached = _start_span(
                    tracer, method, base, dict(context.invocation_metadata() or ()), context
                )
                try:
                    async for response in behaviour(request, context):
                        yield response
                except BaseException as exc:
                    span.record_exception(exc)
                    raise
                finally:
                    otel_context.detach(attached)
                    span.end()

            return stream
        if not inspect.iscoroutinefunction(behaviour):
            return behaviour

        async def unary(request, context):
            span, attached = _start_span(
                tracer, method, base, dict(context.invocation_metadata() or ()), context
            )
            try:
                return await behaviour(request, context)
            except BaseException as exc:
                span.record_exception(exc)
                raise
            finally:
                otel_context.detach(attached)
                span.end()

        return unary

    kwargs = dict(
        request_deserializer=handler.request_deserializer, response_serializer=handler.response_serializer
    )
    if handler.unary_unary:
        return grpc.unary_unary_rpc_method_handler(traced(handler.unary_unary, False), **kwargs)
    if handler.stream_unary:
        return grpc.stream_unary_rpc_method_handler(traced(handler.stream_unary, False), **kwargs)
    if handler.unary_stream:
        return grpc.unary_stream_rpc_method_handler(traced(handler.unary_stream, True), **kwargs)
    if handler.stream_stream:
        return grpc.stream_stream_rpc_method_handler(traced(handler.stream_stream, True), **kwargs)
    return handler


class _WrappedGenericHandler(grpc.ServiceRpcHandler):
    """A servicer's generic handler whose method handlers come out wrapped
    (each wrapped once, on first use)."""

    def __init__(self, inner: grpc.GenericRpcHandler, caller: CallGuard) -> None:
        self._inner = inner
        self._caller = caller
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler | None]] = {}

    def service_name(self) -> str:
        name = getattr(self._inner, "service_name", None)
        return name() if name is not None else ""

    def service(self, handler_call_details):
        handler = self._inner.service(handler_call_details)
        if handler is None:
            return None
        method = handler_call_details.method
        cached = self._wrapped.get(method)
        if cached is None or cached[0] is not handler:
            cached = (handler, self._caller.wrap(method, handler))
            self._wrapped[method] = cached
        return cached[1]


class _Registrar:
    """What a generated add_XServicer_to_server is given instead of the server:
    it registers the servicer's handlers wrapped."""

    def __init__(self, server: grpc.aio.Server, caller: CallGuard) -> None:
        self._server = server
        self._caller = caller

    def add_generic_rpc_handlers(self, generic_rpc_handlers) -> None:
        self._server.add_generic_rpc_handlers(
            tuple(_WrappedGenericHandler(h, self._caller) for h in generic_rpc_handlers)
        )

    def add_registered_method_handlers(self, service_name: str, method_handlers: dict) -> None:
        self._server.add_registered_method_handlers(
            service_name,
            {
                name: self._caller.wrap(f"/{service_name}/{name}", handler)
                for name, handler in method_handlers.items()
            },
        )

    def __getattr__(self, name: str):
        return getattr(self._server, name)


GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", limits.MAX_GRPC_MESSAGE_BYTES),
    ("grpc.max_send_message_length", limits.MAX_GRPC_MESSAGE_BYTES),
    ("grpc.so_reuseport", 0),
]


class GrpcServer:
    def __init__(self, guard: CallGuard) -> None:
        self.guard = guard
        # No server interceptors: every servicer's handlers are wrapped when added.
        self.server = grpc.aio.server(options=GRPC_OPTIONS)
        self._registrar = _Registrar(self.server, guard)
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
        self.guard.allow_anonymous(public_methods)
        add_to_server(servicer, self._registrar)
        self.service_names.append(service_full_name)

    async def start(self, host: str, port: int, credentials: grpc.ServerCredentials | None = None) -> int:
        # What reflection.enable_server_reflection does for an aio server, but
        # through the registrar, so that reflection calls are traced as before.
        reflection_pb2_grpc.add_ServerReflectionServicer_to_server(
            reflection.aio.ReflectionServicer(
                [*self.service_names, health.SERVICE_NAME, reflection.SERVICE_NAME]
            ),
            self._registrar,
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
        """Refuse new calls, let in-flight ones finish within `grace`, answer the
        rest UNAVAILABLE (runtime/drain.py), then stop the server."""
        await self.guard.drain.drain(grace)
        await self.server.stop(CUT_REPLY_SECONDS)

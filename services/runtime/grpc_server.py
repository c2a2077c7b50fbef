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
import inspect
import logging
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from time import perf_counter

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection, reflection_pb2_grpc
from opentelemetry import context as otel_context
from opentelemetry import trace

from services.runtime import errors, limits
from services.runtime.auth import Authenticator, Principal, parse_bearer
from services.runtime.drain import CUT_REPLY_SECONDS, STOPPING, Drain
from services.runtime.metrics import RpcMetrics
from services.runtime.rpc_errors import code_name
from services.runtime.rpc_inputs import Refused, checked, decoded_stream
from services.runtime.rpc_tracing import (
    fail_call,
    grpc_instrumentation_version,
    mark_handler_abort,
    mark_status,
    method_attributes,
    start_server_span,
)

log = logging.getLogger(__name__)

_principal: ContextVar[Principal | None] = ContextVar("gongshi_principal", default=None)


def current_principal() -> Principal | None:
    """The authenticated caller of the RPC being served (None: anonymous)."""
    return _principal.get()


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
                grpc_instrumentation_version(),
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


# -- the wrappers, built once per method -----------------------------------------


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
    base = method_attributes(method)
    metrics = _rpc_metrics()

    async def call(request, context):
        started = perf_counter()
        metadata = dict(context.invocation_metadata() or ())
        span, attached = start_server_span(tracer, method, base, metadata, context)
        code = "OK"
        try:
            await caller.drain.admit(context)
            try:
                principal = await caller.principal(metadata.get("authorization"), method)
            except errors.DomainError as exc:
                code = code_name(exc)
                await fail_call(context, exc, span)
            token = _principal.set(principal)
            try:
                if type(request) is Refused:
                    raise request.error
                return await behaviour(decoded_stream(request) if streaming else request, context)
            except grpc.aio.AbortError:
                code = "ABORTED_BY_HANDLER"
                mark_handler_abort(span, context)
                raise
            except Exception as exc:
                code = code_name(exc)
                await fail_call(context, exc, span)
            finally:
                _principal.reset(token)
        except asyncio.CancelledError as exc:
            if not caller.drain.was_cut():
                span.record_exception(exc)
                raise
            # Cut by a graceful stop (runtime/drain.py): a code clients retry.
            code = "UNAVAILABLE"
            mark_status(span, grpc.StatusCode.UNAVAILABLE, STOPPING)
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
        request_deserializer=checked(handler.request_deserializer),
        response_serializer=handler.response_serializer,
    )


def _traced_only(method: str, handler: grpc.RpcMethodHandler, tracer: trace.Tracer) -> grpc.RpcMethodHandler:
    base = method_attributes(method)

    @contextmanager
    def server_span(context):
        span, attached = start_server_span(
            tracer, method, base, dict(context.invocation_metadata() or ()), context
        )
        try:
            yield
        except BaseException as exc:
            span.record_exception(exc)
            raise
        finally:
            otel_context.detach(attached)
            span.end()

    def traced(behaviour, streaming_response: bool):
        if streaming_response:
            if not inspect.isasyncgenfunction(behaviour):
                return behaviour

            async def stream(request, context):
                with server_span(context):
                    async for response in behaviour(request, context):
                        yield response

            return stream
        if not inspect.iscoroutinefunction(behaviour):
            return behaviour

        async def unary(request, context):
            with server_span(context):
                return await behaviour(request, context)

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

"""The SERVER span of each gRPC call, as OpenTelemetry's gRPC instrumentation
makes it (same scope, attributes and error rule), and the failure path that
answers a domain error with its rich status and marks the span."""

from __future__ import annotations

import importlib.util
import logging
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import grpc
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace.status import Status, StatusCode

from services.runtime import errors
from services.runtime.rpc_errors import status_for

log = logging.getLogger(__name__)


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


def method_attributes(method: str) -> dict:
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


def start_server_span(tracer: trace.Tracer, method: str, base: dict, metadata: dict, context) -> tuple:
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


def mark_status(span: trace.Span, code: grpc.StatusCode, details: str) -> None:
    span.set_attribute(_RPC_STATUS, code.value[0])
    if code in _ERROR_CODES:
        span.set_status(Status(StatusCode.ERROR, f"{code}:{details}"))


def mark_handler_abort(span: trace.Span, context) -> None:
    """A handler that aborted the call itself: its code, as far as the context tells."""
    try:
        code, details = context.code(), context.details()
    except Exception:
        return
    if isinstance(code, grpc.StatusCode):
        mark_status(span, code, details or "")


async def fail_call(context: grpc.aio.ServicerContext, exc: Exception, span: trace.Span) -> None:
    if isinstance(exc, errors.DomainError):
        status = status_for(exc)
        mark_status(span, status.code, status.details)
        await context.abort(status.code, status.details, status.trailing_metadata)
    log.exception("unexpected error", exc_info=exc)
    mark_status(span, grpc.StatusCode.INTERNAL, "internal error; it has been logged")
    await context.abort(grpc.StatusCode.INTERNAL, "internal error; it has been logged")


def grpc_instrumentation_version() -> str:
    """The installed opentelemetry-instrumentation-grpc's version, read from its
    version.py: importing the package for it costs ~2 MB in every service."""
    spec = importlib.util.find_spec("opentelemetry.instrumentation.grpc")
    if spec is None or not spec.submodule_search_locations:
        return ""
    text = (Path(spec.submodule_search_locations[0]) / "version.py").read_text(encoding="utf-8")
    found = re.search(r"__version__\s*=\s*[\"']([^\"']+)", text)
    return found.group(1) if found else ""

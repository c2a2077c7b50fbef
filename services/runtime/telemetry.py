"""OpenTelemetry and logging set-up, once per process after it starts.

Every operation gets a span with a valid context (so trace context reaches
NATS headers, the outbox and the logs); spans leave the process only when an
exporter is configured. While no span processor is installed at all (no
exporter: nothing would ever read a span's name, attributes or events), the
tracers hand out non-recording spans that still carry their own trace and span
ids, with the sampler's decision: the trace propagates exactly as before, at a
fraction of the cost. Adding a processor (an exporter, a test's in-memory one)
turns full spans back on from the next span.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping

from opentelemetry import context, propagate, trace
from opentelemetry.sdk import trace as sdk_trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

from services.runtime.settings import Settings

_configured = False


def setup_telemetry(service_name: str, settings: Settings, exporter: SpanExporter | None = None) -> None:
    """Install the tracer provider and logging for this process (idempotent)."""
    global _configured
    if _configured:
        return
    _configured = True
    provider = _LeanTracerProvider(resource=Resource.create({"service.name": f"gongshi-{service_name}"}))
    chosen = exporter or _exporter_from_settings(settings)
    if chosen is not None:
        provider.add_span_processor(BatchSpanProcessor(chosen))
    trace.set_tracer_provider(provider)
    _setup_logging(service_name, settings)


class _LeanTracer(sdk_trace.Tracer):
    """The SDK tracer, except that without any span processor it returns the
    span the SDK would return for a sampled-out span (a NonRecordingSpan with
    fresh ids), but flagged as the sampler decided: what propagates is the same."""

    def start_span(
        self,
        name: str,
        context: context.Context | None = None,
        kind: trace.SpanKind = trace.SpanKind.INTERNAL,
        attributes=None,
        links=(),
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
    ) -> trace.Span:
        if getattr(self.span_processor, "_span_processors", True) or not self._is_enabled():
            return super().start_span(
                name, context, kind, attributes, links, start_time, record_exception, set_status_on_exception
            )
        parent = trace.get_current_span(context).get_span_context()
        if parent.is_valid:
            trace_id, random_trace_id = parent.trace_id, parent.trace_flags.random_trace_id
        else:
            trace_id = self.id_generator.generate_trace_id()
            random_trace_id = self.id_generator.is_trace_id_random()
        decision = self.sampler.should_sample(context, trace_id, name, kind, attributes, links or ())
        flags = trace.TraceFlags.SAMPLED if decision.decision.is_sampled() else trace.TraceFlags.DEFAULT
        if random_trace_id:
            flags |= trace.TraceFlags.RANDOM_TRACE_ID
        return trace.NonRecordingSpan(
            trace.SpanContext(
                trace_id,
                self.id_generator.generate_span_id(),
                is_remote=False,
                trace_flags=trace.TraceFlags(flags),
                trace_state=decision.trace_state,
            )
        )


class _LeanTracerProvider(TracerProvider):
    def get_tracer(self, *args, **kwargs) -> trace.Tracer:
        tracer = super().get_tracer(*args, **kwargs)
        if type(tracer) is sdk_trace.Tracer:
            # Same state, one method different (see _LeanTracer).
            tracer.__class__ = _LeanTracer
        return tracer


def _exporter_from_settings(settings: Settings) -> SpanExporter | None:
    if settings.otlp_endpoint or settings.trace_exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.otlp_endpoint.rstrip("/")
        return OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces" if endpoint else None)
    if settings.trace_exporter == "console":
        return ConsoleSpanExporter(out=sys.stderr)
    return None


def flush_telemetry() -> None:
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.force_flush()


def shutdown_telemetry() -> None:
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.shutdown()


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def inject_headers(headers: dict[str, str], ctx: context.Context | None = None) -> dict[str, str]:
    """Write the W3C trace context (traceparent, tracestate) of `ctx`, by default
    the current one, into headers."""
    propagate.inject(headers, ctx)
    return headers


def extract_context(headers: Mapping[str, str] | None) -> context.Context:
    # The propagators only read the carrier: a dict needs no copy.
    return propagate.extract(headers if type(headers) is dict else dict(headers or {}))


def current_trace_id() -> str:
    ctx = trace.get_current_span().get_span_context()
    return f"{ctx.trace_id:032x}" if ctx.is_valid else ""


class _JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
            "trace_id": current_trace_id(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class _TraceIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.trace_id = current_trace_id() or "-"
        return True


def _setup_logging(service: str, settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(_JsonFormatter(service))
    else:
        handler.addFilter(_TraceIdFilter())
        handler.setFormatter(
            logging.Formatter(f"%(asctime)s %(levelname)s {service} %(name)s [%(trace_id)s] %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())

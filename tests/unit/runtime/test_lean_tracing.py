"""Without any span processor the tracer hands out non-recording spans that
still carry fresh ids and the sampler's decision, so trace context propagates
exactly as with full spans; a processor added later gets full spans."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ParentBased

from services.runtime import telemetry

REMOTE_TRACE = 0x0AF7651916CD43DD8448EB211C80319C


def _provider(**kwargs) -> telemetry._LeanTracerProvider:
    return telemetry._LeanTracerProvider(resource=Resource.create({"service.name": "t"}), **kwargs)


def test_without_a_processor_spans_are_not_recorded_but_propagate():
    tracer = _provider().get_tracer("test")
    with tracer.start_as_current_span("root") as root:
        assert not root.is_recording()
        headers = telemetry.inject_headers({})
        with tracer.start_as_current_span("child") as child:
            pass
    root_context, child_context = root.get_span_context(), child.get_span_context()
    assert root_context.is_valid and root_context.trace_flags.sampled
    assert child_context.trace_id == root_context.trace_id
    assert child_context.span_id != root_context.span_id
    _, trace_id, span_id, flags = headers["traceparent"].split("-")
    assert (int(trace_id, 16), int(span_id, 16)) == (root_context.trace_id, root_context.span_id)
    assert int(flags, 16) & 1 == 1
    assert telemetry.current_trace_id() == ""  # nothing leaks out of the with blocks


def test_a_remote_parent_is_continued_with_its_sampling_flag():
    tracer = _provider().get_tracer("test")
    for flags, sampled in (("01", True), ("00", False)):
        parent = telemetry.extract_context(
            {"traceparent": f"00-{REMOTE_TRACE:032x}-b7ad6b7169203331-{flags}"}
        )
        span = tracer.start_span("server", parent, trace.SpanKind.SERVER)
        context = span.get_span_context()
        assert context.trace_id == REMOTE_TRACE and context.span_id != 0xB7AD6B7169203331
        assert context.trace_flags.sampled is sampled


def test_the_sampler_still_decides():
    tracer = _provider(sampler=ParentBased(ALWAYS_OFF)).get_tracer("test")
    span = tracer.start_span("root")
    assert span.get_span_context().is_valid and not span.get_span_context().trace_flags.sampled


def test_a_processor_added_later_gets_full_spans():
    provider = _provider()
    tracer = provider.get_tracer("test")
    assert not tracer.start_span("before").is_recording()
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with tracer.start_as_current_span("after", attributes={"k": "v"}) as span:
        assert span.is_recording()
    (finished,) = exporter.get_finished_spans()
    assert finished.name == "after" and finished.attributes["k"] == "v"

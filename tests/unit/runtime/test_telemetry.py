"""Structured logs carry the trace id; exporters follow the settings."""

from __future__ import annotations

import json
import logging

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from services.runtime import telemetry
from services.runtime.settings import Settings


def test_json_log_lines_carry_the_trace_id():
    tracer = TracerProvider().get_tracer("test")
    formatter = telemetry._JsonFormatter("results")
    with tracer.start_as_current_span("work") as span:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "published %s", ("R1",), None)
        line = json.loads(formatter.format(record))
    assert line["msg"] == "published R1" and line["service"] == "results"
    assert line["trace_id"] == f"{span.get_span_context().trace_id:032x}"


def test_exporter_is_chosen_by_settings():
    assert telemetry._exporter_from_settings(Settings()) is None
    otlp = telemetry._exporter_from_settings(Settings(otlp_endpoint="http://collector:4318"))
    assert type(otlp).__name__ == "OTLPSpanExporter"
    assert type(telemetry._exporter_from_settings(Settings(trace_exporter="console"))).__name__ == (
        "ConsoleSpanExporter"
    )


def test_trace_context_round_trips_through_headers():
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("write") as span:
        headers = telemetry.inject_headers({})
    assert headers["traceparent"].split("-")[1] == f"{span.get_span_context().trace_id:032x}"
    extracted = trace.get_current_span(telemetry.extract_context(headers)).get_span_context()
    assert extracted.span_id == span.get_span_context().span_id

"""OpenTelemetry metrics with Prometheus exposition.

Each process registers its instruments here; services serve them on their
metrics port (GONGSHI_<SERVICE>_METRICS_PORT), the gateway at /metrics.
Gauges whose value needs I/O (outbox backlog, consumer lag) read values the
owning loop caches, because observable callbacks run synchronously.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from opentelemetry import metrics
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics import AlwaysOffExemplarFilter, MeterProvider
from opentelemetry.sdk.resources import Resource
from prometheus_client import REGISTRY, generate_latest, start_http_server

log = logging.getLogger(__name__)
_configured = False


def setup_metrics(service_name: str) -> None:
    """Install the meter provider with a Prometheus reader (idempotent)."""
    global _configured
    if _configured:
        return
    _configured = True
    provider = MeterProvider(
        resource=Resource.create({"service.name": f"gongshi-{service_name}"}),
        metric_readers=[PrometheusMetricReader()],
        # The Prometheus exposition carries no exemplars: sampling them would only
        # cost time on every measurement taken inside a span (every RPC's).
        exemplar_filter=AlwaysOffExemplarFilter(),
    )
    metrics.set_meter_provider(provider)


def serve_metrics(host: str, port: int) -> bool:
    """Expose /metrics on its own port; a taken port is logged, never fatal."""
    if not port:
        return False
    try:
        start_http_server(port, addr=host)
    except OSError as exc:
        log.warning("metrics port %s:%d unavailable (%s); metrics not exposed", host, port, exc)
        return False
    return True


def exposition() -> bytes:
    return generate_latest(REGISTRY)


def meter(name: str = "gongshi") -> metrics.Meter:
    return metrics.get_meter(name)


def gauge(
    name: str, description: str, unit: str, read: Callable[[], Iterable[tuple[float, dict[str, str]]]]
) -> None:
    """An observable gauge whose values come from `read()` at scrape time."""

    def callback(_: CallbackOptions):
        return [Observation(value, attributes) for value, attributes in read()]

    meter().create_observable_gauge(name, callbacks=[callback], description=description, unit=unit)


# OpenTelemetry's default boundaries (0 ... 10,000) suit milliseconds; these are seconds.
LATENCY_BUCKETS_SECONDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class RpcMetrics:
    """Request counts and latency per RPC (and per route at the gateway)."""

    # Routes are method names or route templates, codes a few dozen: the label
    # sets are few, so each is built once (and never mutated once handed out).
    MAX_CACHED_LABEL_SETS = 4096

    def __init__(self, prefix: str) -> None:
        self.requests = meter().create_counter(f"{prefix}_requests", description="requests handled")
        self.duration = meter().create_histogram(
            f"{prefix}_duration",
            unit="s",
            description="handling time",
            explicit_bucket_boundaries_advisory=LATENCY_BUCKETS_SECONDS,
        )
        self._attributes: dict[tuple[str, str], dict[str, str]] = {}

    def observe(self, route: str, code: str, seconds: float) -> None:
        attributes = self._attributes.get((route, code))
        if attributes is None:
            attributes = {"route": route, "code": code}
            if len(self._attributes) < self.MAX_CACHED_LABEL_SETS:
                self._attributes[route, code] = attributes
        self.requests.add(1, attributes)
        self.duration.record(seconds, attributes)

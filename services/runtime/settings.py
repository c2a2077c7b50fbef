"""One settings object per process, read from GONGSHI_* environment variables.

Defaults run everything on one machine under ./var; deployment changes only
these values (see deploy/README.md).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import ClassVar

from pydantic import Field

from services.runtime.env_settings import EnvSettings

SERVICE_NAMES = ("duties", "procedures", "results", "feedback")
DEFAULT_GRPC_PORTS = {"duties": 50051, "procedures": 50052, "results": 50053, "feedback": 50054}


class Settings(EnvSettings):
    env_prefix: ClassVar[str] = "GONGSHI_"

    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    http_port: int = 8000
    nats_port: int = 4222
    # When set, the launcher starts no NATS server and everything uses this one.
    nats_url: str = ""
    nats_user: str = ""
    nats_password: str = ""
    # TLS for gRPC and NATS (services/runtime/tls.py): PEM files; off when empty.
    tls_cert: str = ""
    tls_key: str = ""
    tls_ca: str = ""
    # 1 on the embedded default; 3 on a JetStream cluster.
    nats_replicas: int = 1
    duties_port: int = DEFAULT_GRPC_PORTS["duties"]
    procedures_port: int = DEFAULT_GRPC_PORTS["procedures"]
    results_port: int = DEFAULT_GRPC_PORTS["results"]
    feedback_port: int = DEFAULT_GRPC_PORTS["feedback"]
    # host:port the gateway dials; default is this host and the port above.
    # Prometheus /metrics of each service process (0 disables).
    duties_metrics_port: int = 9461
    procedures_metrics_port: int = 9462
    results_metrics_port: int = 9463
    feedback_metrics_port: int = 9464
    duties_addr: str = ""
    procedures_addr: str = ""
    results_addr: str = ""
    feedback_addr: str = ""
    duties_db_url: str = ""
    procedures_db_url: str = ""
    results_db_url: str = ""
    feedback_db_url: str = ""
    admin_token: str = ""
    otlp_endpoint: str = ""
    # "", "console" or "otlp" (implied by otlp_endpoint).
    trace_exporter: str = ""
    log_format: str = "text"
    log_level: str = "INFO"
    # A file holding an ISO 8601 instant: when set, the process clock reads it.
    # Tests move time for real subprocesses this way instead of sleeping.
    clock_file: str = ""
    outbox_batch: int = Field(default=512, ge=1)
    outbox_poll_seconds: float = 1.0
    # How long published outbox rows are kept for reconciliation.
    outbox_retention_hours: float = 72.0
    consumer_batch: int = Field(default=256, ge=1)
    consumer_max_deliver: int = Field(default=5, ge=1)
    stream_duplicate_window_seconds: float = 600.0
    stream_max_age_days: float = 0  # 0 = keep forever: the stream is the public record
    shutdown_grace_seconds: float = 5.0
    # `gongshi run` supervision (services/supervisor.py, docs/reliability.md).
    restart_backoff_seconds: float = Field(default=0.5, gt=0)
    restart_backoff_max_seconds: float = Field(default=30.0, gt=0)
    restart_limit: int = Field(default=5, ge=1)
    restart_window_seconds: float = Field(default=60.0, gt=0)
    launcher_metrics_port: int = 9460

    @cached_property
    def nats_servers(self) -> list[str]:
        if self.nats_url:
            return [u.strip() for u in self.nats_url.split(",") if u.strip()]
        return [f"nats://127.0.0.1:{self.nats_port}"]

    def grpc_port(self, service: str) -> int:
        return getattr(self, f"{service}_port")

    def metrics_port(self, service: str) -> int:
        return getattr(self, f"{service}_metrics_port")

    def grpc_addr(self, service: str) -> str:
        return getattr(self, f"{service}_addr") or f"127.0.0.1:{self.grpc_port(service)}"

    def db_url(self, service: str) -> str:
        url = getattr(self, f"{service}_db_url")
        if url:
            return url
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{service}.db').resolve()}"


def load_settings() -> Settings:
    return Settings()

"""gRPC channels to the services. Created inside the running event loop
(grpc.aio objects made outside it fail: grpc#32480)."""

from __future__ import annotations

import grpc
from opentelemetry.instrumentation.grpc import aio_client_interceptors

from gongshi.v1 import (
    duties_pb2_grpc,
    feedback_pb2_grpc,
    procedures_pb2_grpc,
    results_pb2_grpc,
    results_query_pb2_grpc,
)
from services.runtime import limits, tls
from services.runtime.settings import Settings

_OPTIONS = [
    ("grpc.max_receive_message_length", limits.MAX_GRPC_MESSAGE_BYTES),
    ("grpc.max_send_message_length", limits.MAX_GRPC_MESSAGE_BYTES),
    # Retry transient unavailability (a service restarting) for idempotent reads and pushes.
    ("grpc.enable_retries", 1),
]


class ServiceClients:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._channels: list[grpc.aio.Channel] = []
        results = self._channel(settings.grpc_addr("results"))
        self.results = results_pb2_grpc.ResultsServiceStub(results)
        self.results_query = results_query_pb2_grpc.ResultsQueryServiceStub(results)
        self.annual_reports = results_pb2_grpc.AnnualReportsServiceStub(results)
        duties = self._channel(settings.grpc_addr("duties"))
        self.duties = duties_pb2_grpc.DutiesServiceStub(duties)
        self.admin = duties_pb2_grpc.AdminServiceStub(duties)
        self.procedures = procedures_pb2_grpc.ProceduresServiceStub(
            self._channel(settings.grpc_addr("procedures"))
        )
        self.feedback = feedback_pb2_grpc.FeedbackServiceStub(self._channel(settings.grpc_addr("feedback")))

    def _channel(self, address: str) -> grpc.aio.Channel:
        # TLS when GONGSHI_TLS_* is set (services/runtime/tls.py).
        channel = tls.aio_channel(
            self._settings, address, options=_OPTIONS, interceptors=aio_client_interceptors()
        )
        self._channels.append(channel)
        return channel

    async def close(self) -> None:
        for channel in self._channels:
            await channel.close()

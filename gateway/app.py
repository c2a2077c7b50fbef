"""The gateway: Gongshi's unified publicity platform (portal, public REST
API, agency API, oversight stream). It holds no source-of-truth data; it asks
the services over gRPC."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import grpc
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from starlette.exceptions import HTTPException

from gateway import metrics, problems
from gateway.clients import ServiceClients
from gateway.routes import portal, results
from services.runtime.settings import Settings, load_settings
from services.runtime.telemetry import setup_telemetry

API_DESCRIPTION = """Public data of administrative enforcement: who enforces what, on which legal
basis, how, and what was decided. Lists use cursor pagination (`limit` at most 200,
`next_cursor`, `total`); errors are RFC 9457 problem details."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    setup_telemetry("gateway", settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.clients = ServiceClients(settings)
        yield
        await app.state.clients.close()

    app = FastAPI(
        title="Gongshi API",
        version="1.0.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.add_exception_handler(grpc.aio.AioRpcError, problems.grpc_error_handler)
    app.add_exception_handler(RequestValidationError, problems.validation_error_handler)
    app.add_exception_handler(HTTPException, problems.http_error_handler)
    app.include_router(metrics.router)
    app.include_router(results.router)
    app.include_router(portal.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    @app.get("/healthz", tags=["health"], summary="Liveness of the gateway")
    async def healthz() -> dict:
        return {"status": "ok"}

    app.add_middleware(metrics.HttpMetricsMiddleware)
    app.add_middleware(OpenTelemetryMiddleware, exclude_spans=["receive", "send"])
    return app

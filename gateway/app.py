"""The gateway: Gongshi's unified publicity platform (portal, public REST
API, agency API, oversight stream). It holds no source-of-truth data; it asks
the services over gRPC."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from starlette.exceptions import HTTPException

from gateway import cursors, metrics, problems, schemas, security
from gateway.cached_reads import CachedReadsMiddleware, register_metrics
from gateway.clients import ServiceClients
from gateway.read_cache import ReadCache
from gateway.read_invalidation import CacheInvalidator
from gateway.routes import (
    agency,
    duties_pages,
    exports,
    feedback_pages,
    follows,
    portal,
    results,
    search,
    statistics,
    subscriptions,
)
from gateway.routes import duties as duties_routes
from gateway.routes import feedback as feedback_routes
from gateway.routes import open311 as open311_routes
from gateway.routes import procedures as procedures_routes
from gateway.settings import GatewaySettings, load_gateway_settings
from gateway.subscriptions.hub import SubscriptionHub
from services.runtime.settings import Settings
from services.runtime.telemetry import setup_telemetry

API_DESCRIPTION = """Public data of administrative enforcement: who enforces what, on which legal
basis, how, and what was decided. Lists use cursor pagination (`limit` at most 200,
`next_cursor`, `total`); errors are RFC 9457 problem details."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_gateway_settings()
    if not isinstance(settings, GatewaySettings):
        settings = GatewaySettings(**settings.model_dump())
    setup_telemetry("gateway", settings)
    read_cache = ReadCache()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.clients = ServiceClients(settings)
        app.state.hub = SubscriptionHub(settings, app.state.clients)
        await app.state.hub.start()
        # Public pages from memory once the results events can be heard (gateway/cached_reads.py).
        invalidator = CacheInvalidator(read_cache, app.state.hub.bus)
        invalidating = asyncio.create_task(invalidator.start(app.state.hub.ready), name="read-cache")
        yield
        invalidating.cancel()
        await app.state.hub.stop()
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
    app.add_exception_handler(Exception, problems.unexpected_error_handler)
    app.include_router(metrics.router)
    app.include_router(results.router)
    app.include_router(search.router)
    app.include_router(statistics.router)
    app.include_router(exports.router)
    app.include_router(subscriptions.router)
    app.include_router(follows.router)
    app.include_router(follows.pages)
    app.include_router(duties_routes.router)
    app.include_router(duties_pages.router)
    app.include_router(procedures_routes.router)
    app.include_router(open311_routes.router)
    app.include_router(feedback_routes.router)
    app.include_router(feedback_pages.router)
    app.include_router(agency.router)
    app.include_router(portal.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    @app.get("/healthz", tags=["health"], summary="Liveness of the gateway")
    async def healthz() -> dict:
        return {"status": "ok"}

    default_openapi = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = schemas.document(default_openapi())
        return app.openapi_schema

    app.openapi = openapi

    app.add_middleware(cursors.CursorMiddleware)  # next_cursor sealed to its list, opened on the way in
    app.add_middleware(metrics.HttpMetricsMiddleware)
    app.add_middleware(security.BodyLimitMiddleware)  # 413 over limits.MAX_HTTP_BODY_BYTES
    app.add_middleware(security.SecurityHeadersMiddleware)  # CSP, nosniff, Referrer-Policy, framing
    app.add_middleware(OpenTelemetryMiddleware, exclude_spans=["receive", "send"])
    # Outermost: a page held in memory is sent as stored (with the headers the
    # layers above added when it was computed), without a span or a histogram;
    # gongshi_read_cache_responses counts those (gateway/cached_reads.py).
    app.state.read_cache = read_cache
    register_metrics(read_cache)
    app.add_middleware(CachedReadsMiddleware, cache=read_cache)
    return app

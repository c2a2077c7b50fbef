"""Serve the gateway with uvicorn's fast extras (uvloop, httptools)."""

from __future__ import annotations

import uvicorn

from gateway.http_protocol import ProblemHttpToolsProtocol
from services.runtime.settings import load_settings


def main() -> None:
    settings = load_settings()
    uvicorn.run(
        "gateway.asgi:app",
        host=settings.host,
        port=settings.http_port,
        loop="uvloop",
        http=ProblemHttpToolsProtocol,  # httptools, answering its refusals as problem details
        log_level="warning",
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )


if __name__ == "__main__":
    main()

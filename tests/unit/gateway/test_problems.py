from __future__ import annotations

from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.settings import GatewaySettings


def test_an_unexpected_error_is_still_a_problem_document(tmp_path):
    # NATS is not running: the gateway serves anyway (subscriptions start once it answers).
    app = create_app(GatewaySettings(data_dir=tmp_path, nats_port=1))

    @app.get("/boom", include_in_schema=False)
    async def boom():
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
        assert response.status_code == 500
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "secret internals" not in response.text
        # Subscriptions answer 503 (not a hang) until the event bus is reachable.
        waiting = client.get("/api/v1/events/stream")
        assert waiting.status_code == 503 and waiting.json()["status"] == 503

"""Helpers for gateway subscription tests: a platform whose gateway may call
webhooks on loopback, a recording webhook receiver, an SSE reader."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
import httpx

from gongshi.v1 import common_pb2, duties_pb2, duties_pb2_grpc
from gongshi.v1 import results_pb2 as pb
from services.launcher import Platform, free_port
from tests.support.platform import ADMIN_TOKEN, auth, platform_env, platform_settings

GATEWAY_ENV = {
    # Deliveries can only go to loopback: no test ever sends traffic off the machine.
    "GONGSHI_WEBHOOK_LOOPBACK_ONLY": "true",
    "GONGSHI_WEBHOOK_RETRY_BASE_SECONDS": "0.3",
    "GONGSHI_WEBHOOK_POLL_SECONDS": "0.2",
}


def start_subscription_platform(data_dir, **extra_env: str) -> Platform:
    settings = platform_settings(data_dir)
    platform = Platform(settings, extra_env={**platform_env(settings), **GATEWAY_ENV, **extra_env})
    platform.start()
    return platform


def issue_oversight_token(settings) -> str:
    with grpc.insecure_channel(settings.grpc_addr("duties")) as channel:
        return (
            duties_pb2_grpc.AdminServiceStub(channel)
            .IssueCredential(
                duties_pb2.IssueCredentialRequest(role=common_pb2.ROLE_OVERSIGHT, label="oversight test"),
                metadata=auth(ADMIN_TOKEN),
                timeout=10,
            )
            .token
        )


def publish(results_stub, token: str, decision: pb.Decision) -> pb.Result:
    return results_stub.PublishDecision(
        pb.PublishDecisionRequest(decision=decision), metadata=auth(token), timeout=10
    ).result


class Receiver:
    """A webhook receiver on 127.0.0.1 that records every POST and can fail on purpose."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.fail_next = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    failing = receiver.fail_next > 0
                    receiver.fail_next -= 1 if failing else 0
                    if not failing:
                        receiver.received.append((dict(self.headers), body))
                self.send_response(503 if failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def bodies(self) -> list[dict]:
        with self.lock:
            return [json.loads(body) for _, body in self.received]

    def wait_for(self, predicate, timeout: float = 20) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            bodies = self.bodies()
            if predicate(bodies):
                return bodies
            time.sleep(0.1)
        raise AssertionError(f"receiver did not get what was expected; got {self.bodies()}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def read_events(
    base_url: str,
    params: dict,
    count: int,
    *,
    headers: dict | None = None,
    on_connected=None,
    wait: float = 20,
) -> list[dict]:
    """Open the SSE stream, call on_connected once it is live, and collect `count` events."""
    events: list[dict] = []
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(wait)) as client:
        async with client.stream(
            "GET", "/api/v1/events/stream", params=params, headers=headers or {}
        ) as response:
            assert response.status_code == 200, await response.aread()
            assert response.headers["content-type"].startswith("text/event-stream")

            async def collect():
                current: dict = {}
                async for line in response.aiter_lines():
                    if line.startswith(": connected") and on_connected:
                        await asyncio.to_thread(on_connected)
                    elif line.startswith("id: "):
                        current["id"] = int(line[4:])
                    elif line.startswith("event: "):
                        current["event"] = line[7:]
                    elif line.startswith("data: "):
                        current["data"] = json.loads(line[6:])
                    elif line == "" and "data" in current:
                        events.append(current)
                        current = {}
                        if len(events) >= count:
                            return

            await asyncio.wait_for(collect(), wait)
    return events

"""A real nats-server per test (or module), on a free port with a temp store."""

from __future__ import annotations

from pathlib import Path

from services.launcher import Part, free_port, nats_server_binary, tcp_open


class NatsServer:
    def __init__(self, store: Path, port: int | None = None, extra_args: list[str] | None = None) -> None:
        self.store = store
        self.port = port or free_port()
        self.extra_args = extra_args or []
        self.part: Part | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> NatsServer:
        argv = [
            nats_server_binary(),
            "-js",
            "-a",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-sd",
            str(self.store),
            *self.extra_args,
        ]
        self.part = Part("nats", argv, {}, lambda: tcp_open(self.port), self.url, self.store / "nats.log")
        self.part.start()
        self.part.wait_healthy(15)
        return self

    def kill(self) -> None:
        if self.part:
            self.part.kill()

    def stop(self) -> None:
        if self.part:
            self.part.stop(5)

    def restart(self) -> None:
        self.kill()
        self.start()

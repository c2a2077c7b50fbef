"""deploy/nats/embedded.conf (+ auth.conf) against a real nats-server.

Each test starts its own server (free port, temp store, random passwords in the
GONGSHI_NATS_<USER>_PASSWORD variables), creates both streams as the admin user,
then proves what each user may and may not do. A refusal is proven by the
server's own "permissions violation" error, and by the data not being there.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

import nats
import nats.errors
import pytest
import pytest_asyncio
from nats.js.api import AckPolicy, ConsumerConfig, StorageType, StreamConfig
from natskit import (
    EMBEDDED_CONF,
    INBOX_PREFIX,
    NATS_DIR,
    NatsProcess,
    free_port,
    nats_server_bin,
    password_env,
)

from services.runtime.bus import OVERSIGHT_CONSUMERS, oversight_consumer_configs

STREAMS = (
    StreamConfig(name="GONGSHI", subjects=["gongshi.>"], storage=StorageType.FILE, duplicate_window=120),
    StreamConfig(name="GONGSHI_INTERNAL", subjects=["internal.>"], storage=StorageType.FILE),
)


class Client:
    """A nats-py connection as one user, recording the server's async errors."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.nc: nats.NATS | None = None

    async def connect(self, url: str, user: str, password: str) -> Client:
        async def on_error(exc: Exception) -> None:
            self.errors.append(str(exc).lower())

        self.nc = await nats.connect(
            url,
            user=user,
            password=password,
            inbox_prefix=INBOX_PREFIX.get(user, "_INBOX"),
            error_cb=on_error,
            allow_reconnect=False,
            connect_timeout=2,
        )
        self.js = self.nc.jetstream(timeout=3)
        return self

    async def violation(self, kind: str, subject: str, within: float = 3.0) -> str:
        """Wait for the server's 'Permissions Violation for <kind> to "<subject>"'."""
        wanted = f'permissions violation for {kind} to "{subject.lower()}"'
        deadline = asyncio.get_running_loop().time() + within
        while asyncio.get_running_loop().time() < deadline:
            for err in self.errors:
                if wanted in err:
                    return err
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {wanted!r}; errors seen: {self.errors}")

    async def refused(self, operation: Awaitable, subject: str) -> None:
        """Run a request the server must refuse: it answers a violation, the call never succeeds."""
        task = asyncio.ensure_future(operation)
        try:
            await self.violation("publish", subject)
        finally:
            if task.done() and not task.cancelled() and task.exception() is None:
                raise AssertionError(f"request to {subject} succeeded: {task.result()!r}")
            task.cancel()
            with contextlib.suppress(BaseException):
                await task

    async def close(self) -> None:
        if self.nc is not None and not self.nc.is_closed:
            await self.nc.close()


@pytest_asyncio.fixture
async def nats_env(embedded_nats: NatsProcess, nats_passwords: dict[str, str]) -> AsyncIterator:
    """The embedded server with both streams created by admin, and a connect(user) factory."""
    clients: list[Client] = []

    async def connect(user: str) -> Client:
        client = await Client().connect(embedded_nats.url, user, nats_passwords[user])
        clients.append(client)
        return client

    admin = await connect("admin")
    for config in STREAMS:
        await admin.js.add_stream(config)
    try:
        yield embedded_nats, connect, admin
    finally:
        for client in clients:
            with contextlib.suppress(Exception):
                await client.close()


async def stream_subjects(admin: Client, stream: str) -> list[str]:
    """Every subject stored in a stream, in order (read with an admin ephemeral consumer)."""
    info = await admin.js.stream_info(stream)
    count = info.state.messages
    if count == 0:
        return []
    sub = await admin.js.pull_subscribe(">", stream=stream)
    subjects: list[str] = []
    while len(subjects) < count:
        msgs = await sub.fetch(count - len(subjects), timeout=2)
        subjects.extend(m.subject for m in msgs)
    await sub.unsubscribe()
    return subjects


# ----------------------------------------------------------------------------- the file itself


def _server_env(tmp_path: Path, passwords: dict[str, str], port: int) -> dict[str, str]:
    return {
        "GONGSHI_NATS_PORT": str(port),
        "GONGSHI_NATS_STORE_DIR": str(tmp_path / "store"),
        **password_env(passwords),
    }


def test_config_refuses_to_start_without_a_password(tmp_path: Path, nats_passwords: dict[str, str]) -> None:
    env = _server_env(tmp_path, nats_passwords, free_port())
    del env["GONGSHI_NATS_OVERSIGHT_PASSWORD"]
    # the parent's environment must not leak a value in
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GONGSHI_NATS_")}
    out = subprocess.run(
        [nats_server_bin(), "-c", str(EMBEDDED_CONF), "-t"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert out.returncode != 0
    assert "GONGSHI_NATS_OVERSIGHT_PASSWORD" in out.stdout + out.stderr


def test_launcher_flags_override_port_and_host_and_sync_is_always(
    tmp_path: Path, nats_passwords: dict[str, str]
) -> None:
    """-p / -a / -m given by a launcher win over the file; acks wait for fsync."""
    file_port, flag_port, monitor = free_port(), free_port(), free_port()
    env = _server_env(tmp_path, nats_passwords, file_port)
    server = NatsProcess(
        "flags",
        EMBEDDED_CONF,
        env,
        flag_port,
        tmp_path,
        args=("-p", str(flag_port), "-a", "127.0.0.1", "-m", str(monitor)),
    )
    try:
        server.start()
        with urllib.request.urlopen(f"http://127.0.0.1:{monitor}/varz", timeout=5) as resp:
            varz = json.load(resp)
        assert varz["port"] == flag_port
        js = varz["jetstream"]["config"]
        assert js["store_dir"].startswith(str(tmp_path / "store"))
        assert js["sync_always"] is True, "embedded.conf must fsync before acking"
        assert varz["auth_required"] is True
        assert varz["max_payload"] == 1024 * 1024
    finally:
        server.stop()


def test_store_dir_comes_only_from_the_variable(tmp_path: Path, nats_passwords: dict[str, str]) -> None:
    """-sd next to the file's store_dir is refused: the launcher must set GONGSHI_NATS_STORE_DIR."""
    env = _server_env(tmp_path, nats_passwords, free_port())
    out = subprocess.run(
        [nats_server_bin(), "-c", str(EMBEDDED_CONF), "-sd", str(tmp_path / "other"), "-t"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert out.returncode != 0 and "store_dir" in out.stdout + out.stderr


@pytest.mark.asyncio
async def test_variables_set_port_and_store(embedded_nats: NatsProcess, tmp_path: Path) -> None:
    # the fixture passes no flags: the port it listens on came from $GONGSHI_NATS_PORT
    assert embedded_nats.alive()
    assert (tmp_path / "store" / "jetstream").is_dir()


@pytest.mark.asyncio
async def test_unknown_user_and_wrong_password_are_rejected(embedded_nats: NatsProcess) -> None:
    for user, password in (("nobody", "x"), ("results", "wrong")):
        with pytest.raises(nats.errors.Error, match="Authorization Violation"):
            await nats.connect(
                embedded_nats.url,
                user=user,
                password=password,
                allow_reconnect=False,
                max_reconnect_attempts=0,
                connect_timeout=2,
            )


# ----------------------------------------------------------------------------- services


@pytest.mark.asyncio
async def test_service_publishes_own_subjects_with_jetstream_ack(nats_env) -> None:
    _, connect, admin = nats_env
    results = await connect("results")
    ack = await results.js.publish("gongshi.results.published.A123", b"r1", headers={"Nats-Msg-Id": "ev-1"})
    assert ack.stream == "GONGSHI" and ack.seq == 1 and not ack.duplicate
    again = await results.js.publish("gongshi.results.published.A123", b"r1", headers={"Nats-Msg-Id": "ev-1"})
    assert again.duplicate, "the dedupe window drops a re-published event id"
    dead = await results.js.publish("gongshi.deadletter.results.results-duty-sync", b"dl")
    assert dead.stream == "GONGSHI"

    duties = await connect("duties")
    cred = await duties.js.publish("internal.auth.credential_issued.A123", b"c")
    assert cred.stream == "GONGSHI_INTERNAL"
    assert await stream_subjects(admin, "GONGSHI") == [
        "gongshi.results.published.A123",
        "gongshi.deadletter.results.results-duty-sync",
    ]


@pytest.mark.asyncio
async def test_service_is_refused_other_domains(nats_env) -> None:
    _, connect, admin = nats_env
    results = await connect("results")
    with pytest.raises(nats.errors.TimeoutError):  # the server answers nothing but -ERR
        await results.js.publish("gongshi.duties.item_created.A123", b"forged", timeout=1)
    await results.violation("publish", "gongshi.duties.item_created.A123")
    for subject in (
        "gongshi.deadletter.duties.x",
        "internal.auth.credential_issued.A123",
        "gongshi.feedback.received.A1",
    ):
        await results.refused(results.js.publish(subject, b"forged"), subject)
    # nor may a service change or remove the streams
    await results.refused(results.js.delete_stream("GONGSHI"), "$JS.API.STREAM.DELETE.GONGSHI")
    await results.refused(results.js.purge_stream("GONGSHI"), "$JS.API.STREAM.PURGE.GONGSHI")
    assert results.nc.is_connected, "a violation is reported, the connection stays"
    assert await stream_subjects(admin, "GONGSHI") == []
    assert await stream_subjects(admin, "GONGSHI_INTERNAL") == []


@pytest.mark.asyncio
async def test_service_consumes_events_and_credentials_with_durable_pull_consumers(nats_env) -> None:
    _, connect, _ = nats_env
    duties = await connect("duties")
    await duties.js.publish("gongshi.duties.item_created.A123", b"item")
    await duties.js.publish("internal.auth.credential_issued.A123", b"cred")
    results = await connect("results")
    for stream, subject, durable in (
        ("GONGSHI", "gongshi.duties.>", "results-duty-sync"),
        ("GONGSHI_INTERNAL", "internal.auth.>", "results-credentials"),
    ):
        sub = await results.js.pull_subscribe(
            subject, durable=durable, stream=stream, config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT)
        )
        (msg,) = await sub.fetch(1, timeout=3)
        assert msg.subject.startswith(subject[:-1])
        await msg.ack_sync(timeout=3)
        info = await results.js.consumer_info(stream, durable)
        assert info.ack_floor.stream_seq == 1
    assert results.errors == []


@pytest.mark.asyncio
async def test_service_may_create_a_missing_stream_but_not_change_one(nats_env) -> None:
    _, connect, admin = nats_env
    await admin.js.delete_stream("GONGSHI_INTERNAL")
    feedback = await connect("feedback")
    created = await feedback.js.add_stream(StreamConfig(name="GONGSHI_INTERNAL", subjects=["internal.>"]))
    assert created.config.name == "GONGSHI_INTERNAL"
    changed = StreamConfig(name="GONGSHI", subjects=["gongshi.>"], max_age=60)
    await feedback.refused(feedback.js.update_stream(changed), "$JS.API.STREAM.UPDATE.GONGSHI")
    assert (await admin.js.stream_info("GONGSHI")).config.max_age in (None, 0)


# ----------------------------------------------------------------------------- oversight


@pytest.mark.asyncio
async def test_oversight_consumes_with_its_own_durable(nats_env) -> None:
    _, connect, admin = nats_env
    results = await connect("results")
    for i in range(3):
        await results.js.publish(f"gongshi.results.published.A{i}", f"r{i}".encode())
    await results.js.publish("gongshi.deadletter.results.c", b"dl")

    for config in oversight_consumer_configs():  # what the platform creates (never oversight)
        await admin.js.add_consumer("GONGSHI", config)
    oversight = await connect("oversight")
    sub = await oversight.js.pull_subscribe(
        "gongshi.results.>", durable="oversight_results", stream="GONGSHI"
    )
    msgs = await sub.fetch(10, timeout=2)
    assert [m.subject for m in msgs] == [f"gongshi.results.published.A{i}" for i in range(3)]
    for m in msgs:
        await m.ack_sync(timeout=3)
    info = await oversight.js.consumer_info("GONGSHI", "oversight_results")
    assert info.ack_floor.stream_seq == 3 and info.num_pending == 0

    # the dead-letter path is visible to oversight too, and plain subscriptions work
    dls = await oversight.js.pull_subscribe(
        "gongshi.deadletter.>", durable="oversight_deadletter", stream="GONGSHI"
    )
    assert [m.subject for m in await dls.fetch(5, timeout=2)] == ["gongshi.deadletter.results.c"]
    live: asyncio.Queue = asyncio.Queue()
    await oversight.nc.subscribe("gongshi.>", cb=live.put)
    await oversight.nc.flush()
    await results.js.publish("gongshi.results.withdrawn.A1", b"w")
    assert (await asyncio.wait_for(live.get(), 3)).subject == "gongshi.results.withdrawn.A1"
    assert oversight.errors == []
    # Binding and fetching is all: deleting (or re-creating) its consumer is the platform's job.
    await oversight.refused(
        oversight.js.delete_consumer("GONGSHI", "oversight_results"),
        "$JS.API.CONSUMER.DELETE.GONGSHI.oversight_results",
    )


@pytest.mark.asyncio
async def test_oversight_cannot_create_a_push_consumer_into_internal_subjects(nats_env) -> None:
    """Issue #13, item 6: a durable under an allowed name, filtering public events,
    with a deliver subject in internal.> (where GONGSHI_INTERNAL would store them)."""
    _, connect, admin = nats_env
    oversight = await connect("oversight")
    attack = ConsumerConfig(
        durable_name="oversight_duties",
        filter_subject="gongshi.duties.>",
        deliver_subject="internal.auth.credential_revoked.X",
        ack_policy=AckPolicy.NONE,
    )
    request = json.dumps({"stream_name": "GONGSHI", "config": attack.as_dict()}).encode()
    for subject in (  # the named form with its filter, the named form, the legacy durable form
        "$JS.API.CONSUMER.CREATE.GONGSHI.oversight_duties.gongshi.duties.>",
        "$JS.API.CONSUMER.CREATE.GONGSHI.oversight_duties",
        "$JS.API.CONSUMER.DURABLE.CREATE.GONGSHI.oversight_duties",
    ):
        await oversight.refused(oversight.nc.request(subject, request, timeout=2), subject)
    # Nor can it turn the platform's pull consumer into a push one.
    for config in oversight_consumer_configs():
        await admin.js.add_consumer("GONGSHI", config)
    await oversight.refused(
        oversight.js.add_consumer("GONGSHI", attack),
        "$JS.API.CONSUMER.DURABLE.CREATE.GONGSHI.oversight_duties",
    )
    info = await admin.js.consumer_info("GONGSHI", "oversight_duties")
    assert info.config.deliver_subject is None and info.config.filter_subject == "gongshi.duties.>"
    internal = await admin.js.stream_info("GONGSHI_INTERNAL")
    assert internal.state.messages == 0


@pytest.mark.asyncio
async def test_oversight_cannot_publish_events(nats_env) -> None:
    _, connect, admin = nats_env
    oversight = await connect("oversight")
    with pytest.raises(nats.errors.TimeoutError):
        await oversight.js.publish("gongshi.results.published.X", b"forged", timeout=1)
    err = await oversight.violation("publish", "gongshi.results.published.X")
    assert "permissions violation" in err
    for subject in (
        "gongshi.deadletter.results.x",
        "internal.auth.credential_issued.X",
        "gongshi.duties.item_created.X",
    ):
        await oversight.refused(oversight.js.publish(subject, b"forged"), subject)
    # core publish (no JetStream) is refused the same way
    await oversight.nc.publish("gongshi.feedback.received.X", b"forged")
    await oversight.violation("publish", "gongshi.feedback.received.X")
    assert await stream_subjects(admin, "GONGSHI") == []
    assert await stream_subjects(admin, "GONGSHI_INTERNAL") == []


@pytest.mark.asyncio
async def test_oversight_cannot_read_internal(nats_env) -> None:
    _, connect, admin = nats_env
    duties = await connect("duties")
    await duties.js.publish("internal.auth.credential_issued.A1", b"secret-digest")
    oversight = await connect("oversight")

    for subject in (
        "internal.>",
        "internal.auth.credential_issued.A1",
        ">",
        "_INBOX.>",
        "_INBOX_duties.>",
        "_INBOX_gateway.>",
    ):
        await oversight.nc.subscribe(subject)
        await oversight.violation("subscription", subject)
    await oversight.refused(
        oversight.js.stream_info("GONGSHI_INTERNAL"), "$JS.API.STREAM.INFO.GONGSHI_INTERNAL"
    )
    await oversight.refused(
        oversight.js.add_consumer("GONGSHI_INTERNAL", durable_name="oversight", name="oversight"),
        "$JS.API.CONSUMER.CREATE.GONGSHI_INTERNAL.oversight",
    )
    await oversight.refused(
        oversight.js.get_msg("GONGSHI_INTERNAL", seq=1), "$JS.API.STREAM.MSG.GET.GONGSHI_INTERNAL"
    )
    await oversight.refused(
        oversight.js.get_msg("GONGSHI_INTERNAL", seq=1, direct=True), "$JS.API.DIRECT.GET.GONGSHI_INTERNAL"
    )

    # a service fetching credentials does not leak them to oversight's live subscription
    seen: list[str] = []

    async def record(msg) -> None:
        seen.append(msg.subject)

    await oversight.nc.subscribe("gongshi.>", cb=record)
    results = await connect("results")
    sub = await results.js.pull_subscribe(
        "internal.auth.>", durable="results-credentials", stream="GONGSHI_INTERNAL"
    )
    assert len(await sub.fetch(1, timeout=2)) == 1
    await asyncio.sleep(0.2)
    assert seen == []
    assert (await admin.js.stream_info("GONGSHI_INTERNAL")).state.consumer_count == 1


@pytest.mark.asyncio
async def test_oversight_cannot_touch_streams_or_other_consumers(nats_env) -> None:
    _, connect, admin = nats_env
    results = await connect("results")
    await results.js.publish("gongshi.results.published.A1", b"r")
    await results.js.pull_subscribe("gongshi.>", durable="results-sync", stream="GONGSHI")

    oversight = await connect("oversight")
    for op, subject in (
        (oversight.js.delete_stream("GONGSHI"), "$JS.API.STREAM.DELETE.GONGSHI"),
        (oversight.js.purge_stream("GONGSHI"), "$JS.API.STREAM.PURGE.GONGSHI"),
        (
            oversight.js.add_stream(name="OVERSIGHT_COPY", subjects=["copy.>"]),
            "$JS.API.STREAM.CREATE.OVERSIGHT_COPY",
        ),
        (
            oversight.js.update_stream(StreamConfig(name="GONGSHI", subjects=["gongshi.>"], max_age=1)),
            "$JS.API.STREAM.UPDATE.GONGSHI",
        ),
        (oversight.js.delete_msg("GONGSHI", 1), "$JS.API.STREAM.MSG.DELETE.GONGSHI"),
        # a service's durable: no fetch (which would steal its messages), no delete
        (
            oversight.js.delete_consumer("GONGSHI", "results-sync"),
            "$JS.API.CONSUMER.DELETE.GONGSHI.results-sync",
        ),
        (oversight.js.consumer_info("GONGSHI", "results-sync"), "$JS.API.CONSUMER.INFO.GONGSHI.results-sync"),
        (
            oversight.nc.request("$JS.API.CONSUMER.MSG.NEXT.GONGSHI.results-sync", b'{"batch":1}', timeout=2),
            "$JS.API.CONSUMER.MSG.NEXT.GONGSHI.results-sync",
        ),
        # and a durable name outside the oversight list
        (
            oversight.js.add_consumer("GONGSHI", durable_name="mine", name="mine"),
            "$JS.API.CONSUMER.CREATE.GONGSHI.mine",
        ),
    ):
        await oversight.refused(op, subject)
    info = await admin.js.stream_info("GONGSHI")
    assert info.state.messages == 1 and info.state.consumer_count == 1
    assert (await admin.js.consumer_info("GONGSHI", "results-sync")).delivered.stream_seq == 0


# ----------------------------------------------------------------------------- gateway


@pytest.mark.asyncio
async def test_gateway_consumes_but_cannot_publish_events(nats_env) -> None:
    _, connect, admin = nats_env
    feedback = await connect("feedback")
    await feedback.js.publish("gongshi.feedback.received.A9", b"fb")
    duties = await connect("duties")
    await duties.js.publish("internal.auth.credential_issued.A9", b"cred")

    gateway = await connect("gateway")
    sub = await gateway.js.pull_subscribe("gongshi.>", durable="gateway-webhooks", stream="GONGSHI")
    (msg,) = await sub.fetch(1, timeout=2)
    assert msg.subject == "gongshi.feedback.received.A9"
    await msg.ack_sync(timeout=3)

    with pytest.raises(nats.errors.TimeoutError):
        await gateway.js.publish("gongshi.results.published.X", b"forged", timeout=1)
    await gateway.violation("publish", "gongshi.results.published.X")
    for subject in ("gongshi.deadletter.results.x", "internal.auth.credential_issued.X"):
        await gateway.refused(gateway.js.publish(subject, b"forged"), subject)
    # Its own consumers' dead-letter notices are the one thing it publishes.
    await gateway.js.publish("gongshi.deadletter.gateway.gateway-webhooks", b"notice")
    await gateway.nc.subscribe("internal.>")
    await gateway.violation("subscription", "internal.>")
    # The credential copy (oversight tokens for SSE and webhooks) reads GONGSHI_INTERNAL.
    creds = await gateway.js.pull_subscribe(
        "internal.auth.>", durable="gateway-credentials", stream="GONGSHI_INTERNAL"
    )
    (cred,) = await creds.fetch(1, timeout=2)
    assert cred.subject == "internal.auth.credential_issued.A9"
    await cred.ack_sync(timeout=3)
    await gateway.refused(gateway.js.delete_stream("GONGSHI"), "$JS.API.STREAM.DELETE.GONGSHI")
    assert await stream_subjects(admin, "GONGSHI") == [
        "gongshi.feedback.received.A9",
        "gongshi.deadletter.gateway.gateway-webhooks",
    ]


# ----------------------------------------------------------------------------- stream setup job


@pytest.mark.slow  # runs the stream setup against a real server
@pytest.mark.asyncio
async def test_setup_streams_creates_what_the_services_expect(
    embedded_nats: NatsProcess, nats_passwords: dict[str, str]
) -> None:
    """deploy/nats/setup_streams.py (admin) creates both streams; a service's own create is a no-op."""
    from services.runtime.bus import stream_configs
    from services.runtime.settings import Settings

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GONGSHI_")},
        "GONGSHI_NATS_URL": embedded_nats.url,
        "GONGSHI_NATS_USER": "admin",
        "GONGSHI_NATS_PASSWORD": nats_passwords["admin"],
        "GONGSHI_NATS_REPLICAS": "1",
    }
    script = str(NATS_DIR / "setup_streams.py")
    for expected in ("created", "up to date"):
        out = await asyncio.to_thread(
            subprocess.run, [sys.executable, script], env=env, capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, out.stdout + out.stderr
        lines = out.stdout.splitlines()
        streams, consumers = lines[:2], lines[2:]
        assert [line.split(":")[0] for line in streams] == ["GONGSHI", "GONGSHI_INTERNAL"]
        assert all(expected in line for line in streams), lines
        # and the oversight user's pull consumers, which it may not create itself
        assert [line.split(":")[0] for line in consumers] == [
            f"consumer {name}" for name in OVERSIGHT_CONSUMERS
        ]
        assert all(("created" if expected == "created" else "exists") in line for line in consumers)

    # a changed setting is reconciled (only admin may update a stream)
    env["GONGSHI_STREAM_DUPLICATE_WINDOW_SECONDS"] = "300"
    out = await asyncio.to_thread(
        subprocess.run, [sys.executable, script], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and out.stdout.count("updated {'duplicate_window'") == 2, (
        out.stdout + out.stderr
    )

    results = await Client().connect(embedded_nats.url, "results", nats_passwords["results"])
    try:
        for config in stream_configs(Settings(nats_replicas=1, stream_duplicate_window_seconds=300)):
            info = await results.js.add_stream(config)  # what Bus.ensure_streams does first
            assert info.state.messages == 0
        assert results.errors == []
    finally:
        await results.close()

"""The platform's own NATS runs deploy/nats/embedded.conf: each process has
its own user, and the oversight user (credentials printed by `gongshi run`)
may subscribe to gongshi.> but the server refuses anything it publishes."""

from __future__ import annotations

import asyncio
import json
import stat
import uuid

import grpc
import nats
import nats.errors
import pytest
from nats.js.api import ConsumerConfig

from gongshi.v1 import results_pb2 as rpb
from gongshi.v1 import results_pb2_grpc
from tests.support.decisions import penalty
from tests.support.platform import auth, register_agency
from tests.trust.load import stream_messages


@pytest.fixture(scope="module")
def platform(shared_platform):
    """The session's platform: these tests work under agencies of their own."""
    return shared_platform


def oversight_login(running) -> dict:
    path = running.oversight_credentials
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    creds = json.loads(path.read_text())
    assert creds["user"] == "oversight" and creds["subscribe"] == "gongshi.>"
    return creds


async def connect(creds: dict, errors: list[str]) -> nats.NATS:
    async def on_error(exc: Exception) -> None:
        errors.append(str(exc).lower())

    return await nats.connect(
        servers=creds["servers"],
        user=creds["user"],
        password=creds["password"],
        inbox_prefix=creds["inbox_prefix"],
        error_cb=on_error,
        allow_reconnect=False,
    )


async def violation(errors: list[str], kind: str, subject: str, within: float = 3.0) -> None:
    wanted = f'permissions violation for {kind} to "{subject.lower()}"'
    for _ in range(int(within / 0.05)):
        if any(wanted in e for e in errors):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the server did not refuse: {wanted}; errors: {errors}")


def test_oversight_subscribes_but_cannot_publish(platform):
    running, settings = platform
    creds = oversight_login(running)
    code = f"OVS-{uuid.uuid4().hex[:6]}"
    token = register_agency(settings, code)
    forged_subject = f"gongshi.results.published.{code}"

    async def scenario() -> str:
        errors: list[str] = []
        nc = await connect(creds, errors)
        try:
            live = await nc.subscribe("gongshi.>")
            await nc.flush()
            async with grpc.aio.insecure_channel(settings.grpc_addr("results")) as channel:
                reply = await results_pb2_grpc.ResultsServiceStub(channel).PublishDecision(
                    rpb.PublishDecisionRequest(decision=penalty()), metadata=auth(token), timeout=10
                )
            # Subscribing works: the live event arrives ...
            while True:
                msg = await live.next_msg(timeout=10)
                if msg.subject == forged_subject:
                    break
            assert rpb.ResultPublished.FromString(msg.data).result.id == reply.result.id
            # ... and so does the oversight user's own durable consumer on the stream.
            js = nc.jetstream()
            durable = await js.pull_subscribe(
                forged_subject, durable="oversight_results", stream="GONGSHI", config=ConsumerConfig()
            )
            (stored,) = await durable.fetch(1, timeout=5)
            await stored.ack()

            # Publishing is refused by the server, core or JetStream.
            forged = rpb.ResultPublished(result=rpb.Result(id="forged", agency_code=code)).SerializeToString()
            await nc.publish(forged_subject, forged)
            await violation(errors, "publish", forged_subject)
            with pytest.raises(nats.errors.TimeoutError):
                await js.publish(forged_subject, forged, timeout=1)
            for subject in ("gongshi.deadletter.results.x", "internal.auth.credential_issued.x"):
                await nc.publish(subject, b"forged")
                await violation(errors, "publish", subject)
            # The internal stream (credential distribution) is not readable either.
            await nc.subscribe("internal.>")
            await violation(errors, "subscription", "internal.>")
            return reply.result.id
        finally:
            await nc.close()

    real_id = asyncio.run(scenario())
    # Nothing forged reached the stream: one event, the real one.
    events = asyncio.run(stream_messages(running.nats.address, forged_subject))
    assert [rpb.ResultPublished.FromString(m.data).result.id for m in events] == [real_id]


def test_anonymous_and_wrong_passwords_are_refused(platform):
    running, _ = platform
    creds = oversight_login(running)

    async def attempt(**login) -> None:
        nc = await nats.connect(servers=creds["servers"], allow_reconnect=False, connect_timeout=3, **login)
        await nc.close()

    for login in ({}, {"user": "oversight", "password": "gs-wrong"}, {"user": "results", "password": "x"}):
        with pytest.raises(Exception, match=r"(?i)authorization"):
            asyncio.run(attempt(**login))

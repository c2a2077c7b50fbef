"""deploy/nats/cluster/nats.conf: a real 3-node JetStream cluster on this machine.

Three nats-server processes run the production file unchanged (identity, ports,
routes and store come from environment variables, as in the k8s StatefulSet).
Stream GONGSHI is created with replicas 3; 2,000 events are published with
publish_async while the stream leader, which is also the node the publisher is
connected to, is SIGKILLed half-way. Unacknowledged events are re-published with
the same Nats-Msg-Id, as the outbox relay does. The stream must then hold every
acknowledged event exactly once, and the killed node, restarted, must catch up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nats
import nats.errors
import nats.js.errors
import pytest
from nats.js.api import AckPolicy, ConsumerConfig, StorageType, StreamConfig
from natskit import CLUSTER_CONF, NatsProcess, free_ports, password_env, wait_for_port

TOTAL = 2_000
KILL_AT = TOTAL // 2
DEADLINE_S = 40.0  # bounds the publish / recover / verify phase (about 8 s when the machine is idle)


class Cluster:
    def __init__(self, tmp_path: Path, passwords: dict[str, str]) -> None:
        ports = free_ports(9)
        self.client_ports, self.route_ports, self.monitor_ports = ports[:3], ports[3:6], ports[6:]
        self.passwords = passwords
        route_pw = passwords["route"]
        routes = ", ".join(f"nats://route:{route_pw}@127.0.0.1:{p}" for p in self.route_ports)
        self.nodes: list[NatsProcess] = []
        for i in range(3):
            env = {
                "GONGSHI_NATS_SERVER_NAME": f"nats-{i}",
                "GONGSHI_NATS_PORT": str(self.client_ports[i]),
                "GONGSHI_NATS_MONITOR_PORT": str(self.monitor_ports[i]),
                "GONGSHI_NATS_CLUSTER_PORT": str(self.route_ports[i]),
                "GONGSHI_NATS_STORE_DIR": str(tmp_path / f"nats-{i}"),
                "GONGSHI_NATS_ROUTE_PASSWORD": route_pw,
                "GONGSHI_NATS_ROUTES": f"[{routes}]",
                **password_env({u: pw for u, pw in passwords.items() if u != "route"}),
            }
            # -a keeps the client port on loopback; the file itself listens on all interfaces (k8s).
            node = NatsProcess(
                f"nats-{i}", CLUSTER_CONF, env, self.client_ports[i], tmp_path, args=("-a", "127.0.0.1")
            )
            self.nodes.append(node)

    def by_name(self, name: str) -> NatsProcess:
        return next(n for n in self.nodes if n.name == name)

    def monitor(self, node: NatsProcess, path: str) -> dict:
        port = self.monitor_ports[self.nodes.index(node)]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as resp:
            return json.load(resp)

    def jsz(self, node: NatsProcess, query: str = "") -> dict:
        return self.monitor(node, "/jsz" + query)

    def wait_for_meta_leader(self, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            try:
                leaders = set()
                for node in self.nodes:
                    meta = self.jsz(node).get("meta_cluster") or {}
                    last = meta
                    if meta.get("cluster_size") != 3 or not meta.get("leader"):
                        break
                    leaders.add(meta["leader"])
                else:
                    if len(leaders) == 1:
                        return leaders.pop()
            except OSError as exc:
                last = exc
            time.sleep(0.1)
        raise TimeoutError(f"no JetStream meta leader agreed by 3 nodes within {timeout}s: {last}")


@pytest.fixture
def cluster(tmp_path: Path, nats_passwords: dict[str, str]) -> Iterator[Cluster]:
    passwords = {**nats_passwords, "route": "gsroute" + nats_passwords["admin"]}
    c = Cluster(tmp_path, passwords)
    try:
        for node in c.nodes:  # start all three before waiting: each waits for its routes
            node.start(wait=False)
        for node in c.nodes:
            assert node.proc is not None
            wait_for_port(node.port, node.proc, node.log, timeout=15)
        yield c
    finally:
        for node in c.nodes:
            node.kill()


async def _connect(urls: list[str], user: str, password: str) -> nats.NATS:
    return await nats.connect(
        servers=urls,
        user=user,
        password=password,
        dont_randomize=True,
        allow_reconnect=True,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.1,
        connect_timeout=2,
    )


async def _until(deadline: float, what: str, attempt):
    """Retry an async call until it returns without error (cluster elections take a moment)."""
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            return await attempt()
        except (TimeoutError, nats.errors.Error, nats.js.errors.Error) as exc:
            last = exc
            await asyncio.sleep(0.2)
    raise TimeoutError(f"{what}: still failing at the deadline: {last!r}")


@pytest.mark.slow  # a three-server cluster, its leader killed
@pytest.mark.asyncio
async def test_acknowledged_writes_survive_killing_the_leader(cluster: Cluster) -> None:
    cluster.wait_for_meta_leader()
    for node in cluster.nodes:
        varz = cluster.monitor(node, "/varz")
        assert varz["jetstream"]["config"]["sync_always"] is True, "acks must wait for fsync"
        assert varz["cluster"]["name"] == "gongshi"
    deadline = time.monotonic() + DEADLINE_S
    pw = cluster.passwords
    urls = [n.url for n in cluster.nodes]

    admin = await _connect(urls, "admin", pw["admin"])
    ajs = admin.jetstream(timeout=5)
    config = StreamConfig(
        name="GONGSHI",
        subjects=["gongshi.>"],
        storage=StorageType.FILE,
        num_replicas=3,
        duplicate_window=120,
    )
    info = await _until(deadline, "create stream", lambda: ajs.add_stream(config))
    assert info.config.num_replicas == 3
    info = await _until(deadline, "stream leader", lambda: _stream_with_leader(ajs))
    leader = cluster.by_name(info.cluster.leader)
    assert len(info.cluster.replicas) == 2

    # The publisher (the results service's user) prefers the leader, so the kill
    # costs it both its connection and the stream leader at once.
    order = [leader.url] + [u for u in urls if u != leader.url]
    pub = await _connect(order, "results", pw["results"])
    assert pub.connected_url is not None and pub.connected_url.port == leader.port
    js = pub.jetstream(timeout=2, publish_async_max_pending=TOTAL)

    acked: dict[str, int] = {}  # Nats-Msg-Id -> stream sequence of its (first) ack
    first_try: dict[str, asyncio.Future] = {}
    for i in range(TOTAL):
        if i == KILL_AT:
            # Mid-way, with acks received and publishes in flight: kill the leader.
            await _acks_arrived(first_try.values(), at_least=KILL_AT // 2, until=deadline)
            leader.kill()
        elif i % 100 == 0:
            await asyncio.sleep(0.002)  # let acks flow, as a relay between batches would
        msg_id = f"ev-{i:05d}"
        with contextlib.suppress(nats.errors.Error, nats.js.errors.Error):
            first_try[msg_id] = await js.publish_async(
                f"gongshi.results.published.A{i % 7}",
                f"result {i}".encode(),
                headers={"Nats-Msg-Id": msg_id},
                wait_stall=2,
            )
    # Wait for acks while they keep arriving; the ones lost with the killed node never will.
    pending = set(first_try.values())
    while pending and time.monotonic() < deadline:
        done, pending = await asyncio.wait(pending, timeout=1.5)
        if not done:
            break
    for msg_id, fut in first_try.items():
        if fut.done() and not fut.cancelled() and fut.exception() is None:
            acked[msg_id] = fut.result().seq
        elif not fut.done():
            fut.cancel()
    first_acks = len(acked)
    assert first_acks >= KILL_AT // 2, "the kill must come after many acknowledged writes"

    # Re-publish whatever got no ack, with the same id: JetStream must not store it twice.
    retried = duplicates = 0
    for i in range(TOTAL):
        msg_id = f"ev-{i:05d}"
        while msg_id not in acked:
            if time.monotonic() > deadline:
                pytest.fail(f"{TOTAL - len(acked)} events still unacknowledged at the deadline")
            retried += 1
            try:
                ack = await js.publish(
                    f"gongshi.results.published.A{i % 7}",
                    f"result {i}".encode(),
                    headers={"Nats-Msg-Id": msg_id},
                    timeout=1,
                )
            except (TimeoutError, nats.errors.Error, nats.js.errors.Error):
                await asyncio.sleep(0.1)
                continue
            duplicates += bool(ack.duplicate)
            acked[msg_id] = ack.seq

    # Every acknowledged event is in the stream exactly once.
    info = await _until(deadline, "stream info after failover", lambda: _stream_with_leader(ajs))
    assert info.cluster.leader != leader.name, "a new leader took over"
    assert info.state.messages == TOTAL, (info.state, first_acks, retried, duplicates)
    ids, seqs = await _read_all(ajs, TOTAL, deadline)
    assert len(ids) == TOTAL and len(set(ids)) == TOTAL, "a Nats-Msg-Id is stored twice"
    assert set(ids) == set(acked)
    assert sorted(seqs) == list(range(seqs[0], seqs[0] + TOTAL)), "no gaps"
    stored_at = dict(zip(ids, seqs, strict=True))
    moved = {m: (s, stored_at[m]) for m, s in acked.items() if stored_at[m] != s}
    assert not moved, f"acked sequence differs from stored sequence: {list(moved.items())[:5]}"

    # The killed node comes back from its own store and catches up with the others.
    leader.start()
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, KeyError, IndexError, TypeError):
            stream = cluster.jsz(leader, "?streams=true")["account_details"][0]["stream_detail"][0]
            if stream["state"]["messages"] == TOTAL:
                break
        await asyncio.sleep(0.2)
    else:
        pytest.fail("the restarted node did not catch up")

    await pub.close()
    await admin.close()


async def _acks_arrived(futures, at_least: int, until: float) -> None:
    while time.monotonic() < until:
        if sum(f.done() and not f.cancelled() and f.exception() is None for f in futures) >= at_least:
            return
        await asyncio.sleep(0.01)
    raise TimeoutError(f"fewer than {at_least} acks before the deadline")


async def _stream_with_leader(ajs):
    info = await ajs.stream_info("GONGSHI")
    if info.cluster is None or not info.cluster.leader:
        raise nats.errors.Error("no stream leader yet")
    return info


async def _read_all(ajs, count: int, deadline: float) -> tuple[list[str], list[int]]:
    """Every message's Nats-Msg-Id and stream sequence, read with an ephemeral pull consumer."""
    config = ConsumerConfig(ack_policy=AckPolicy.NONE)
    sub = await _until(
        deadline, "consumer", lambda: ajs.pull_subscribe("gongshi.>", stream="GONGSHI", config=config)
    )
    ids: list[str] = []
    seqs: list[int] = []
    while len(ids) < count and time.monotonic() < deadline:
        try:
            msgs = await sub.fetch(min(500, count - len(ids)), timeout=2)
        except nats.errors.TimeoutError:
            continue
        for m in msgs:
            ids.append((m.headers or {}).get("Nats-Msg-Id", ""))
            seqs.append(m.metadata.sequence.stream)
    await sub.unsubscribe()
    return ids, seqs

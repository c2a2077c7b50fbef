"""nats_publish_sync_always: bare_nats_publish against a server that fsyncs every write.

deploy/nats/embedded.conf and cluster/nats.conf set `sync_interval: always`
(deploy/README.md explains why: an acknowledged publish must be on disk). This
is the same pipelined publish as bare_nats_publish (the server default: fsync
every 2 minutes), so the ratio between the two, measured in the same run, is
the price of that choice on this machine's disk.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator

from bench.bare.nats_js import run_publish
from bench.harness import Benchmark, RunContext, register
from bench.servers import HOST, NATS_SERVER, Server, free_port, spawn


@contextlib.contextmanager
def sync_always_server(ctx: RunContext) -> Iterator[Server]:
    store = ctx.data_dir / "jetstream"
    shutil.rmtree(store, ignore_errors=True)
    store.mkdir(parents=True)
    port = free_port()
    conf = ctx.data_dir / "nats.conf"
    conf.write_text(
        f'host: {HOST}\nport: {port}\njetstream {{\n  store_dir: "{store}"\n  sync_interval: always\n}}\n'
    )
    try:
        with spawn("nats-server-sync-always", [str(NATS_SERVER), "-c", str(conf)], port) as server:
            yield server
    finally:
        shutil.rmtree(store, ignore_errors=True)


register(
    Benchmark(
        key="nats_publish_sync_always",
        unit="msg/s",
        run=run_publish,
        fixture=sync_always_server,
        reference_key="bare_nats_publish",
        target="measured (the deployment's choice)",
        description=(
            "bare_nats_publish (publish_async, window 1000, ~300 B, file storage) against a nats-server "
            "with jetstream { sync_interval: always }: fsync before every ack"
        ),
    )
)

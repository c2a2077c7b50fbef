"""Create or reconcile Gongshi's JetStream streams, as the NATS admin user.

    GONGSHI_NATS_URL=nats://nats:4222 GONGSHI_NATS_USER=admin \
    GONGSHI_NATS_PASSWORD=... GONGSHI_NATS_REPLICAS=3 python deploy/nats/setup_streams.py

Runs once per deployment (compose service `nats-setup`, k8s Job `nats-setup`) and
again whenever stream settings change. The stream definitions are the runtime's
own (services.runtime.bus.stream_configs), so what this creates is exactly what
the services expect: a service's own idempotent "create" of the same stream is
then a no-op, and services never need the right to change or delete a stream
(deploy/nats/auth.conf gives that only to admin).

Missing streams are created; existing ones are updated to the configured
settings (including growing replicas from 1 to 3). Exit status 0 means both
streams exist with the configured settings.
"""

from __future__ import annotations

import asyncio
import sys
import time

import nats
from nats.js.errors import NotFoundError

from services.runtime.bus import oversight_consumer_configs, stream_configs
from services.runtime.settings import Settings

CONNECT_DEADLINE_S = 120.0
# Settings compared to decide whether an update is needed.
COMPARED = ("subjects", "num_replicas", "duplicate_window", "max_age", "storage", "max_bytes", "max_msgs")


async def reconcile(settings: Settings) -> list[str]:
    deadline = time.monotonic() + CONNECT_DEADLINE_S
    while True:
        try:
            nc = await nats.connect(
                servers=settings.nats_servers,
                user=settings.nats_user or None,
                password=settings.nats_password or None,
                name="gongshi-setup-streams",
                connect_timeout=2,
                max_reconnect_attempts=10,
            )
            break
        except Exception as exc:  # NATS not up yet: keep trying until the deadline
            if time.monotonic() > deadline:
                raise
            print(f"waiting for NATS: {exc!r}", file=sys.stderr)
            await asyncio.sleep(2)
    js = nc.jetstream(timeout=10)
    done: list[str] = []
    try:
        for config in stream_configs(settings):
            while True:
                try:
                    try:
                        info = await js.stream_info(config.name)
                    except NotFoundError:
                        await js.add_stream(config)
                        done.append(f"{config.name}: created (replicas {config.num_replicas})")
                        break
                    current = info.config.as_dict()
                    wanted = config.as_dict()
                    # Only what the runtime sets: unset (None) fields keep the server's defaults.
                    diff = {
                        k: (current.get(k), wanted[k])
                        for k in COMPARED
                        if wanted.get(k) is not None and current.get(k) != wanted[k]
                    }
                    if diff:
                        await js.update_stream(config)
                        done.append(f"{config.name}: updated {diff}")
                    else:
                        done.append(f"{config.name}: up to date")
                    break
                except (nats.errors.TimeoutError, nats.js.errors.ServiceUnavailableError) as exc:
                    # A cluster still electing its meta leader answers 503 or not at all.
                    if time.monotonic() > deadline:
                        raise
                    print(f"JetStream not ready: {exc!r}", file=sys.stderr)
                    await asyncio.sleep(2)
        # The oversight user's pull consumers: it may bind and fetch, never create.
        for consumer in oversight_consumer_configs():
            try:
                await js.consumer_info("GONGSHI", consumer.durable_name)
                done.append(f"consumer {consumer.durable_name}: exists")
            except NotFoundError:
                await js.add_consumer("GONGSHI", consumer)
                done.append(f"consumer {consumer.durable_name}: created ({consumer.filter_subject})")
    finally:
        await nc.close()
    return done


def main() -> int:
    settings = Settings()
    for line in asyncio.run(reconcile(settings)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

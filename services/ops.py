"""Operator commands of the `gongshi` CLI: platform status, tailing events,
and dead letters. They read the services' databases and NATS directly (by
the same settings the services use), so they work while a service is down."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import pkgutil
import sys

from google.protobuf import json_format, symbol_database
from nats.js.api import ConsumerConfig, DeliverPolicy
from sqlalchemy import func
from sqlmodel import select

import gongshi.v1
from services.runtime import events as ev
from services.runtime.bus import INTERNAL_STREAM, PUBLIC_STREAM, Bus
from services.runtime.clock import Clock
from services.runtime.db import Database
from services.runtime.outbox import OutboxRow
from services.runtime.settings import SERVICE_NAMES, Settings
from services.runtime.subscription import DeadLetterRow
from services.supervisor import read_state


def add_commands(sub: argparse._SubParsersAction) -> None:
    status = sub.add_parser(
        "status", help="restarts of each part, outbox backlog, dead letters and consumer lag of every service"
    )
    status.set_defaults(func=lambda args, settings: asyncio.run(show_status(settings)))

    events = sub.add_parser("events", help="the event stream").add_subparsers()
    tail = events.add_parser("tail", help="print events as JSON lines (Ctrl-C stops)")
    tail.add_argument("--domain", default="*", help="duties, procedures, results, feedback, deadletter")
    tail.add_argument("--event", default="*", help="e.g. published, withdrawn, overdue")
    tail.add_argument("--agency", default="*", help="agency code")
    tail.add_argument("--from-start", action="store_true", help="from the first event, not only new ones")
    tail.add_argument("--limit", type=int, default=0, help="stop after this many events")
    tail.set_defaults(func=lambda args, settings: asyncio.run(tail_events(settings, args)))

    dead = sub.add_parser("deadletters", help="messages a consumer gave up on").add_subparsers()
    listing = dead.add_parser("list", help="list dead letters of a service")
    listing.add_argument("--service", required=True, choices=SERVICE_NAMES)
    listing.set_defaults(func=lambda args, settings: asyncio.run(list_dead_letters(settings, args.service)))
    replay = dead.add_parser("replay", help="ask the consumer to apply dead letters again")
    replay.add_argument("--service", required=True, choices=SERVICE_NAMES)
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int, action="append", help="dead letter id (repeatable)")
    which.add_argument("--all", action="store_true", help="every dead letter not yet replayed")
    replay.set_defaults(func=lambda args, settings: asyncio.run(replay_dead_letters(settings, args)))


def show_parts(settings: Settings) -> None:
    """The launcher's view: each part's pid and restarts (data_dir/supervisor.json)."""
    state = read_state(settings.data_dir)
    if state is None:
        print("parts: no launcher state (the platform was not started by `gongshi run` here)\n")
        return
    print(f"launcher pid {state['launcher_pid']}")
    print(f"{'part':<12} {'pid':>8} {'restarts':>9} {'last exit':>10}  log")
    for name, part in state["parts"].items():
        pid = part["pid"] or "down"
        last = "-" if part["last_exit_status"] is None else part["last_exit_status"]
        print(f"{name:<12} {pid!s:>8} {part['restarts']:>9} {last!s:>10}  {part['log']}")
    print()


async def show_status(settings: Settings) -> int:
    show_parts(settings)
    print(f"{'service':<12} {'outbox pending':>14} {'oldest pending':>26} {'dead letters':>12}")
    for name in SERVICE_NAMES:
        db = Database(settings.db_url(name))
        try:
            async with db.reader() as session:
                pending, oldest = (
                    await session.exec(
                        select(func.count(), func.min(OutboxRow.created_at)).where(
                            OutboxRow.sent_at.is_(None)
                        )
                    )
                ).one()
                dead = await session.scalar(
                    select(func.count()).select_from(DeadLetterRow).where(DeadLetterRow.replayed_at.is_(None))
                )
            print(f"{name:<12} {pending:>14} {oldest or '-'!s:>26} {dead:>12}")
        except Exception as exc:
            print(f"{name:<12} unreadable: {exc}")
        finally:
            await db.dispose()
    bus = Bus(settings, "gongshi-cli")
    await bus.connect(attempts=3)
    try:
        print(f"\n{'stream':<18} {'consumer':<28} {'pending':>8} {'unacked':>8} {'redelivered':>11}")
        for stream in (PUBLIC_STREAM, INTERNAL_STREAM):
            info = await bus.js.stream_info(stream)
            print(f"{stream:<18} {'(messages)':<28} {info.state.messages:>8}")
            for consumer in await bus.js.consumers_info(stream):
                print(
                    f"{'':<18} {consumer.name:<28} {consumer.num_pending:>8} {consumer.num_ack_pending:>8} "
                    f"{consumer.num_redelivered:>11}"
                )
    finally:
        await bus.close()
    return 0


def _load_event_types() -> None:
    for module in pkgutil.iter_modules(gongshi.v1.__path__):
        if module.name.endswith("_pb2"):
            importlib.import_module(f"gongshi.v1.{module.name}")


def decode(event_type: str, data: bytes) -> dict:
    try:
        message = symbol_database.Default().GetSymbol(event_type)()
        message.ParseFromString(data)
        return json_format.MessageToDict(message, preserving_proto_field_name=True)
    except Exception:
        return {"undecodable": data.hex()}


async def tail_events(settings: Settings, args: argparse.Namespace) -> int:
    _load_event_types()
    subject = f"gongshi.{args.domain}.{args.event}.{args.agency}"
    bus = Bus(settings, "gongshi-cli")
    await bus.connect(attempts=3)
    try:
        policy = DeliverPolicy.ALL if args.from_start else DeliverPolicy.NEW
        sub = await bus.js.subscribe(
            subject, ordered_consumer=True, deliver_policy=policy, config=ConsumerConfig(headers_only=False)
        )
        shown = 0
        while not args.limit or shown < args.limit:
            try:
                msg = await sub.next_msg(timeout=60)
            except TimeoutError:
                continue
            headers = msg.headers or {}
            event_type = headers.get(ev.HEADER_EVENT_TYPE, "")
            print(
                json.dumps(
                    {
                        "seq": msg.metadata.sequence.stream,
                        "subject": msg.subject,
                        "type": event_type,
                        "id": headers.get(ev.HEADER_MSG_ID),
                        "occurred_at": headers.get(ev.HEADER_OCCURRED_AT),
                        "body": decode(event_type, msg.data),
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
            shown += 1
    except KeyboardInterrupt:
        pass
    finally:
        await bus.close()
    return 0


async def list_dead_letters(settings: Settings, service: str) -> int:
    db = Database(settings.db_url(service))
    try:
        async with db.reader() as session:
            rows = (await session.exec(select(DeadLetterRow).order_by(DeadLetterRow.id))).all()
    finally:
        await db.dispose()
    for row in rows:
        state = "replayed" if row.replayed_at else "replay requested" if row.replay_requested_at else "parked"
        print(
            f"{row.id:>6}  {row.consumer:<28} {row.event_type:<36} {row.event_id}  {state}\n"
            f"        {row.subject}  deliveries={row.deliveries}  error: {row.error[:200]}"
        )
    if not rows:
        print(f"no dead letters in {service}")
    return 0


async def replay_dead_letters(settings: Settings, args: argparse.Namespace) -> int:
    db = Database(settings.db_url(args.service))
    try:
        async with db.transaction() as session:
            query = select(DeadLetterRow).where(DeadLetterRow.replayed_at.is_(None))
            if args.id:
                query = query.where(DeadLetterRow.id.in_(args.id))
            rows = (await session.exec(query)).all()
            now = Clock(settings.clock_file).now()
            for row in rows:
                row.replay_requested_at = now
                session.add(row)
    finally:
        await db.dispose()
    if args.id and len(rows) < len(args.id):
        print("some ids are unknown or already replayed", file=sys.stderr)
    print(f"{len(rows)} dead letter(s) marked; the {args.service} consumer applies them within seconds")
    return 0

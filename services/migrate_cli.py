"""`gongshi migrate`: schema migrations of the services' databases by hand
(services also upgrade themselves to head when they start)."""

from __future__ import annotations

import argparse
import asyncio
import importlib

from services.runtime import migrations
from services.runtime.db import Database
from services.runtime.settings import SERVICE_NAMES, Settings


def add_commands(sub: argparse._SubParsersAction) -> None:
    migrate = sub.add_parser("migrate", help="database schema migrations").add_subparsers()
    for name, help_text, func in (
        ("upgrade", "bring databases to the newest schema", _upgrade),
        ("current", "show each database's schema revision", _current),
        ("check", "fail when a database differs from the models", _check),
    ):
        command = migrate.add_parser(name, help=help_text)
        command.add_argument(
            "--service",
            choices=SERVICE_NAMES,
            action="append",
            help="only this service (repeatable; default: all)",
        )
        command.set_defaults(func=lambda args, settings, f=func: asyncio.run(_each(settings, args, f)))
    revision = migrate.add_parser("revision", help="write the next revision from the models (developers)")
    revision.add_argument("--service", choices=SERVICE_NAMES, required=True)
    revision.add_argument("-m", "--message", required=True)
    revision.set_defaults(func=lambda args, settings: asyncio.run(_revision(settings, args)))


async def service_tables(service: str, settings: Settings) -> list:
    """The tables a service manages, exactly as its composition root wires them."""
    runtime = importlib.import_module(f"services.{service}.main").build(settings)
    return runtime.tables


async def _each(settings: Settings, args: argparse.Namespace, action) -> int:
    failed = 0
    for service in args.service or SERVICE_NAMES:
        db = Database(settings.db_url(service))
        try:
            failed += await action(service, db, await service_tables(service, settings))
        finally:
            await db.dispose()
    return 1 if failed else 0


async def _upgrade(service: str, db: Database, tables) -> int:
    await migrations.upgrade(db, service, tables)
    print(f"{service}: at {await migrations.current(db)}")
    return 0


async def _current(service: str, db: Database, tables) -> int:
    head = migrations.head(service, tables)
    at = await migrations.current(db)
    print(f"{service}: at {at or '(empty)'}; newest {head}{'' if at == head else '  (upgrade pending)'}")
    return 0


async def _check(service: str, db: Database, tables) -> int:
    differences = await migrations.drift(db, tables)
    print(f"{service}: {'matches the models' if not differences else 'DIFFERS: ' + repr(differences)}")
    return 1 if differences else 0


async def _revision(settings: Settings, args: argparse.Namespace) -> int:
    db = Database(settings.db_url(args.service))
    try:
        path = await migrations.write_revision(
            db, args.service, await service_tables(args.service, settings), args.message
        )
    finally:
        await db.dispose()
    print(f"wrote {path}; read it, then commit it")
    return 0

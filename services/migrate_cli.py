"""`gongshi migrate`: schema migrations of the services' databases by hand
(services also upgrade themselves to their heads when they start)."""

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
    branch = revision.add_mutually_exclusive_group(required=True)
    branch.add_argument("--service", choices=SERVICE_NAMES, help="of this service's own tables")
    branch.add_argument(
        "--runtime",
        action="store_true",
        help="of the runtime's tables every service has (outbox, inbox, dead letters, credentials, audit)",
    )
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


def _revisions(revisions) -> str:
    return ", ".join(sorted(revisions)) or "(empty)"


async def _upgrade(service: str, db: Database, tables) -> int:
    await migrations.upgrade(db, service, tables)
    print(f"{service}: at {_revisions(await migrations.current(db))}")
    return 0


async def _current(service: str, db: Database, tables) -> int:
    heads = migrations.heads(service)
    at = await migrations.current(db)
    pending = "" if at == heads else "  (upgrade pending)"
    print(f"{service}: at {_revisions(at)}; newest {_revisions(heads)}{pending}")
    return 0


async def _check(service: str, db: Database, tables) -> int:
    differences = await migrations.drift(db, tables)
    print(f"{service}: {'matches the models' if not differences else 'DIFFERS: ' + repr(differences)}")
    return 1 if differences else 0


async def _revision(settings: Settings, args: argparse.Namespace) -> int:
    from services.runtime.app import RUNTIME_TABLES

    # A runtime revision is written on the first service's database: every one has those tables.
    service = args.service or SERVICE_NAMES[0]
    tables = await service_tables(service, settings)
    runtime = {table.name for table in RUNTIME_TABLES}
    branch_tables = [t for t in tables if (t.name in runtime) == args.runtime]
    db = Database(settings.db_url(service))
    try:
        path = await migrations.write_revision(
            db,
            service,
            tables,
            args.message,
            branch=migrations.RUNTIME if args.runtime else service,
            branch_tables=branch_tables,
        )
    finally:
        await db.dispose()
    print(f"wrote {path}; read it, then commit it")
    return 0

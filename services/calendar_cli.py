"""`gongshi calendar`: the holiday data working days are counted with.

gongshi calendar show [YEAR]     the years known (source, notice), or one year's days
gongshi calendar add FILE.json   add a year from the State Council's notice (to GONGSHI_CALENDAR_DIR)
gongshi calendar check           stored deadlines that are provisional, and why

Running services notice an added year by themselves (they look at
GONGSHI_CALENDAR_DIR on every scan) and revise their provisional deadlines.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from sqlalchemy import or_
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from gongshi.v1 import feedback_pb2
from gongshi.v1 import results_pb2 as pb
from services.runtime import holidays
from services.runtime.db import Database
from services.runtime.settings import Settings


def add_commands(sub: argparse._SubParsersAction) -> None:
    calendar = sub.add_parser("calendar", help="holiday data for working-day deadlines").add_subparsers()
    show = calendar.add_parser("show", help="the years known, or one year's rest and make-up working days")
    show.add_argument("year", nargs="?", type=int)
    show.set_defaults(func=cmd_show)
    add = calendar.add_parser("add", help="add a year's holidays from the State Council's notice")
    add.add_argument("file", help="a year file (format: docs/calendar.md); - reads standard input")
    add.add_argument("--dir", help=f"where to write it (default: ${holidays.CALENDAR_DIR_ENV})")
    add.set_defaults(func=cmd_add)
    check = calendar.add_parser("check", help="stored deadlines that are provisional (a year without data)")
    check.set_defaults(func=lambda args, settings: asyncio.run(check_provisional(settings)))


def cmd_show(args, settings: Settings) -> int:
    data = holidays.current()
    if args.year is None:
        for year, item in sorted(data.years.items()):
            source = "local" if year in data.local_years else "shipped"
            notice = " ".join(x for x in (item.notice_number, item.notice_date) if x) or "number/date unknown"
            print(
                f"{year}  {source:<7}  {len(item.holidays):>2} rest  {len(item.workdays)} make-up  {notice}"
            )
        last = max(data.years)
        print(f"deadlines past {last}-12-31 are provisional until {last + 1} is added")
        return 0
    item = data.years.get(args.year)
    if item is None:
        print(f"no holiday data for {args.year}: add it with `gongshi calendar add`", file=sys.stderr)
        return 1
    print(json.dumps(item.to_json(), ensure_ascii=False, indent=1))
    return 0


def cmd_add(args, settings: Settings) -> int:
    directory = Path(args.dir) if args.dir else holidays.local_dir()
    if directory is None:
        print(
            f"error: set {holidays.CALENDAR_DIR_ENV} (the services read it too) or pass --dir",
            file=sys.stderr,
        )
        return 2
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
        data = holidays.parse_year(json.loads(text), args.file)
    except (OSError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
        print(f"error: {exc}", file=sys.stderr)
        return 1
    path = holidays.add_to_dir(data, directory)
    print(
        f"{path}: {data.year}, {len(data.holidays)} rest days, {len(data.workdays)} make-up working days "
        f"({data.notice_title}); running services revise their provisional deadlines on their next scan"
    )
    return 0


async def check_provisional(settings: Settings) -> int:
    """Print every stored deadline that lies in a year without holiday data."""
    data = holidays.current()
    first_unknown = max(data.years) + 1
    why = f"no holiday data for {first_unknown} yet: its days counted Monday–Friday"
    found = 0
    for service, read in (("results", _results), ("feedback", _feedback)):
        try:
            rows = await read(settings, first_unknown)
        except DBAPIError as exc:
            print(
                f"{service}: cannot read its database ({exc.orig}); start the platform once", file=sys.stderr
            )
            continue
        for record_id, agency, kind, due, status in rows:
            print(f"{service:<9} {record_id:<28} {agency:<20} {kind:<11} {due}  {status:<22} {why}")
            found += 1
    print(f"{found} provisional deadline(s)" if found else "no provisional deadlines")
    return 0


async def _read(settings: Settings, service: str, query) -> list:
    """The rows of one query on a service's database, opened for it alone."""
    db = Database(settings.db_url(service))
    try:
        async with db.reader() as session:
            return list((await session.exec(query)).all())
    finally:
        await db.dispose()


async def _results(settings: Settings, since_year: int) -> list[tuple]:
    from services.results.models import ResultRow
    from services.results.revision import may_be_revised

    rows = await _read(settings, "results", select(ResultRow.doc).where(may_be_revised(since_year)))
    out = []
    for doc in rows:
        r = pb.Result.FromString(doc)
        status = pb.ResultStatus.Name(r.status).removeprefix("RESULT_STATUS_").lower()
        if r.deadline_provisional:
            out.append((r.id, r.agency_code, "publication", r.publish_deadline, status))
        if r.withdrawal_deadline_provisional:
            out.append((r.id, r.agency_code, "withdrawal", r.withdrawal_deadline, status))
    return out


async def _feedback(settings: Settings, since_year: int) -> list[tuple]:
    from services.feedback.models import FeedbackRow

    since = f"{since_year}-01-01"
    due_since = or_(FeedbackRow.acceptance_due >= since, FeedbackRow.conclusion_due >= since)
    rows = await _read(settings, "feedback", select(FeedbackRow).where(due_since))
    out = []
    for row in rows:
        status = feedback_pb2.FeedbackStatus.Name(row.status).removeprefix("FEEDBACK_STATUS_").lower()
        for kind, due in (("acceptance", row.acceptance_due), ("conclusion", row.conclusion_due)):
            if due and due >= since:
                out.append((row.id, row.agency_code, kind, due, status))
    return out

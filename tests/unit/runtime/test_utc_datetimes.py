"""Stored instants are aware UTC on every back-end and every read path.

One mechanism does it: SQLModel (>= 0.0.45) gives every `dt.datetime` field
its UTCDateTime column type, which refuses a naive value on the way in,
stores UTC (SQLite: the wall time without an offset; PostgreSQL: timestamptz)
and hands back aware UTC datetimes. Code that reads a stored instant needs no
"naive means UTC" guard; these tests keep it that way."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from sqlalchemy import Date, DateTime, Time, TypeDecorator, func, text, tuple_
from sqlalchemy.exc import StatementError
from sqlmodel import SQLModel, UTCDateTime, select

from services.feedback import queries
from services.results import records
from services.runtime import paging
from services.runtime.db import Database
from services.runtime.errors import InvalidArgument
from services.runtime.outbox import OutboxRow
from services.runtime.settings import SERVICE_NAMES

OUTBOX = OutboxRow.__table__
CHINA = dt.timezone(dt.timedelta(hours=8))
# 10:00 in China is 02:00 UTC: a value that kept its offset would show it.
LOCAL = [dt.datetime(2026, 11, 2, hour, 0, 0, 123456, tzinfo=CHINA) for hour in (9, 10, 11)]
NAIVE = dt.datetime(2026, 11, 2, 2, 0)
TIMEZONE_REQUIRED = "must have timezone information"


def _row(i: int, created_at: dt.datetime) -> dict:
    return {
        "event_id": f"e{i}",
        "subject": "gongshi.test",
        "event_type": "t",
        "payload": b"x",
        "headers": "{}",
        "created_at": created_at,
        "sent_at": None,
    }


def _is_utc(value: dt.datetime) -> bool:
    return value.utcoffset() == dt.timedelta(0)


def test_every_datetime_column_of_every_table_is_utc():
    """A model that names its own type (sa_type=DateTime(timezone=True),
    NaiveDatetime) would bypass the mechanism: SQLite would hand back naive
    values again. Every table of the four services and the gateway is here."""
    for service in SERVICE_NAMES:
        importlib.import_module(f"services.{service}.main")
    importlib.import_module("gateway.subscriptions.hub")  # the gateway's own tables
    found = {
        f"{table.name}.{column.name}": column.type
        for table in SQLModel.metadata.tables.values()
        for column in table.columns
        if isinstance(_stored_as(column.type), (DateTime, Date, Time))
    }
    assert len(found) > 60  # the services' and the gateway's timestamps, not an empty walk
    others = {name: repr(kind) for name, kind in found.items() if not isinstance(kind, UTCDateTime)}
    assert others == {}


def _stored_as(kind):
    return kind.impl if isinstance(kind, TypeDecorator) else kind


async def test_every_read_path_returns_aware_utc(db_url):
    db = Database(db_url)
    try:
        await db.create_tables([OUTBOX])
        async with db.transaction() as session:
            session.add(OutboxRow(**_row(0, LOCAL[0])))
        # The executemany path results' bulk writes take (compiled once, the column's bind processor).
        await db.unit(lambda conn: records.insert_rows(conn, OUTBOX, [_row(1, LOCAL[1]), _row(2, LOCAL[2])]))
        async with db.reader() as session:
            orm = [r.created_at for r in (await session.exec(select(OutboxRow).order_by(OutboxRow.id))).all()]
            core = list(await session.exec(select(OUTBOX.c.created_at).order_by(OUTBOX.c.id)))
            oldest = await session.scalar(select(func.min(OutboxRow.created_at)))
            # Feedback's cursor paging: a row-value comparison binds each side with its column's type.
            before = list(
                await session.exec(
                    select(OUTBOX.c.event_id).where(
                        tuple_(OUTBOX.c.created_at, OUTBOX.c.event_id) < (LOCAL[2], "e2")
                    )
                )
            )
        in_unit = await db.unit(
            lambda conn: list(conn.execute(select(OUTBOX.c.created_at).order_by(OUTBOX.c.id)).scalars())
        )
        for values in (orm, core, in_unit, [oldest]):
            assert all(_is_utc(v) for v in values), values
        assert orm == core == in_unit == LOCAL and oldest == LOCAL[0]
        assert sorted(before) == ["e0", "e1"]
    finally:
        await db.dispose()


async def test_the_stored_form_is_utc_without_a_zone_on_sqlite(db_url):
    """What existing databases hold, unchanged: SQLite keeps the UTC wall time
    as text; PostgreSQL a timestamptz. A text() query bypasses the column type
    (SQLite hands it the text): stored instants are read through the model."""
    db = Database(db_url)
    try:
        await db.create_tables([OUTBOX])
        async with db.transaction() as session:
            session.add(OutboxRow(**_row(0, LOCAL[1])))
        async with db.reader() as session:
            raw = await session.scalar(text("SELECT created_at FROM outbox"))
        if db.is_sqlite:
            assert raw == "2026-11-02 02:00:00.123456"
        else:
            assert raw == LOCAL[1] and _is_utc(raw)
    finally:
        await db.dispose()


async def test_a_naive_value_is_refused_on_every_write_path(db_url):
    db = Database(db_url)
    try:
        await db.create_tables([OUTBOX])
        with pytest.raises(StatementError, match=TIMEZONE_REQUIRED):
            async with db.transaction() as session:
                session.add(OutboxRow(**_row(0, NAIVE)))
        # The executemany path runs the bind processors itself: the type's own ValueError.
        with pytest.raises(ValueError, match=TIMEZONE_REQUIRED):
            await db.unit(lambda conn: records.insert_rows(conn, OUTBOX, [_row(1, NAIVE)]))
        with pytest.raises(StatementError, match=TIMEZONE_REQUIRED):
            async with db.reader() as session:
                await session.exec(select(OutboxRow).where(OutboxRow.created_at >= NAIVE))
        async with db.reader() as session:
            assert await session.scalar(select(func.count()).select_from(OUTBOX)) == 0
    finally:
        await db.dispose()


def test_a_feedback_cursor_without_an_offset_is_not_one_we_issued():
    """The cursor carries a stored instant with its offset; a naive one would be
    refused by the column type at the query, so it is refused where it is parsed."""
    issued = paging.encode_token(LOCAL[1].astimezone(dt.UTC).isoformat(), "f1")
    assert queries._decode_cursor(issued) == (LOCAL[1], "f1")
    with pytest.raises(InvalidArgument):
        queries._decode_cursor(paging.encode_token(NAIVE.isoformat(), "f1"))

"""Results' local copy of duty items (services/results/duty_items.py) on a
real SQLite file: event order does not matter, and the check refuses what
the agency has not published."""

from __future__ import annotations

import datetime as dt

import pytest

from gongshi.v1 import common_pb2
from gongshi.v1 import duties_pb2 as pb
from services.results.duty_items import DutyItemCopy, apply_duty_item, check_duty_item
from services.runtime.db import Database
from services.runtime.errors import FailedPrecondition

NOW = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)


def item(version: int, status: int, name: str = "对某行为的处罚") -> pb.DutyItem:
    return pb.DutyItem(
        agency_code="SCJG-310101",
        code="CF-001",
        name=name,
        publication=common_pb2.Publication(version=version, status=status),
    )


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'copy.db'}")
    await database.create_tables([DutyItemCopy.__table__])
    yield database
    await database.dispose()


async def apply(db: Database, *events: pb.DutyItem) -> None:
    for event in events:
        async with db.transaction() as session:
            await apply_duty_item(session, event, NOW)


async def check(db: Database, code: str = "CF-001") -> None:
    async with db.reader() as session:
        await check_duty_item(session, "SCJG-310101", code)


async def test_empty_code_is_always_allowed(db):
    await check(db, "")


async def test_unknown_item_is_refused_naming_the_field(db):
    with pytest.raises(FailedPrecondition) as caught:
        await check(db)
    assert caught.value.message.startswith("decision.duty_item_code:")


async def test_retirement_wins_over_a_late_publication_of_the_same_version(db):
    published, retired = (
        item(1, common_pb2.PUBLICATION_STATUS_PUBLISHED),
        item(1, common_pb2.PUBLICATION_STATUS_RETIRED),
    )
    await apply(db, published)
    await check(db)
    await apply(db, retired, published)  # a redelivered older event changes nothing
    with pytest.raises(FailedPrecondition, match="retired"):
        await check(db)
    await apply(db, item(2, common_pb2.PUBLICATION_STATUS_PUBLISHED, name="新名称"))
    await check(db)
    async with db.reader() as session:
        row = await session.get(DutyItemCopy, ("SCJG-310101", "CF-001"))
    assert (row.version, row.name) == (2, "新名称")


async def test_other_agencies_items_do_not_count(db):
    await apply(db, item(1, common_pb2.PUBLICATION_STATUS_PUBLISHED))
    async with db.reader() as session:
        with pytest.raises(FailedPrecondition):
            await check_duty_item(session, "CGZF-310101", "CF-001")

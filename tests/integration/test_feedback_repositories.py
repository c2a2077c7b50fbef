"""Feedback's storage: the unit of work and its repositories
(services/feedback/unit_of_work.py, repositories.py) on the real databases,
and the in-memory fake the use-case tests run on (tests/support/feedback_fakes.py)
held to the same answers, so a use-case test on the fake tells the truth
about the service. Row locks are tested where they matter: concurrent
writers of one case on the real databases."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func
from sqlmodel import select

from gongshi.v1 import feedback_pb2 as pb
from services.feedback.handlers import FeedbackHandlers
from services.feedback.models import (
    TABLES,
    AdditionRow,
    AgencyCopy,
    FeedbackRow,
    FlagRow,
    HistoryRow,
    RecordCopy,
    ReplyRow,
    SubmissionRow,
)
from services.feedback.unit_of_work import DatabaseUnits, FeedbackUnits, feedback_event
from services.runtime.app import RUNTIME_TABLES
from services.runtime.audit import AuditRow
from services.runtime.db import Database
from services.runtime.outbox import OutboxRow
from tests.support.databases import PostgresDatabases, backends, require_postgres
from tests.support.feedback_fakes import FakeClock, FakeProcess, FakeUnits, agency

S = pb.FeedbackStatus
T0 = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in China


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def case_row(feedback_id: str, **fields) -> FeedbackRow:
    values = dict(
        agency_code="SCJG",
        original_agency_code="SCJG",
        target_type=pb.FEEDBACK_TARGET_TYPE_AGENCY,
        target_id="SCJG",
        target_agency_code="SCJG",
        target_state=pb.TARGET_STATE_CURRENT,
        category=pb.FEEDBACK_CATEGORY_COMPLAINT,
        status=S.FEEDBACK_STATUS_RECEIVED,
        text="原文",
        text_public="原文",
        text_digest="digest",
        text_moderation=pb.MODERATION_STATE_VISIBLE,
        received_at=T0,
        received_on="2026-11-02",
        acceptance_due="2026-11-09",
        updated_at=T0,
    )
    return FeedbackRow(id=feedback_id, **{**values, **fields})


def submission(feedback_id: str, received_at: dt.datetime = T0, **fields) -> SubmissionRow:
    values = dict(secret_sha256=b"s", client_hash="client-a", target_key="2:SCJG:SCJG")
    return SubmissionRow(feedback_id=feedback_id, received_at=received_at, **{**values, **fields})


@dataclass
class Store:
    """One of the two implementations, and how to read what it committed."""

    units: FeedbackUnits
    db: Database | None = None

    async def outbox_and_audit(self) -> tuple[int, int]:
        if self.db is None:
            return len(self.units.outbox), len(self.units.audit_log)
        async with self.db.reader() as session:
            outbox = await session.scalar(select(func.count()).select_from(OutboxRow))
            audits = await session.scalar(select(func.count()).select_from(AuditRow))
        return outbox, audits

    async def seed(self, *rows) -> None:
        if self.db is None:
            t = self.units.tables
            for row in rows:
                if isinstance(row, FeedbackRow):
                    t.cases[row.id] = row
                elif isinstance(row, AgencyCopy):
                    t.agencies[row.code] = row
                else:
                    table = {SubmissionRow: t.submissions, RecordCopy: t.records, FlagRow: t.flags}[type(row)]
                    table.append(t.with_id(row) if hasattr(row, "id") else row)
            return
        async with self.db.transaction() as session:
            for row in rows:
                session.add(row)
                await session.flush()  # in the order given: autoincrement ids follow it


def _url(kind: str, tmp_path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'feedback.db'}"
        return
    require_postgres()
    databases = PostgresDatabases()
    yield databases.url("feedback_repositories")
    databases.drop_all()


@pytest.fixture(params=["fake", *backends()])
def store_url(request, tmp_path) -> Iterator[str]:
    if request.param == "fake":
        yield "fake"
    else:
        yield from _url(request.param, tmp_path)


@pytest.fixture
async def store(store_url) -> AsyncIterator[Store]:
    if store_url == "fake":
        yield Store(FakeUnits())
        return
    db = Database(store_url)
    await db.create_tables([*RUNTIME_TABLES, *TABLES])
    yield Store(DatabaseUnits(db), db)
    await db.dispose()


# ---------------------------------------------------------------- the unit's promises


async def test_a_unit_that_raises_leaves_no_row_event_or_audit_entry(store: Store):
    await store.seed(case_row("GS-1"), submission("GS-1"))
    with pytest.raises(RuntimeError, match="refused"):
        async with store.units.writing("test.refused", at(1)) as uow:
            row = await uow.cases.get("GS-1", for_update=True)
            row.status, row.version = S.FEEDBACK_STATUS_ACCEPTED, 2
            uow.cases.save(row)
            uow.cases.add(case_row("GS-2"))
            await uow.cases.add_submission(submission("GS-2"))
            uow.cases.add_history(
                HistoryRow(feedback_id="GS-1", at=at(1), event="accepted", status=2, agency_code="SCJG")
            )
            uow.emit(feedback_event("accepted", "SCJG", pb.FeedbackAccepted()))
            uow.audit(None, operation="Test", record_id="GS-1", before=None, after=None)
            raise RuntimeError("refused")
    async with store.units.reading() as uow:
        row = await uow.cases.get("GS-1")
        assert (row.status, row.version) == (S.FEEDBACK_STATUS_RECEIVED, 1)
        assert await uow.cases.get("GS-2") is None and await uow.cases.submissions("GS-2") == []
        assert (await uow.cases.bundle(row)).history == []
    assert await store.outbox_and_audit() == (0, 0)


async def test_a_unit_that_ends_commits_its_rows_events_and_audit_entries_together(store: Store):
    await store.seed(case_row("GS-1"))
    async with store.units.writing("test.accept", at(1)) as uow:
        row = await uow.cases.get("GS-1", for_update=True)
        row.status = S.FEEDBACK_STATUS_ACCEPTED
        uow.cases.save(row)
        uow.emit(feedback_event("accepted", "SCJG", pb.FeedbackAccepted()))
        uow.audit(agency("SCJG"), operation="Test", record_id="GS-1", before=None, after=None)
    async with store.units.reading() as uow:
        assert (await uow.cases.get("GS-1")).status == S.FEEDBACK_STATUS_ACCEPTED
    assert await store.outbox_and_audit() == (1, 1)


async def test_ids_are_assigned_on_add_and_parts_read_back_in_order(store: Store):
    await store.seed(
        case_row("GS-1"), AgencyCopy(code="SCJG", name="测试局", region_code="310101", version=1)
    )
    async with store.units.writing("test.parts", at(1)) as uow:
        first, second = submission("GS-1"), submission("GS-1", client_hash="client-b")
        await uow.cases.add_submission(first)
        await uow.cases.add_submission(second)
        assert first.id is not None and second.id > first.id
        addition = AdditionRow(feedback_id="GS-1", submission_id=second.id, text="补充", added_at=at(1))
        await uow.cases.add_addition(addition)
        assert addition.id is not None
        for i, event in enumerate(("received", "accepted", "replied")):
            uow.cases.add_history(
                HistoryRow(feedback_id="GS-1", at=T0, event=event, status=i, agency_code="SCJG")
            )
        for reply_id, minutes in (("r-b", 5), ("r-a", 5), ("r-c", 1)):
            uow.cases.add_reply(
                ReplyRow(
                    id=reply_id,
                    feedback_id="GS-1",
                    agency_code="SCJG",
                    text="答复",
                    text_public="答复",
                    replied_at=at(minutes),
                    moderation=pb.MODERATION_STATE_VISIBLE,
                )
            )
    async with store.units.reading() as uow:
        row = await uow.cases.get("GS-1")
        bundle = await uow.cases.bundle(row)
        assert bundle.agency_name == "测试局"
        assert [h.event for h in bundle.history] == ["received", "accepted", "replied"]
        assert [r.id for r in bundle.replies] == ["r-c", "r-a", "r-b"]  # by time, then id
        assert [s.client_hash for s in await uow.cases.submissions("GS-1")] == ["client-a", "client-b"]
        assert [a.text for a in await uow.cases.additions("GS-1")] == ["补充"]
        assert (await uow.cases.reply("r-a")).feedback_id == "GS-1" and await uow.cases.reply("r-x") is None


# ---------------------------------------------------------------- what the rules count on


async def test_windows_count_what_came_strictly_after_their_start(store: Store):
    await store.seed(
        submission("GS-1", at(0)),
        submission("GS-1", at(10)),
        submission("GS-2", at(20), client_hash="client-b"),
        FlagRow(feedback_id="GS-1", item="text", client_hash="client-a", flagged_at=at(0)),
        FlagRow(feedback_id="GS-2", item="text", client_hash="client-a", flagged_at=at(10)),
    )
    async with store.units.reading() as uow:
        cases = uow.cases
        assert await cases.submissions_from_client_since("client-a", at(-1)) == 2
        assert await cases.submissions_from_client_since("client-a", at(0)) == 1  # at the start: out
        assert await cases.submissions_about_target_since("2:SCJG:SCJG", at(-1)) == 3
        assert await cases.submissions_about_target_since("2:SCJG:SCJG", at(20)) == 0
        assert await cases.flags_from_client_since("client-a", at(0)) == 1
        assert await cases.has_flag("GS-1", "text", "client-a")
        assert not await cases.has_flag("GS-1", "text", "client-b")
        assert not await cases.has_flag("GS-1", "r-1", "client-a")


async def test_a_duplicate_is_the_first_case_with_the_text_and_target_in_the_window(store: Store):
    await store.seed(
        case_row("GS-old", received_at=at(0)),
        case_row("GS-first", received_at=at(5)),
        case_row("GS-second", received_at=at(8)),
        case_row("GS-elsewhere", received_at=at(6), target_agency_code="CGJ", target_id="CGJ"),
        case_row("GS-other-text", received_at=at(6), text_digest="other"),
    )
    async with store.units.writing("test.duplicates", at(10)) as uow:
        cases = uow.cases
        args = ("digest", pb.FEEDBACK_TARGET_TYPE_AGENCY, "SCJG", "SCJG")
        assert (await cases.duplicate_of(*args, at(0))).id == "GS-first"
        assert (await cases.duplicate_of(*args, at(-1))).id == "GS-old"
        assert await cases.duplicate_of(*args, at(8)) is None
        assert (
            await cases.duplicate_of("digest", pb.FEEDBACK_TARGET_TYPE_AGENCY, "SCJG", "CGJ", at(0)) is None
        )


async def test_overdue_candidates_are_the_unmarked_cases_whose_deadline_passed(store: Store):
    received, accepted, replied = (
        S.FEEDBACK_STATUS_RECEIVED,
        S.FEEDBACK_STATUS_ACCEPTED,
        S.FEEDBACK_STATUS_REPLIED,
    )
    await store.seed(
        case_row("GS-01", acceptance_due="2026-11-09"),  # passed
        case_row("GS-02", acceptance_due="2026-11-10"),  # due today
        case_row("GS-03", acceptance_due="2026-11-09", acceptance_overdue_at=at(1)),  # marked already
        case_row("GS-04", acceptance_due="2026-11-09", is_objection=True),  # objections: no acceptance clock
        case_row("GS-05", acceptance_due="2026-11-09", is_objection=True, conclusion_due="2026-11-09"),
        case_row("GS-06", status=accepted, conclusion_due="2026-11-09"),  # passed
        case_row("GS-07", status=replied, conclusion_due="2026-11-09", conclusion_overdue_at=at(1)),
        case_row("GS-08", status=S.FEEDBACK_STATUS_CLOSED, conclusion_due="2026-11-01"),
        case_row("GS-09", status=S.FEEDBACK_STATUS_REJECTED, acceptance_due="2026-11-01"),
        case_row("GS-10", status=received, acceptance_due="2026-11-01", acceptance_overdue_at=at(1)),
        case_row("GS-11", status=S.FEEDBACK_STATUS_REOPENED, conclusion_due="2026-11-09"),
    )
    async with store.units.writing("test.overdue", at(0)) as uow:
        found = await uow.cases.overdue_candidates(dt.date(2026, 11, 10), 10)
        assert [row.id for row in found] == ["GS-01", "GS-05", "GS-06", "GS-11"]
        assert [r.id for r in await uow.cases.overdue_candidates(dt.date(2026, 11, 10), 2)] == [
            "GS-01",
            "GS-05",
        ]


async def test_copies_find_agencies_and_records_with_or_without_the_owner(store: Store):
    result, duty = pb.FEEDBACK_TARGET_TYPE_RESULT, pb.FEEDBACK_TARGET_TYPE_DUTY_ITEM
    await store.seed(
        AgencyCopy(code="SCJG", name="测试局", region_code="310101", version=1),
        RecordCopy(
            kind=result, agency_code="SCJG", record_id="R1", state=1, party_name="某公司", updated_at=T0
        ),
        RecordCopy(kind=duty, agency_code="SCJG", record_id="D1", state=1, updated_at=T0),
    )
    async with store.units.reading() as uow:
        copies = uow.copies
        assert (await copies.agency("SCJG")).name == "测试局" and await copies.agency("CGJ") is None
        assert (await copies.record(result, "R1")).party_name == "某公司"
        assert await copies.record(duty, "D1", "CGJ") is None
        assert (await copies.record(duty, "D1", "SCJG")).record_id == "D1"
        assert await copies.agency_lists_records(duty, "SCJG")
        assert not await copies.agency_lists_records(duty, "CGJ")
        assert not await copies.agency_lists_records(pb.FEEDBACK_TARGET_TYPE_PROCEDURE, "SCJG")


# ---------------------------------------------------------------- row locks, on the real databases


@pytest.fixture(params=backends())
def db_url_only(request, tmp_path) -> Iterator[str]:
    yield from _url(request.param, tmp_path)


async def test_concurrent_writers_of_one_case_lose_no_update(db_url_only):
    """Flags from many clients at once: each reads the case's counters, adds one
    and writes them back, under the case's row lock (SELECT ... FOR UPDATE on
    PostgreSQL; one writer at a time on SQLite). Without it, PostgreSQL's read
    committed loses updates and the case counts fewer flags than it has."""
    db = Database(db_url_only)
    await db.create_tables([*RUNTIME_TABLES, *TABLES])
    try:
        handlers = FeedbackHandlers(FakeProcess(FakeClock()), DatabaseUnits(db))
        await Store(handlers.units, db).seed(case_row("GS-1"))
        clients = [f"10.0.0.{i}" for i in range(8)]
        answers = await asyncio.gather(*(handlers.flag("GS-1", "", "", client) for client in clients))
        assert all(a.counted for a in answers)
        async with db.reader() as session:
            row = await session.get(FeedbackRow, "GS-1")
            flags = await session.scalar(select(func.count()).select_from(FlagRow))
            audits = await session.scalar(select(func.count()).select_from(AuditRow))
        assert (row.text_flags, row.version, flags, audits) == (8, 9, 8, 8)
        assert row.text_moderation == pb.MODERATION_STATE_HIDDEN_PENDING_REVIEW
    finally:
        await db.dispose()

"""Feedback's use cases in memory: a fake of the unit of work
(services/feedback/unit_of_work.py) over dicts and lists, with its outbox and
audit log as lists, and the handlers wired to it (FakeFeedback). No database,
no NATS, no gRPC: tests/unit/feedback/test_*_use_cases.py run the rules of the
workflow through the handlers in milliseconds.

The fake keeps the unit's promises: what a unit changed stays when its block
ends and is put back when the block raises, so a refused change leaves no row,
event or audit entry; units write one at a time; ids the database would assign are
assigned on `add_submission`/`add_addition`; reads order as the SQL does. That it
answers like the real repositories is checked on the real databases by
tests/integration/test_feedback_repositories.py."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields
from types import SimpleNamespace

import pytest
from google.protobuf.message import Message

from gongshi.v1 import feedback_pb2 as pb
from services.feedback import domain
from services.feedback.config import FeedbackConfig
from services.feedback.handlers import FeedbackHandlers
from services.feedback.models import (
    AdditionRow,
    AgencyCopy,
    AttachmentRow,
    FeedbackRow,
    FlagRow,
    HistoryRow,
    RecordCopy,
    ReplyRow,
    SubmissionRow,
)
from services.feedback.store import CaseBundle
from services.runtime import events as ev
from services.runtime.auth import ROLE_ADMIN, ROLE_AGENCY, Principal
from services.runtime.clock import CHINA_TZ
from services.runtime.errors import InvalidArgument


@dataclass
class FakeTables:
    cases: dict[str, FeedbackRow] = field(default_factory=dict)
    submissions: list[SubmissionRow] = field(default_factory=list)
    replies: list[ReplyRow] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    additions: list[AdditionRow] = field(default_factory=list)
    attachments: list[AttachmentRow] = field(default_factory=list)
    flags: list[FlagRow] = field(default_factory=list)
    agencies: dict[str, AgencyCopy] = field(default_factory=dict)
    records: list[RecordCopy] = field(default_factory=list)
    last_id: int = 0  # the autoincrement ids' sequence, shared: only their order matters

    def snapshot(self) -> Callable[[], None]:
        """A way back to this moment, for a unit that rolls back: the tables
        as they were and every row's values (rows are changed in place, as a
        session's loaded objects are; copying each row would cost a
        millisecond, a dict of its values a microsecond)."""
        tables = {f.name: copy.copy(getattr(self, f.name)) for f in fields(self)}
        rows = [(row, dict(row.__dict__)) for row in self._rows()]

        def restore() -> None:
            for name, table in tables.items():
                setattr(self, name, table)
            for row, values in rows:
                row.__dict__.clear()
                row.__dict__.update(values)

        return restore

    def _rows(self) -> Iterator:
        for f in fields(self):
            table = getattr(self, f.name)
            if isinstance(table, dict):
                yield from table.values()
            elif isinstance(table, list):
                yield from table

    def with_id(self, row):
        if row.id is None:
            self.last_id += 1
            row.id = self.last_id
        return row


class FakeCases:
    def __init__(self, tables: FakeTables, locked: list[str]) -> None:
        self.t = tables
        self.locked = locked

    async def get(self, feedback_id: str, *, for_update: bool = False) -> FeedbackRow | None:
        row = self.t.cases.get(feedback_id)
        if row is not None and for_update:
            self.locked.append(feedback_id)
        return row

    def add(self, row: FeedbackRow) -> None:
        self.t.cases[row.id] = row

    def save(self, row: FeedbackRow) -> None:
        assert self.t.cases.get(row.id) is row, "save() takes a case loaded in this unit"

    async def bundle(self, row: FeedbackRow) -> CaseBundle:
        replies = sorted(
            (r for r in self.t.replies if r.feedback_id == row.id), key=lambda r: (r.replied_at, r.id)
        )
        history = sorted((h for h in self.t.history if h.feedback_id == row.id), key=lambda h: h.id)
        agency = self.t.agencies.get(row.agency_code)
        return CaseBundle(row, agency.name if agency else "", replies, history)

    async def duplicate_of(
        self, text_digest: str, target_type: int, target_id: str, target_agency_code: str, since: dt.datetime
    ) -> FeedbackRow | None:
        found = [
            row
            for row in self.t.cases.values()
            if row.text_digest == text_digest
            and row.received_at > since
            and (row.target_type, row.target_id, row.target_agency_code)
            == (target_type, target_id, target_agency_code)
        ]
        first = min(found, key=lambda row: row.received_at, default=None)
        if first is not None:
            self.locked.append(first.id)
        return first

    async def overdue_candidates(self, today: dt.date, limit: int) -> list[FeedbackRow]:
        day = today.isoformat()

        def passed(row: FeedbackRow) -> bool:  # the SQL of repositories.py, term by term
            acceptance = (
                row.status == pb.FEEDBACK_STATUS_RECEIVED
                and not row.is_objection
                and row.acceptance_overdue_at is None
                and row.acceptance_due < day
            )
            conclusion = (
                row.status in (*domain.CONCLUSION_CLOCK_STATUSES, pb.FEEDBACK_STATUS_RECEIVED)
                and row.conclusion_overdue_at is None
                and row.conclusion_due is not None
                and row.conclusion_due < day
            )
            return acceptance or conclusion

        rows = sorted((row for row in self.t.cases.values() if passed(row)), key=lambda row: row.id)[:limit]
        self.locked.extend(row.id for row in rows)
        return rows

    async def submissions(self, feedback_id: str) -> list[SubmissionRow]:
        return sorted((s for s in self.t.submissions if s.feedback_id == feedback_id), key=lambda s: s.id)

    async def add_submission(self, submission: SubmissionRow) -> None:
        self.t.submissions.append(self.t.with_id(submission))

    async def submissions_from_client_since(self, client_hash: str, since: dt.datetime) -> int:
        return sum(s.client_hash == client_hash and s.received_at > since for s in self.t.submissions)

    async def submissions_about_target_since(self, target_key: str, since: dt.datetime) -> int:
        return sum(s.target_key == target_key and s.received_at > since for s in self.t.submissions)

    async def reply(self, reply_id: str) -> ReplyRow | None:
        return next((r for r in self.t.replies if r.id == reply_id), None)

    def add_reply(self, reply: ReplyRow) -> None:
        self.t.replies.append(reply)

    def save_reply(self, reply: ReplyRow) -> None:
        assert any(r is reply for r in self.t.replies), "save_reply() takes a reply loaded in this unit"

    def add_history(self, entry: HistoryRow) -> None:
        self.t.history.append(self.t.with_id(entry))

    async def additions(self, feedback_id: str) -> list[AdditionRow]:
        return sorted((a for a in self.t.additions if a.feedback_id == feedback_id), key=lambda a: a.id)

    async def add_addition(self, addition: AdditionRow) -> None:
        self.t.additions.append(self.t.with_id(addition))

    async def attachments(self, feedback_id: str) -> list[AttachmentRow]:
        found = (a for a in self.t.attachments if a.feedback_id == feedback_id)
        return sorted(found, key=lambda a: (a.uploaded_at, a.id))

    def add_attachment(self, attachment: AttachmentRow) -> None:
        self.t.attachments.append(attachment)

    async def has_flag(self, feedback_id: str, item: str, client_hash: str) -> bool:
        return any(
            (f.feedback_id, f.item, f.client_hash) == (feedback_id, item, client_hash) for f in self.t.flags
        )

    async def flags_from_client_since(self, client_hash: str, since: dt.datetime) -> int:
        return sum(f.client_hash == client_hash and f.flagged_at > since for f in self.t.flags)

    def add_flag(self, flag: FlagRow) -> None:
        # The table's unique constraint (uq_feedback_flags_once).
        assert not any(
            (f.feedback_id, f.item, f.client_hash) == (flag.feedback_id, flag.item, flag.client_hash)
            for f in self.t.flags
        )
        self.t.flags.append(self.t.with_id(flag))


class FakeCopies:
    def __init__(self, tables: FakeTables) -> None:
        self.t = tables

    async def agency(self, code: str) -> AgencyCopy | None:
        return self.t.agencies.get(code)

    async def record(self, kind: int, record_id: str, agency_code: str = "") -> RecordCopy | None:
        return next(
            (
                r
                for r in self.t.records
                if (r.kind, r.record_id) == (kind, record_id) and agency_code in ("", r.agency_code)
            ),
            None,
        )

    async def agency_lists_records(self, kind: int, agency_code: str) -> bool:
        return any((r.kind, r.agency_code) == (kind, agency_code) for r in self.t.records)


@dataclass(frozen=True)
class AuditEntry:
    principal: Principal | None
    operation: str
    record_id: str
    before: Message | None
    after: Message | None


class FakeUnit:
    def __init__(self, tables: FakeTables, now: dt.datetime | None) -> None:
        self.tables = tables
        self.now = now
        self.locked: list[str] = []
        self.cases = FakeCases(tables, self.locked)
        self.copies = FakeCopies(tables)
        self.emitted: list[ev.Event] = []
        self.audits: list[AuditEntry] = []

    def emit(self, event: ev.Event) -> None:
        assert self.now is not None, "a reading unit of work records nothing"
        self.emitted.append(event)

    def audit(self, principal, *, operation, record_id, before, after) -> None:
        assert self.now is not None, "a reading unit of work records nothing"
        self.audits.append(AuditEntry(principal, operation, record_id, before, after))


class FakeUnits:
    """What was committed, in order: the tables, the outbox, the audit log,
    and the names of the units that committed or rolled back."""

    def __init__(self) -> None:
        self.tables = FakeTables()
        self.outbox: list[ev.Event] = []
        self.audit_log: list[AuditEntry] = []
        self.committed: list[str] = []
        self.rolled_back: list[str] = []
        self.locks: list[str] = []  # cases loaded for update, by committed units
        self._one_writer = asyncio.Lock()  # as on SQLite: units write one at a time

    @asynccontextmanager
    async def writing(self, name: str, now: dt.datetime) -> AsyncIterator[FakeUnit]:
        async with self._one_writer:
            roll_back = self.tables.snapshot()
            unit = FakeUnit(self.tables, now)
            try:
                yield unit
            except BaseException:
                roll_back()
                self.rolled_back.append(name)
                raise
            self.outbox.extend(unit.emitted)
            self.audit_log.extend(unit.audits)
            self.locks.extend(unit.locked)
            self.committed.append(name)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[FakeUnit]:
        yield FakeUnit(self.tables, None)

    # -- what the copies' consumers would have stored ----------------------

    def add_agency(self, code: str, name: str = "测试市场监督管理局") -> None:
        self.tables.agencies[code] = AgencyCopy(code=code, name=name, region_code="310101", version=1)

    def add_record(self, kind: int, agency_code: str, record_id: str, state: int, **party) -> None:
        self.tables.records.append(
            RecordCopy(
                kind=kind,
                agency_code=agency_code,
                record_id=record_id,
                state=state,
                version=1,
                updated_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
                **party,
            )
        )

    # -- reading what was committed --------------------------------------

    def events(self, token: str | None = None) -> list[tuple[str, str, Message]]:
        """(event token, agency, message) of every committed event, in order."""
        out = []
        for event in self.outbox:
            _, _, event_token, agency = event.subject.split(".")
            if token is None or event_token == token:
                out.append((event_token, agency, event.message))
        return out


class FakeClock:
    def __init__(self, day: str = "2026-11-02", hour: int = 10) -> None:
        self.set(day, hour)

    def now(self) -> dt.datetime:
        return self.instant

    def today(self) -> dt.date:
        return self.instant.astimezone(CHINA_TZ).date()

    def set(self, day: str, hour: int = 10, minute: int = 0) -> None:
        self.instant = dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=CHINA_TZ)


@dataclass
class FakeProcess:
    """ServiceRuntime as the use cases see it: a clock and the settings. It has
    no `db`: a use case that reaches past its unit of work fails here."""

    clock: FakeClock
    settings: SimpleNamespace = field(default_factory=lambda: SimpleNamespace(admin_token="fake-admin"))


def agency(code: str) -> Principal:
    return Principal(f"cred-{code}", ROLE_AGENCY, code)


ADMIN = Principal("admin", ROLE_ADMIN)


@dataclass
class FakeFeedback:
    """The handlers wired to the fake, with the helpers most tests start from."""

    handlers: FeedbackHandlers
    units: FakeUnits
    clock: FakeClock
    submitted: int = 0

    @classmethod
    def start(cls, **config) -> FakeFeedback:
        units, clock = FakeUnits(), FakeClock()
        handlers = FeedbackHandlers(FakeProcess(clock), units, FeedbackConfig(**config))
        return cls(handlers, units, clock)

    async def submit(
        self, target: pb.FeedbackTarget, client: str = "203.0.113.1", **fields
    ) -> pb.SubmitFeedbackResponse:
        self.submitted += 1  # each text its own unless given: the same text within minutes is linked
        request = pb.SubmitFeedbackRequest(
            target=target,
            category=fields.pop("category", pb.FEEDBACK_CATEGORY_COMPLAINT),
            text=fields.pop("text", f"执法人员未出示执法证件，第{self.submitted}次。"),
            **fields,
        )
        return await self.handlers.submit(request, client)

    async def on_agency(self, code: str, client: str = "203.0.113.1", **fields) -> pb.SubmitFeedbackResponse:
        return await self.submit(
            pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_AGENCY, id=code), client, **fields
        )

    def case(self, feedback_id: str) -> FeedbackRow:
        return self.units.tables.cases[feedback_id]


def key_of(reply: pb.SubmitFeedbackResponse) -> pb.TrackingKey:
    return pb.TrackingKey(tracking_code=reply.tracking_code, secret=reply.secret)


def violations(error: pytest.ExceptionInfo) -> dict[str, str]:
    """Field -> description of a refused request's field violations."""
    assert isinstance(error.value, InvalidArgument), error.value
    return {v.field: v.description for v in error.value.violations}

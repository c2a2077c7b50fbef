"""The unit of work feedback's use cases run in (cosmicpython's, "Architecture
Patterns with Python" ch. 6): the repositories of what they load and save,
`emit` for the outbox and `audit` for the audit log, in one transaction.

A unit commits when its block ends and rolls back when the block raises, as
Database.transaction does: a use case builds its answer inside the block and
returns it after, so nothing is answered that was not committed, and a
refused change leaves no row, event or audit entry behind.

The real units (DatabaseUnits, below) run over the async session;
repositories.py holds their SQL. Use-case tests run on an in-memory fake
(tests/support/feedback_fakes.py); the storage itself is tested on the real
databases (tests/integration/test_feedback_repositories.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

from google.protobuf.message import Message
from sqlmodel.ext.asyncio.session import AsyncSession

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
from services.feedback.repositories import SessionCases, SessionCopies
from services.feedback.store import CaseBundle
from services.runtime import audit
from services.runtime import events as ev
from services.runtime.auth import Principal
from services.runtime.db import Database
from services.runtime.outbox import enqueue

SERVICE = "feedback"


class CaseRepository(Protocol):
    """A case (FeedbackRow) and its parts: submissions, replies, history,
    additions, attachments and flags. `for_update` locks the case until the
    unit ends, so two writers of one case run one after the other. New rows
    whose id the database assigns have it once `add_submission` or
    `add_addition` returns."""

    async def get(self, feedback_id: str, *, for_update: bool = False) -> FeedbackRow | None: ...
    def add(self, row: FeedbackRow) -> None: ...
    def save(self, row: FeedbackRow) -> None: ...
    async def bundle(self, row: FeedbackRow) -> CaseBundle: ...
    async def duplicate_of(
        self, text_digest: str, target_type: int, target_id: str, target_agency_code: str, since: dt.datetime
    ) -> FeedbackRow | None: ...
    async def overdue_candidates(self, today: dt.date, limit: int) -> Sequence[FeedbackRow]: ...

    async def submissions(self, feedback_id: str) -> list[SubmissionRow]: ...
    async def add_submission(self, submission: SubmissionRow) -> None: ...
    async def submissions_from_client_since(self, client_hash: str, since: dt.datetime) -> int: ...
    async def submissions_about_target_since(self, target_key: str, since: dt.datetime) -> int: ...

    async def reply(self, reply_id: str) -> ReplyRow | None: ...
    def add_reply(self, reply: ReplyRow) -> None: ...
    def save_reply(self, reply: ReplyRow) -> None: ...
    def add_history(self, entry: HistoryRow) -> None: ...

    async def additions(self, feedback_id: str) -> list[AdditionRow]: ...
    async def add_addition(self, addition: AdditionRow) -> None: ...
    async def attachments(self, feedback_id: str) -> list[AttachmentRow]: ...
    def add_attachment(self, attachment: AttachmentRow) -> None: ...

    async def has_flag(self, feedback_id: str, item: str, client_hash: str) -> bool: ...
    async def flags_from_client_since(self, client_hash: str, since: dt.datetime) -> int: ...
    def add_flag(self, flag: FlagRow) -> None: ...


class CopyRepository(Protocol):
    """The local copies of other services' agencies and records (kept by consumers.py)."""

    async def agency(self, code: str) -> AgencyCopy | None: ...
    async def record(self, kind: int, record_id: str, agency_code: str = "") -> RecordCopy | None: ...
    async def agency_lists_records(self, kind: int, agency_code: str) -> bool: ...


class FeedbackUnitOfWork(Protocol):
    cases: CaseRepository
    copies: CopyRepository
    # The instant the unit's changes, events and audit entries are recorded at.
    now: dt.datetime

    def emit(self, event: ev.Event) -> None:
        """Add the event to the outbox: it is published only if the unit commits."""

    def audit(
        self,
        principal: Principal | None,
        *,
        operation: str,
        record_id: str,
        before: Message | None,
        after: Message | None,
    ) -> None:
        """Append who did what to which case, in the unit's transaction."""


class FeedbackUnits(Protocol):
    """Where use cases get their units of work (DatabaseUnits, or the tests' fake)."""

    def writing(self, name: str, now: dt.datetime) -> AbstractAsyncContextManager[FeedbackUnitOfWork]: ...

    def reading(self) -> AbstractAsyncContextManager[FeedbackUnitOfWork]:
        """The same repositories for a read: nothing it does is committed."""
        ...


def feedback_event(token: str, agency_code: str, message: Message) -> ev.Event:
    return ev.Event(ev.subject(SERVICE, token, agency_code), message)


class DatabaseUnits:
    """The real units: one Database.transaction each (its write lock on SQLite,
    its span, the relay woken after a commit that emitted events)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @asynccontextmanager
    async def writing(self, name: str, now: dt.datetime) -> AsyncIterator[DatabaseUnit]:
        async with self.db.transaction(name) as session:
            # PostgreSQL replicas scan for overdue cases side by side, skipping each other's rows.
            yield DatabaseUnit(session, now, skip_locked=self.db.is_postgres)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[DatabaseUnit]:
        async with self.db.reader() as session:
            yield DatabaseUnit(session, None)


class DatabaseUnit:
    def __init__(self, session: AsyncSession, now: dt.datetime | None, *, skip_locked: bool = False) -> None:
        self.session = session
        self.now = now
        self.cases = SessionCases(session, skip_locked=skip_locked)
        self.copies = SessionCopies(session)

    def emit(self, event: ev.Event) -> None:
        enqueue(self.session, event, source=SERVICE, now=self._writing_at())

    def audit(
        self,
        principal: Principal | None,
        *,
        operation: str,
        record_id: str,
        before: Message | None,
        after: Message | None,
    ) -> None:
        audit.record(
            self.session,
            principal,
            operation=operation,
            record_type="feedback",
            record_id=record_id,
            before=before,
            after=after,
            now=self._writing_at(),
        )

    def _writing_at(self) -> dt.datetime:
        if self.now is None:
            raise RuntimeError("a reading unit of work records nothing")
        return self.now

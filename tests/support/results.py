"""Helpers for the results integration tests: calls with a credential, event
reads from JetStream, field violations and direct database access."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import grpc
import nats
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from sqlalchemy import text

from gongshi.v1 import results_pb2 as pb
from services.results.models import ResultRow
from services.runtime.db import Database
from tests.support.platform import auth


def publish(results, token: str, decision: pb.Decision, agency_code: str = "") -> pb.PublishDecisionResponse:
    return results.PublishDecision(
        pb.PublishDecisionRequest(decision=decision, agency_code=agency_code),
        metadata=auth(token),
        timeout=10,
    )


async def events_for(nats_url: str, subject: str, count_at_least: int = 1, wait: float = 10.0) -> list:
    """Every message on a subject from the stream, read with an ordered consumer."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        sub = await js.subscribe(subject, ordered_consumer=True)
        received = []
        deadline = asyncio.get_running_loop().time() + wait
        while asyncio.get_running_loop().time() < deadline:
            try:
                received.append(await sub.next_msg(timeout=0.5))
            except nats.errors.TimeoutError:
                if len(received) >= count_at_least:
                    break
        return received
    finally:
        await nc.close()


def events(nats_url: str, subject: str, message_type, count_at_least: int = 1, wait: float = 10.0) -> list:
    messages = asyncio.run(events_for(nats_url, subject, count_at_least, wait))
    return [message_type.FromString(m.data) for m in messages]


def field_violations(exc: grpc.RpcError) -> dict[str, str]:
    status = rpc_status.from_call(exc)
    out = {}
    for detail in status.details if status else []:
        bad = error_details_pb2.BadRequest()
        assert detail.Unpack(bad)
        out.update({v.field: v.description for v in bad.field_violations})
    return out


def sql(db_url: str, statement: str, **params) -> list:
    """Run one statement against a service's database, as an intruder would."""

    async def run() -> list:
        db = Database(db_url)
        try:
            async with db.engine.begin() as conn:
                result = await conn.execute(text(statement), params)
                return list(result.all()) if result.returns_rows else []
        finally:
            await db.dispose()

    return asyncio.run(run())


class TestClock:
    """Moves the platform's clock (GONGSHI_CLOCK_FILE) instead of sleeping."""

    __test__ = False

    def __init__(self, path: Path, start: dt.datetime) -> None:
        self.path = path
        self.now = start
        self.set(start)

    def set(self, instant: dt.datetime) -> None:
        self.now = instant
        # Write then rename, so a reader never sees a half-written file; the
        # mtime changes, which is what the clock watches.
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(instant.isoformat())
        tmp.replace(self.path)

    def advance(self, **delta) -> dt.datetime:
        self.set(self.now + dt.timedelta(**delta))
        return self.now


def result_row(result: pb.Result, public: bool, now: dt.datetime) -> ResultRow:
    """The read-model row of a result, for tests that fill the table directly."""
    return ResultRow(
        id=result.id,
        agency_code=result.agency_code,
        document_number=result.document_number,
        region_code=result.region_code,
        category=result.category,
        status=result.status,
        public=public,
        decision_date=result.decision_date,
        doc=result.SerializeToString(),
        created_at=now,
        updated_at=now,
    )

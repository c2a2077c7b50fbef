"""The feedback copies applied a fetched batch at a time end exactly where
applying the same events one by one ends: copies, agencies, the state marked
on feedback, and the agencies announced as changed. The reference is the
one-event-at-a-time implementation the batch replaced, kept here."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import update
from sqlmodel import select

from gongshi.v1 import common_pb2, duties_pb2, procedures_pb2, results_pb2
from gongshi.v1 import feedback_pb2 as pb
from services.feedback.consumers import (
    RESULT,
    RESULT_STATES,
    STATE_EVENTS,
    _occurred_at,
    copies_subscription,
    record_ref,
)
from services.feedback.models import AgencyCopy, FeedbackRow, RecordCopy
from services.runtime.db import Database
from services.runtime.events import event_type
from services.runtime.subscription import InboundEvent

NOW = dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC)
AGENCIES = ["SCJG", "CGJ"]
RESULT_IDS = ["r1", "r2", "r3"]
DUTY_CODES = ["D1", "D2"]


async def _reference(session, message, inbound: InboundEvent, changed: list[str]) -> None:
    """One event, the way the copies were kept before batches (get, change, mark)."""
    if isinstance(message, duties_pb2.AgencyRegistered):
        agency = message.agency
        row = await session.get(AgencyCopy, agency.code)
        if row is not None and row.version >= agency.version:
            return
        row = row or AgencyCopy(code=agency.code, name="", region_code="", version=0)
        row.name, row.region_code, row.version = agency.name, agency.region_code, agency.version
        session.add(row)
        changed.append(agency.code)
        return
    kind, fixed_state = next(
        (k, s) for m, n, k, s in STATE_EVENTS if event_type(getattr(m, n)) == inbound.event_type
    )
    ref = record_ref(message, inbound)
    if ref is None:
        return
    if fixed_state is None and ref.result is not None:
        state = RESULT_STATES.get(ref.result.status, pb.TARGET_STATE_CURRENT)
    else:
        state = fixed_state if fixed_state is not None else pb.TARGET_STATE_CURRENT
    now = _occurred_at(inbound)
    row = await session.get(RecordCopy, (kind, ref.agency_code, ref.record_id))
    if row is not None and ref.version and row.version > ref.version:
        return
    if row is not None and ref.version and row.version == ref.version and row.state == state:
        return
    row = row or RecordCopy(
        kind=kind, agency_code=ref.agency_code, record_id=ref.record_id, state=state, updated_at=now
    )
    row.state, row.version = state, max(row.version, ref.version)
    row.updated_at = now
    if ref.result is not None and ref.result.HasField("party"):
        party = ref.result.party
        row.party_type, row.party_name = party.type, party.name
        row.party_uscc, row.party_id_number = party.uscc, party.id_number
    session.add(row)
    filters = [FeedbackRow.target_type == kind, FeedbackRow.target_id == ref.record_id]
    if kind != RESULT:
        filters.append(FeedbackRow.target_agency_code == ref.agency_code)
    await session.exec(
        update(FeedbackRow).where(*filters, FeedbackRow.target_state != state).values(target_state=state)
    )


def _event(rng: random.Random, n: int) -> tuple[object, InboundEvent]:
    agency = rng.choice(AGENCIES)
    version = rng.randint(0, 3)
    pick = rng.randrange(8)
    if pick < 2:
        result = results_pb2.Result(
            id=rng.choice(RESULT_IDS),
            agency_code=agency,
            version=version,
            status=rng.choice([results_pb2.RESULT_STATUS_PUBLISHED, results_pb2.RESULT_STATUS_CORRECTED]),
            party=results_pb2.PublicParty(name=f"某某{n}"),
        )
        message = (results_pb2.ResultPublished if pick == 0 else results_pb2.ResultCorrected)(result=result)
        domain = "results"
    elif pick == 2:
        message = results_pb2.ResultWithdrawn(result_id=rng.choice(RESULT_IDS), agency_code=agency)
        domain = "results"
    elif pick == 3:
        message = results_pb2.ResultExpired(result_id=rng.choice(RESULT_IDS), agency_code=agency)
        domain = "results"
    elif pick < 6:
        item = duties_pb2.DutyItem(agency_code=agency, code=rng.choice(DUTY_CODES))
        kind = duties_pb2.DutyItemPublished if pick == 4 else duties_pb2.DutyItemRetired
        message, domain = kind(duty_item=item), "duties"
    elif pick == 6:
        procedure = procedures_pb2.Procedure(
            agency_code=agency, code="P1", publication=common_pb2.Publication(version=version)
        )
        message, domain = procedures_pb2.ProcedureRevised(procedure=procedure), "procedures"
    else:
        message = duties_pb2.AgencyRegistered(
            agency=duties_pb2.Agency(code=agency, name=f"局{n}", region_code="310101", version=version)
        )
        domain = "duties"
    occurred = (NOW + dt.timedelta(seconds=n)).isoformat()
    inbound = InboundEvent(
        subject=f"gongshi.{domain}.x.{agency}",
        event_id=f"e{n}",
        event_type=event_type(type(message)),
        headers={"Gongshi-Occurred-At": occurred},
        stream_sequence=n,
        deliveries=1,
    )
    return message, inbound


def _feedback(n: int, target_type: int, target_id: str, agency: str) -> FeedbackRow:
    return FeedbackRow(
        id=f"GS-{n}",
        agency_code=agency,
        original_agency_code=agency,
        target_type=target_type,
        target_id=target_id,
        target_agency_code=agency,
        target_state=pb.TARGET_STATE_CURRENT,
        category=1,
        status=1,
        text="t",
        text_public="t",
        text_digest="d",
        text_moderation=0,
        received_at=NOW,
        received_on="2026-11-02",
        acceptance_due="2026-11-09",
        updated_at=NOW,
    )


async def _database(url: str) -> Database:
    db = Database(url)
    await db.create_tables([FeedbackRow.__table__, AgencyCopy.__table__, RecordCopy.__table__])
    async with db.transaction() as session:
        n = 0
        for agency in AGENCIES:
            for record_id in RESULT_IDS[:2]:
                n += 1
                session.add(_feedback(n, pb.FEEDBACK_TARGET_TYPE_RESULT, record_id, agency))
            n += 1
            session.add(_feedback(n, pb.FEEDBACK_TARGET_TYPE_DUTY_ITEM, "D1", agency))
    return db


async def _contents(db: Database) -> dict:
    async with db.reader() as session:
        copies = (await session.exec(select(RecordCopy))).all()
        agencies = (await session.exec(select(AgencyCopy))).all()
        feedback = (await session.exec(select(FeedbackRow.id, FeedbackRow.target_state))).all()
    return {
        "copies": sorted(
            (c.kind, c.agency_code, c.record_id, c.state, c.version, c.party_name, c.updated_at.isoformat())
            for c in copies
        ),
        "agencies": sorted((a.code, a.name, a.version) for a in agencies),
        "feedback": sorted(feedback),
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_a_batch_ends_where_one_by_one_ends(seed, db_url, tmp_path):
    rng = random.Random(seed)
    events = [_event(rng, n) for n in range(120)]
    reference_changed: list[str] = []
    batched_changed: list[str] = []
    batched = copies_subscription(batched_changed.append)
    assert batched.unit_handler is not None

    single = await _database(f"sqlite+aiosqlite:///{tmp_path / 'single.db'}")
    many = await _database(db_url)
    try:
        for message, inbound in events:
            async with single.transaction() as session:
                await _reference(session, message, inbound, reference_changed)
        start = 0
        while start < len(events):
            size = rng.randint(1, 40)
            batch = events[start : start + size]
            await many.unit(lambda conn, batch=batch: batched.unit_handler(conn, batch))
            start += size
        expected, got = await _contents(single), await _contents(many)
        assert got == expected
        assert batched_changed == reference_changed
        # The sequence did exercise every branch: copies, stale versions, marked feedback.
        assert len(expected["copies"]) > 5 and expected["agencies"]
        assert {state for _, state in expected["feedback"]} != {pb.TARGET_STATE_CURRENT}
    finally:
        await single.dispose()
        await many.dispose()


async def test_one_event_alone_takes_the_batch_path(db_url):
    """A failing batch is applied again one message at a time, through the same unit."""
    subscription = copies_subscription()
    result = results_pb2.Result(
        id="r9", agency_code="SCJG", version=1, status=results_pb2.RESULT_STATUS_PUBLISHED
    )
    inbound = InboundEvent(
        "gongshi.results.published.SCJG", "e1", event_type(results_pb2.ResultPublished), {}, 1, 1
    )
    db = await _database(db_url)
    try:
        event = (results_pb2.ResultPublished(result=result), inbound)
        await db.unit(lambda conn: subscription.unit_handler(conn, [event]))
        copies = (await _contents(db))["copies"]
        assert [c[:5] for c in copies] == [
            (pb.FEEDBACK_TARGET_TYPE_RESULT, "SCJG", "r9", pb.TARGET_STATE_CURRENT, 1)
        ]
    finally:
        await db.dispose()

"""Event entrypoint of the feedback service: the local copies it keeps.

- agencies (gongshi.duties.agency_registered.>): valid targets and transfers;
- results (gongshi.results.>): valid result targets, the published party for
  objections, and the state of each result (corrected, withdrawn, expired,
  repaired), which marks the feedback about it;
- duty items, procedures and channels (gongshi.duties.>, gongshi.procedures.>):
  the state of the records feedback can be about.

The state-changing events are a table (STATE_EVENTS): a message type that does
not exist yet is skipped, so a new one from another service is one line here.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from google.protobuf.message import Message
from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import duties_pb2, procedures_pb2, results_pb2
from gongshi.v1 import feedback_pb2 as pb
from services.feedback.models import AgencyCopy, FeedbackRow, RecordCopy
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.consumer import InboundEvent, Subscription
from services.runtime.events import event_type

log = logging.getLogger(__name__)

RESULT = pb.FEEDBACK_TARGET_TYPE_RESULT
DUTY_ITEM = pb.FEEDBACK_TARGET_TYPE_DUTY_ITEM
PROCEDURE = pb.FEEDBACK_TARGET_TYPE_PROCEDURE
CHANNEL = pb.FEEDBACK_TARGET_TYPE_SUPERVISION_CHANNEL

# (module, message name, target kind, state; None = take it from Result.status)
STATE_EVENTS: list[tuple[object, str, int, int | None]] = [
    (results_pb2, "ResultPublished", RESULT, None),
    (results_pb2, "ResultCorrected", RESULT, pb.TARGET_STATE_CORRECTED),
    (results_pb2, "ResultWithdrawn", RESULT, pb.TARGET_STATE_WITHDRAWN),
    (results_pb2, "ResultExpired", RESULT, pb.TARGET_STATE_EXPIRED),
    (results_pb2, "ResultRepaired", RESULT, pb.TARGET_STATE_REPAIRED),
    (duties_pb2, "DutyItemPublished", DUTY_ITEM, pb.TARGET_STATE_CURRENT),
    (duties_pb2, "DutyItemRevised", DUTY_ITEM, pb.TARGET_STATE_CURRENT),
    (duties_pb2, "DutyItemRetired", DUTY_ITEM, pb.TARGET_STATE_RETIRED),
    (procedures_pb2, "ProcedurePublished", PROCEDURE, pb.TARGET_STATE_CURRENT),
    (procedures_pb2, "ProcedureRevised", PROCEDURE, pb.TARGET_STATE_CURRENT),
    (procedures_pb2, "ProcedureRetired", PROCEDURE, pb.TARGET_STATE_RETIRED),
    (procedures_pb2, "SupervisionChannelPublished", CHANNEL, pb.TARGET_STATE_CURRENT),
    (procedures_pb2, "SupervisionChannelRevised", CHANNEL, pb.TARGET_STATE_CURRENT),
    (procedures_pb2, "SupervisionChannelRetired", CHANNEL, pb.TARGET_STATE_RETIRED),
]

RESULT_STATES = {
    results_pb2.RESULT_STATUS_PUBLISHED: pb.TARGET_STATE_CURRENT,
    results_pb2.RESULT_STATUS_CORRECTED: pb.TARGET_STATE_CORRECTED,
    results_pb2.RESULT_STATUS_WITHDRAWN: pb.TARGET_STATE_WITHDRAWN,
    results_pb2.RESULT_STATUS_EXPIRED: pb.TARGET_STATE_EXPIRED,
    results_pb2.RESULT_STATUS_REPAIRED: pb.TARGET_STATE_REPAIRED,
}


@dataclass(frozen=True)
class RecordRef:
    """What a state event says about a record, whatever the message's shape."""

    record_id: str
    agency_code: str
    version: int
    result: results_pb2.Result | None = None


def record_ref(message: Message, inbound: InboundEvent) -> RecordRef | None:
    """Find the record in an event: a `result` field, top-level id fields, or a
    nested record with a code or id (e.g. DutyItemRetired.duty_item.code); the
    version may sit in a `publication`; the agency falls back to the subject's
    last token, which every Gongshi subject carries."""
    subject_agency = inbound.subject.rsplit(".", 1)[-1]
    if _has(message, "result") and message.HasField("result"):
        r = message.result
        return RecordRef(r.id, r.agency_code or subject_agency, r.version, r)
    for name in ("result_id", "code", "id"):
        if _has(message, name) and getattr(message, name):
            agency = getattr(message, "agency_code", "") if _has(message, "agency_code") else ""
            return RecordRef(getattr(message, name), agency or subject_agency, _version(message))
    for f in message.DESCRIPTOR.fields:
        if f.message_type is not None and not f.is_repeated and message.HasField(f.name):
            nested = record_ref(getattr(message, f.name), inbound)
            if nested is not None:
                return nested
    return None


def _version(message: Message) -> int:
    if _has(message, "version"):
        return message.version
    if _has(message, "publication") and message.HasField("publication"):
        return _version(message.publication)
    return 0


def _has(message: Message, name: str) -> bool:
    return name in message.DESCRIPTOR.fields_by_name


def copies_subscription(on_agency_change: Callable[[str], None] = lambda code: None) -> Subscription:
    """The copies are applied a fetched batch at a time (`apply_copies`): one
    query reads the batch's copies, the unit of work writes them back with a
    statement per kind of change, and feedback is marked with one query plus
    one update per record that has any."""
    kinds: dict[str, tuple[int, int | None]] = {}
    subscription = Subscription(
        "feedback-copies",
        PUBLIC_STREAM,
        ["gongshi.duties.>", "gongshi.procedures.>", "gongshi.results.>"],
    )

    async def apply_batch(session: AsyncSession, events: list[tuple[Message, InboundEvent]]) -> None:
        await apply_copies(session, events, kinds, on_agency_change)

    async def apply_one(session: AsyncSession, message: Message, inbound: InboundEvent) -> None:
        await apply_batch(session, [(message, inbound)])

    subscription.on(duties_pb2.AgencyRegistered, apply_one)
    for module, name, kind, state in STATE_EVENTS:
        message_type = getattr(module, name, None)
        if message_type is not None:
            subscription.on(message_type, apply_one)
            kinds[event_type(message_type)] = (kind, state)
    return subscription.on_batch(apply_batch)


async def apply_copies(
    session: AsyncSession,
    events: list[tuple[Message, InboundEvent]],
    kinds: dict[str, tuple[int, int | None]],
    on_agency_change: Callable[[str], None] = lambda code: None,
) -> None:
    """Apply events to the copies in stream order, as one by one would; what
    one-by-one reads and writes per event is read once and written at the end."""
    registered: list[duties_pb2.Agency] = []
    changes: list[tuple[int, RecordRef, int, dt.datetime]] = []
    for message, inbound in events:
        if isinstance(message, duties_pb2.AgencyRegistered):
            registered.append(message.agency)
            continue
        kind, fixed_state = kinds[inbound.event_type]
        ref = record_ref(message, inbound)
        if ref is None:
            log.warning("feedback copies: no record found in %s on %s", inbound.event_type, inbound.subject)
            continue
        if fixed_state is None and ref.result is not None:
            state = RESULT_STATES.get(ref.result.status, pb.TARGET_STATE_CURRENT)
        else:
            state = fixed_state if fixed_state is not None else pb.TARGET_STATE_CURRENT
        changes.append((kind, ref, state, _occurred_at(inbound)))
    if registered:
        await _apply_agencies(session, registered, on_agency_change)
    if changes:
        await _apply_states(session, changes)


async def _apply_agencies(
    session: AsyncSession, registered: list[duties_pb2.Agency], on_agency_change: Callable[[str], None]
) -> None:
    query = select(AgencyCopy).where(AgencyCopy.code.in_({agency.code for agency in registered}))
    rows = {row.code: row for row in (await session.exec(query)).all()}
    for agency in registered:
        row = rows.get(agency.code)
        if row is not None and row.version >= agency.version:
            continue  # stale or repeated: versions make order harmless
        if row is None:
            row = rows[agency.code] = AgencyCopy(code=agency.code, name="", region_code="", version=0)
            session.add(row)
        row.name, row.region_code, row.version = agency.name, agency.region_code, agency.version
        on_agency_change(agency.code)


async def apply_state(session: AsyncSession, kind: int, ref: RecordRef, state: int, now: dt.datetime) -> None:
    await _apply_states(session, [(kind, ref, state, now)])


async def _apply_states(
    session: AsyncSession, changes: list[tuple[int, RecordRef, int, dt.datetime]]
) -> None:
    query = select(RecordCopy).where(
        RecordCopy.kind.in_({kind for kind, *_ in changes}),
        RecordCopy.record_id.in_({ref.record_id for _, ref, *_ in changes}),
    )
    rows = {(r.kind, r.agency_code, r.record_id): r for r in (await session.exec(query)).all()}
    # The state feedback about each record ends in: that of its last change applied.
    marks: dict[tuple[int, str, str], int] = {}
    for kind, ref, state, now in changes:
        key = (kind, ref.agency_code, ref.record_id)
        row = rows.get(key)
        if row is not None and ref.version and row.version > ref.version:
            continue  # an older version arriving late changes nothing
        if row is not None and ref.version and row.version == ref.version and row.state == state:
            continue
        if row is None:
            row = rows[key] = RecordCopy(
                kind=kind, agency_code=ref.agency_code, record_id=ref.record_id, state=state, updated_at=now
            )
            session.add(row)
        row.state, row.version = state, max(row.version, ref.version)
        row.updated_at = now
        if ref.result is not None and ref.result.HasField("party"):
            party = ref.result.party
            row.party_type, row.party_name = party.type, party.name
            row.party_uscc, row.party_id_number = party.uscc, party.id_number
        # Feedback about a result is found by its id alone; about other records, with their agency.
        marks[(kind, ref.record_id, "" if kind == RESULT else ref.agency_code)] = state
    if marks:
        await _mark_feedback(session, marks)


async def _mark_feedback(session: AsyncSession, marks: dict[tuple[int, str, str], int]) -> None:
    """Feedback about the records is marked with what became of them: one
    query finds the records that have feedback (few do), one update each."""
    query = (
        select(FeedbackRow.target_type, FeedbackRow.target_id, FeedbackRow.target_agency_code)
        .where(
            FeedbackRow.target_type.in_({kind for kind, _, _ in marks}),
            FeedbackRow.target_id.in_({record_id for _, record_id, _ in marks}),
        )
        .distinct()
    )
    found = {
        (kind, record_id, "" if kind == RESULT else agency)
        for kind, record_id, agency in (await session.exec(query)).all()
    }
    for kind, record_id, agency in sorted(found & marks.keys()):
        state = marks[(kind, record_id, agency)]
        filters = [FeedbackRow.target_type == kind, FeedbackRow.target_id == record_id]
        if kind != RESULT:
            filters.append(FeedbackRow.target_agency_code == agency)
        await session.exec(
            update(FeedbackRow).where(*filters, FeedbackRow.target_state != state).values(target_state=state)
        )


def _occurred_at(inbound: InboundEvent) -> dt.datetime:
    value = inbound.headers.get("Gongshi-Occurred-At", "")
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)
    except ValueError:
        return dt.datetime.now(dt.UTC)

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
from sqlalchemy import Connection, bindparam, insert, select, update

from gongshi.v1 import duties_pb2, procedures_pb2, results_pb2
from gongshi.v1 import feedback_pb2 as pb
from services.feedback.models import AgencyCopy, FeedbackRow, RecordCopy
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.events import event_type
from services.runtime.subscription import InboundEvent, Subscription

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
    """The copies are applied a fetched batch at a time, as one unit of work
    (`apply_copies`, synchronous SQLAlchemy Core in the database's thread):
    one query reads the batch's copies, a statement per kind of change writes
    them back, and feedback is marked with one query plus one update per
    record that has any."""
    kinds: dict[str, tuple[int, int | None]] = {}
    subscription = Subscription(
        "feedback-copies",
        PUBLIC_STREAM,
        ["gongshi.duties.>", "gongshi.procedures.>", "gongshi.results.>"],
    )

    def apply_batch(conn: Connection, events: list[tuple[Message, InboundEvent]]) -> None:
        apply_copies(conn, events, kinds, on_agency_change)

    subscription.on(duties_pb2.AgencyRegistered, _decoded_only)
    for module, name, kind, state in STATE_EVENTS:
        message_type = getattr(module, name, None)
        if message_type is not None:
            subscription.on(message_type, _decoded_only)
            kinds[event_type(message_type)] = (kind, state)
    return subscription.on_batch_unit(apply_batch)


async def _decoded_only(session, message, inbound) -> None:
    raise AssertionError("the copies are applied by the unit of work (on_batch_unit)")


def apply_copies(
    conn: Connection,
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
        _apply_agencies(conn, registered, on_agency_change)
    if changes:
        _apply_states(conn, changes)


def _apply_agencies(
    conn: Connection, registered: list[duties_pb2.Agency], on_agency_change: Callable[[str], None]
) -> None:
    table = AgencyCopy.__table__
    query = select(table).where(table.c.code.in_({agency.code for agency in registered}))
    rows = {row.code: dict(row._mapping) for row in conn.execute(query)}
    new: set[str] = set()
    changed: dict[str, dict] = {}
    for agency in registered:
        row = rows.get(agency.code)
        if row is not None and row["version"] >= agency.version:
            continue  # stale or repeated: versions make order harmless
        if row is None:
            new.add(agency.code)
        rows[agency.code] = changed[agency.code] = {
            "code": agency.code,
            "name": agency.name,
            "region_code": agency.region_code,
            "version": agency.version,
        }
        on_agency_change(agency.code)
    _write(
        conn,
        table,
        ("code",),
        [r for c, r in changed.items() if c in new],
        [r for c, r in changed.items() if c not in new],
    )


def _apply_states(conn: Connection, changes: list[tuple[int, RecordRef, int, dt.datetime]]) -> None:
    table = RecordCopy.__table__
    query = select(table).where(
        table.c.kind.in_({kind for kind, *_ in changes}),
        table.c.record_id.in_({ref.record_id for _, ref, *_ in changes}),
    )
    rows = {(r.kind, r.agency_code, r.record_id): dict(r._mapping) for r in conn.execute(query)}
    new: set[tuple[int, str, str]] = set()
    changed: set[tuple[int, str, str]] = set()
    # The state feedback about each record ends in: that of its last change applied.
    marks: dict[tuple[int, str, str], int] = {}
    for kind, ref, state, now in changes:
        key = (kind, ref.agency_code, ref.record_id)
        row = rows.get(key)
        if row is not None and ref.version and row["version"] > ref.version:
            continue  # an older version arriving late changes nothing
        if row is not None and ref.version and row["version"] == ref.version and row["state"] == state:
            continue
        if row is None:
            new.add(key)
            row = rows[key] = {
                "kind": kind,
                "agency_code": ref.agency_code,
                "record_id": ref.record_id,
                "version": 0,
                "party_type": 0,
                "party_name": "",
                "party_uscc": "",
                "party_id_number": "",
            }
        changed.add(key)
        row["state"], row["version"] = state, max(row["version"], ref.version)
        row["updated_at"] = now
        if ref.result is not None and ref.result.HasField("party"):
            party = ref.result.party
            row["party_type"], row["party_name"] = party.type, party.name
            row["party_uscc"], row["party_id_number"] = party.uscc, party.id_number
        # Feedback about a result is found by its id alone; about other records, with their agency.
        marks[(kind, ref.record_id, "" if kind == RESULT else ref.agency_code)] = state
    keys = ("kind", "agency_code", "record_id")
    _write(conn, table, keys, [rows[k] for k in changed & new], [rows[k] for k in changed - new])
    if marks:
        _mark_feedback(conn, marks)


def _write(conn: Connection, table, keys: tuple[str, ...], inserts: list[dict], updates: list[dict]) -> None:
    """New rows in one INSERT, changed ones in one executemany UPDATE by primary key."""
    if inserts:
        conn.execute(insert(table), inserts)
    if updates:
        # Bound names must differ from the columns' own (SQLAlchemy reserves those).
        columns = [name for name in updates[0] if name not in keys]
        conn.execute(
            update(table)
            .where(*[table.c[name] == bindparam(f"key_{name}") for name in keys])
            .values({name: bindparam(f"new_{name}") for name in columns}),
            [
                {
                    **{f"key_{name}": row[name] for name in keys},
                    **{f"new_{name}": row[name] for name in columns},
                }
                for row in updates
            ],
        )


def _mark_feedback(conn: Connection, marks: dict[tuple[int, str, str], int]) -> None:
    """Feedback about the records is marked with what became of them: one
    query finds the records that have feedback (few do), one update each."""
    feedback = FeedbackRow.__table__
    query = (
        select(feedback.c.target_type, feedback.c.target_id, feedback.c.target_agency_code)
        .where(
            feedback.c.target_type.in_({kind for kind, _, _ in marks}),
            feedback.c.target_id.in_({record_id for _, record_id, _ in marks}),
        )
        .distinct()
    )
    found = {
        (kind, record_id, "" if kind == RESULT else agency) for kind, record_id, agency in conn.execute(query)
    }
    for kind, record_id, agency in sorted(found & marks.keys()):
        state = marks[(kind, record_id, agency)]
        filters = [feedback.c.target_type == kind, feedback.c.target_id == record_id]
        if kind != RESULT:
            filters.append(feedback.c.target_agency_code == agency)
        conn.execute(
            update(feedback).where(*filters, feedback.c.target_state != state).values(target_state=state)
        )


def _occurred_at(inbound: InboundEvent) -> dt.datetime:
    value = inbound.headers.get("Gongshi-Occurred-At", "")
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)
    except ValueError:
        return dt.datetime.now(dt.UTC)

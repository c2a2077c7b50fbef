"""Results events become notices: one row per follow and event (the delivery
log), written in the same unit of work as the consumer's inbox row, so an
event is turned into notices exactly once and a gateway restart loses none.

A publication or correction is noticed by every confirmed follow whose
interest matches the record; a withdrawal, expiry or credit repair (whose
event carries no party) by every follow that has a notice about that record,
that is, every follower who was told."""

from __future__ import annotations

import json

from google.protobuf.message import Message
from nats.js.api import DeliverPolicy
from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from gateway.follows.interest import Interest
from gateway.follows.store import FollowRow, NoticeRow
from gateway.workers import WakesWorker
from gongshi.v1 import results_pb2 as pb
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.clock import Clock
from services.runtime.db import Database
from services.runtime.subscription import InboundEvent, Subscription

CHANGES = {
    pb.ResultPublished: "published",
    pb.ResultCorrected: "corrected",
    pb.ResultWithdrawn: "withdrawn",
    pb.ResultExpired: "expired",
    pb.ResultRepaired: "repaired",
}
RETRACTIONS = ("withdrawn", "expired", "repaired")
_CATEGORY_NAMES = {v: k for k, v in pb.DecisionCategory.items()}


def record_item(result: pb.Result) -> dict:
    """What a mail lists about a record: the portal's public (masked) fields."""
    return {
        "result_id": result.id,
        "agency_code": result.agency_code,
        "document_number": result.document_number,
        "party": result.party.name,
        "category": _CATEGORY_NAMES.get(result.category, "").removeprefix("DECISION_CATEGORY_").lower(),
        "decision_date": result.decision_date,
        "conclusion": result.conclusion,
    }


def notice_item(change: str, message: Message) -> tuple[str, dict]:
    """The record's id and the listed item of one results event."""
    if change in ("published", "corrected"):
        item = record_item(message.result)
        if change == "corrected":
            item["reason"] = message.reason
        return message.result.id, item
    item = {
        "result_id": message.result_id,
        "agency_code": message.agency_code,
        "document_number": message.document_number,
    }
    if change == "withdrawn":
        item |= {"statement": message.statement, "reason": message.reason, "at": message.withdrawn_at}
    elif change == "expired":
        item |= {"publicity_end": message.publicity_end, "at": message.expired_at}
    else:
        item |= {"reason": message.reason, "at": message.repaired_at}
    return message.result_id, item


def interest_of(row) -> Interest:
    return Interest(row.kind, row.party, row.agency, row.region, row.category, row.q)


class FollowIntake(WakesWorker):
    """Turns each result event into notices for the follows it concerns, and
    wakes the postman after a batch that wrote some."""

    def __init__(self, durable: str, db: Database, clock: Clock, on_notices) -> None:
        super().__init__(on_notices)
        self.durable = durable
        self.db = db
        self.clock = clock
        self._follows: list[tuple[str, Interest]] = []  # read by _prepare for _apply_unit

    def subscription(self) -> Subscription:
        sub = Subscription(
            self.durable,
            PUBLIC_STREAM,
            [f"gongshi.results.{change}.*" for change in CHANGES.values()],
            deliver_policy=DeliverPolicy.NEW,
        )
        for message_type in CHANGES:
            sub.on(message_type, None)  # decoded here, applied by the unit handler
        return sub.on_batch_unit(self._apply_unit, prepare=self._prepare)

    async def _prepare(self, inbounds: list[InboundEvent]) -> None:
        table = FollowRow.__table__
        query = select(table).where(table.c.confirmed_at.is_not(None))
        rows = await self.db.unit(lambda conn: conn.execute(query).all(), "follows.confirmed")
        self._follows = [(row.id, interest_of(row)) for row in rows]

    def _apply_unit(self, conn: Connection, events: list[tuple[Message, InboundEvent]]) -> None:
        if not self._follows:
            return
        confirmed = {follow_id for follow_id, _ in self._follows}
        notices = NoticeRow.__table__
        now = self.clock.now()
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        for message, inbound in events:
            change = CHANGES[type(message)]
            result_id, item = notice_item(change, message)
            told = set(
                conn.execute(
                    select(notices.c.follow_id).where(notices.c.result_id == result_id).distinct()
                ).scalars()
            )
            if change in RETRACTIONS:
                wanted = told & confirmed
            else:
                wanted = {f for f, interest in self._follows if interest.matches(message.result)}
                wanted |= told & confirmed  # a correction reaches those told, even if it no longer matches
            body = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
            # Written per event: a withdrawal later in the same batch must see who was just told.
            rows = [
                {
                    "follow_id": follow_id,
                    "event_id": inbound.event_id,
                    "result_id": result_id,
                    "change": change,
                    "item": body,
                    "created_at": now,
                }
                for follow_id in sorted(wanted)
            ]
            if rows:
                conn.execute(dialect.insert(notices).on_conflict_do_nothing(), rows)
                self._queued = True

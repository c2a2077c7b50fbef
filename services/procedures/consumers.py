"""Event entrypoint of the procedures service: its local copies of agencies
and duty items (services/runtime/copies.py: versions make stale or repeated
events harmless)."""

from __future__ import annotations

from gongshi.v1 import duties_pb2
from services.procedures.models import AgencyCopy, DutyItemCopy
from services.runtime import copies
from services.runtime.clock import Clock
from services.runtime.subscription import Subscription

DUTY_ITEM_EVENTS = (duties_pb2.DutyItemPublished, duties_pb2.DutyItemRevised, duties_pb2.DutyItemRetired)


def agencies_subscription() -> Subscription:
    return copies.agencies_subscription("procedures-agencies", AgencyCopy, duties_pb2.AgencyRegistered)


def duty_items_subscription(clock: Clock) -> Subscription:
    return copies.duty_items_subscription("procedures-duty-items", DutyItemCopy, clock, DUTY_ITEM_EVENTS)

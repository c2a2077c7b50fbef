"""The results service's lifecycle handlers: every use case that changes a
published record, assembled into the one object the servicer, the objection
consumer, the scans job and remask call. Each use case lives in its own
module; what they share (the funnel every public change goes through) is in
changes.py."""

from __future__ import annotations

from services.results.appeals import Appeals
from services.results.corrections import Corrections
from services.results.objections import Objections
from services.results.repairs import Repairs
from services.results.replies import Replies
from services.results.scans import Scans
from services.results.withdrawals import Withdrawals


class LifecycleHandlers(Objections, Corrections, Withdrawals, Appeals, Replies, Repairs, Scans):
    """Its fields (runtime, policies, calendar, scan_seconds) are LifecycleBase's."""

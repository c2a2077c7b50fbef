"""Reconciliation: compare a service's outbox ledger with the JetStream stream
and re-publish what the stream lost.

The outbox keeps published rows for GONGSHI_OUTBOX_RETENTION_HOURS. Each row
is an event the stream acknowledged; if the stream no longer has it (lost
after a crash before fsync, a lost replica, an operator's mistake), the row
is published again with the SAME Nats-Msg-Id. Consumers record event ids in
their inbox, so a consumer that had applied it applies nothing, and one that
had not applies it now.

JetStream drops a publish whose id it saw within the stream's duplicate
window, even when that message has since been deleted (checked against
nats-server 2.15: the ack says duplicate and nothing is stored). Such events
can only be restored once the window has passed: they are reported as
`deferred`, and `wait=True` sleeps until the window has passed and tries
again.

How the stream is read: one ephemeral pull consumer per stream, filtered to
the subjects the ledger uses, starting at the oldest ledger row's time,
headers only (no payloads cross the wire), in batches. ~100k messages take
seconds. Events older than the stream's max age are skipped: the stream
dropped them on purpose.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

import nats.errors
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlmodel import select

from services.runtime import events as ev
from services.runtime.bus import INTERNAL_STREAM, PUBLIC_STREAM, Bus
from services.runtime.db import Database
from services.runtime.outbox import OutboxRow
from services.runtime.settings import Settings

log = logging.getLogger(__name__)

# The stream stores a message a little after the row was written: start reading earlier.
CLOCK_MARGIN = dt.timedelta(minutes=5)
FETCH_BATCH = 1000


@dataclass
class ReconcileReport:
    service: str
    checked: int = 0  # published outbox rows within retention (and since)
    in_stream: int = 0
    missing: int = 0
    republished: int = 0
    # Missing, but the id is still inside the stream's duplicate window.
    deferred: list[str] = field(default_factory=list)
    skipped_expired: int = 0  # older than the stream's max age: dropped on purpose
    window_seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.deferred and self.republished == self.missing

    def summary(self) -> str:
        text = (
            f"{self.service}: {self.checked} published events in the ledger, {self.in_stream} in the stream, "
            f"{self.missing} missing, {self.republished} re-published"
        )
        if self.skipped_expired:
            text += f", {self.skipped_expired} older than the stream's max age (skipped)"
        if self.deferred:
            text += (
                f", {len(self.deferred)} deferred: still inside the stream's {self.window_seconds:.0f}s "
                "duplicate window; run again after it has passed (or use --wait)"
            )
        return text


def stream_of(subject: str) -> str:
    return INTERNAL_STREAM if subject.startswith("internal.") else PUBLIC_STREAM


def filter_subjects(subjects: Iterable[str]) -> list[str]:
    """The fewest wildcards that cover the ledger: `<root>.<domain>.>` per domain."""
    return sorted({".".join(s.split(".")[:2]) + ".>" for s in subjects})


async def load_ledger(db: Database, since: dt.datetime | None) -> list[tuple[str, str, dt.datetime]]:
    """(event id, subject, created at) of every published row kept in the outbox."""
    query = select(OutboxRow.event_id, OutboxRow.subject, OutboxRow.created_at).where(
        OutboxRow.sent_at.is_not(None)
    )
    if since is not None:
        query = query.where(OutboxRow.created_at >= since)
    async with db.reader() as session:
        return [tuple(r) for r in (await session.exec(query)).all()]


async def ids_in_stream(bus: Bus, stream: str, subjects: list[str], start: dt.datetime) -> set[str]:
    """Nats-Msg-Id of every message on `subjects` stored since `start`."""
    info = await bus.js.stream_info(stream)
    if info.state.messages == 0:
        return set()
    name = f"reconcile-{secrets.token_hex(6)}"
    config = ConsumerConfig(
        name=name,
        deliver_policy=DeliverPolicy.BY_START_TIME,
        opt_start_time=start.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        ack_policy=AckPolicy.NONE,
        headers_only=True,
        mem_storage=True,
        # Services may create consumers but not delete them: the server removes it.
        inactive_threshold=30,
        filter_subjects=subjects,
        max_ack_pending=-1,
    )
    await bus.js.add_consumer(stream, config=config)
    sub = await bus.js.pull_subscribe_bind(consumer=name, stream=stream)
    seen: set[str] = set()
    try:
        while True:
            try:
                msgs = await sub.fetch(FETCH_BATCH, timeout=2)
            except (TimeoutError, nats.errors.TimeoutError):
                break  # nothing left for this filter
            for msg in msgs:
                msg_id = (msg.headers or {}).get(ev.HEADER_MSG_ID)
                if msg_id:
                    seen.add(msg_id)
            if msgs and msgs[-1].metadata.num_pending == 0:
                break
    finally:
        await sub.unsubscribe()
    return seen


async def reconcile(
    service: str,
    db: Database,
    bus: Bus,
    *,
    since: dt.datetime | None = None,
    dry_run: bool = False,
    wait: bool = False,
    now: dt.datetime | None = None,
) -> ReconcileReport:
    """Re-publish every published outbox row the stream no longer holds."""
    now = now or dt.datetime.now(dt.UTC)
    report = ReconcileReport(service)
    ledger = await load_ledger(db, since)
    report.checked = len(ledger)
    by_stream: dict[str, list[tuple[str, str, dt.datetime]]] = {}
    for row in ledger:
        by_stream.setdefault(stream_of(row[1]), []).append(row)
    missing: list[str] = []
    for stream, rows in by_stream.items():
        config = (await bus.js.stream_info(stream)).config
        report.window_seconds = max(report.window_seconds, config.duplicate_window or 0)
        if config.max_age:
            # The stream drops old messages on purpose: do not bring them back.
            oldest_kept = now - dt.timedelta(seconds=config.max_age)
            kept = [r for r in rows if r[2] >= oldest_kept]
            report.skipped_expired += len(rows) - len(kept)
            rows = kept
        if not rows:
            continue
        start = min(r[2] for r in rows) - CLOCK_MARGIN
        present = await ids_in_stream(bus, stream, filter_subjects(r[1] for r in rows), start)
        absent = [event_id for event_id, _, _ in rows if event_id not in present]
        report.in_stream += len(rows) - len(absent)
        missing += absent
    report.missing = len(missing)
    if dry_run or not missing:
        return report
    deferred = await republish(db, bus, missing)
    report.republished = len(missing) - len(deferred)
    if deferred and wait:
        # Ids inside the duplicate window are refused until it has passed.
        await asyncio.sleep(report.window_seconds + 1)
        again = await republish(db, bus, deferred)
        report.republished += len(deferred) - len(again)
        deferred = again
    report.deferred = deferred
    log.info(report.summary())
    return report


async def republish(db: Database, bus: Bus, event_ids: list[str]) -> list[str]:
    """Publish the stored rows again under their own ids; return the ids the
    stream still took for duplicates (inside its duplicate window)."""
    deferred: list[str] = []
    for start in range(0, len(event_ids), FETCH_BATCH):
        chunk = event_ids[start : start + FETCH_BATCH]
        async with db.reader() as session:
            rows = (await session.exec(select(OutboxRow).where(OutboxRow.event_id.in_(chunk)))).all()
        for row in rows:
            ack = await bus.js.publish(row.subject, row.payload, headers=json.loads(row.headers))
            if ack.duplicate:
                deferred.append(row.event_id)
    return deferred


async def reconcile_services(
    settings: Settings,
    services: Iterable[str],
    *,
    since: dt.datetime | None = None,
    dry_run: bool = False,
    wait: bool = False,
) -> list[ReconcileReport]:
    """Reconcile each service's own database (by the same settings the service
    uses) against the stream. Runs while the services run: the relay never
    touches published rows, and a re-publish is harmless."""
    bus = Bus(settings, "gongshi-reconcile")
    await bus.connect(attempts=3)
    reports = []
    try:
        for service in services:
            db = Database(settings.db_url(service))
            try:
                if db.sqlite_path is not None and not db.sqlite_path.exists():
                    reports.append(ReconcileReport(service))  # never started: nothing to compare
                    continue
                reports.append(await reconcile(service, db, bus, since=since, dry_run=dry_run, wait=wait))
            finally:
                await db.dispose()
    finally:
        await bus.close()
    return reports


_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_since(value: str, now: dt.datetime | None = None) -> dt.datetime:
    """`30m`, `24h`, `7d` (ago) or an ISO 8601 instant (UTC when it has no zone)."""
    value = value.strip()
    if value[:-1].isdigit() and value[-1:] in _UNITS:
        return (now or dt.datetime.now(dt.UTC)) - dt.timedelta(**{_UNITS[value[-1]]: int(value[:-1])})
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"--since {value!r}: use an ISO 8601 instant or 30m / 24h / 7d") from exc
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)

"""The bulk path writes plain dicts instead of ORM objects: they must stay
exactly what the tables (and the runtime's enqueue/audit) would store."""

from __future__ import annotations

import datetime as dt
import json

from opentelemetry import trace
from sqlalchemy import Integer

from gongshi.v1 import results_pb2 as pb
from services.results import records
from services.results.models import ChainEntryRow, ResultPrivateRow, ResultRow, ResultVersionRow
from services.results.publishing import Origin
from services.results.store import Batch
from services.runtime import events as ev
from services.runtime.audit import AuditRow, digest
from services.runtime.auth import Principal
from services.runtime.outbox import OutboxRow

NOW = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


def columns(model) -> set[str]:
    """Every column a row must carry: all but a generated integer key."""
    table = model.__table__
    generated = {
        c.name
        for c in table.primary_key.columns
        if len(table.primary_key.columns) == 1
        and isinstance(c.type, Integer)
        and c.autoincrement in (True, "auto")
    }
    return {c.name for c in table.columns} - generated


def test_outbox_values_fill_every_outbox_column_like_enqueue():
    event = ev.Event(ev.subject("results", "published", "A"), pb.ResultPublished(result=pb.Result(id="r")))
    row = records.EventValues(NOW)(event)
    assert set(row) == columns(OutboxRow)
    headers = json.loads(row["headers"])
    assert headers[ev.HEADER_MSG_ID] == event.event_id == row["event_id"]
    assert headers[ev.HEADER_EVENT_TYPE] == "gongshi.v1.ResultPublished" == row["event_type"]
    assert headers[ev.HEADER_SOURCE] == "results" and headers[ev.HEADER_SCHEMA_VERSION] == ev.SCHEMA_VERSION
    assert row["payload"] == event.message.SerializeToString()


def test_audit_values_fill_every_audit_column_like_record():
    principal = Principal("cred", 1, "A")
    result = pb.Result(id="r", conclusion="罚款")
    row = records.audit_values(
        principal, operation="PublishDecision", record_id="r", before=None, after=result, now=NOW
    )
    assert set(row) == columns(AuditRow)
    assert row["after_digest"] == digest(result) == digest(result.SerializeToString())
    assert (row["credential_id"], row["agency_code"], row["before_digest"]) == ("cred", "A", "")


def test_wrapping_an_encoded_result_is_the_encoding_of_the_event():
    result = pb.Result(id="r", facts="事" * 5000)  # long enough for a multi-byte length
    assert (
        records.wrap_field(1, result.SerializeToString())
        == pb.ResultPublished(result=result).SerializeToString()
    )


def test_a_batch_writes_every_column_of_its_tables():
    from services.results.chain import Head

    result = pb.Result(
        id="r1", agency_code="A", status=pb.RESULT_STATUS_PUBLISHED, decision_date="2026-11-02"
    )
    entry = Head("A").append(result, "published", "", "t")

    class Agency:
        code = "A"

    class Draft:
        agency = Agency()
        decision = pb.Decision(document_number="1")
        withheld_kind = ""

    Draft.private = dict(result_id="r1", decision=b"", non_publication_reason="", redaction_log="[]")
    Draft.result = result
    Draft.origin = Origin(None, NOW, False, records.EventValues(NOW), "", trace.INVALID_SPAN_CONTEXT)
    batch = Batch()
    batch.add(Draft, None, None, entry)
    assert set(batch.results[0]) == columns(ResultRow)
    assert set(batch.private[0]) == columns(ResultPrivateRow)
    assert set(batch.versions[0]) == columns(ResultVersionRow)
    assert set(batch.chain[0]) == columns(ChainEntryRow)
    assert set(batch.outbox[0]) == columns(OutboxRow) and set(batch.audit[0]) == columns(AuditRow)
    assert batch.indexed == ["r1"]  # its search row: by the indexer, after the commit
    assert batch.results[0]["chain_seq"] == 1 and batch.results[0]["public"] is True

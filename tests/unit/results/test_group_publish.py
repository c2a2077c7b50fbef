"""Single publications committed in groups (ResultsHandlers + group_commit),
on a real database (SQLite, and PostgreSQL when it is there): each caller
gets its own outcome, a failed transaction fails exactly its group, a writer
that wins an insert leaves every caller its exact answer, and publishing
registered records in a group rewrites their private copy and search row."""

from __future__ import annotations

import asyncio
import types

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from gongshi.v1 import common_pb2
from gongshi.v1 import results_pb2 as pb
from services.results import store as store_module
from services.results.directory import AgencyDirectory
from services.results.duty_items import DutyItemCopy
from services.results.handlers import ResultsHandlers
from services.results.index_queue import IndexQueueRow, SearchIndexer
from services.results.models import TABLES, AgencyCopy
from services.results.search_index import ResultSearchRow
from services.runtime.app import RUNTIME_TABLES
from services.runtime.auth import Principal
from services.runtime.clock import Clock
from services.runtime.db import Database
from services.runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from tests.support.decisions import penalty

AGENCY = "SCJG-310101"
WRITER = Principal("cred-a", common_pb2.ROLE_AGENCY, AGENCY)


@pytest.fixture
async def handlers(db_url):
    db = Database(db_url)
    await db.create_tables(
        [*RUNTIME_TABLES, *TABLES, ResultSearchRow.__table__, IndexQueueRow.__table__, DutyItemCopy.__table__]
    )
    async with db.transaction() as session:
        session.add(AgencyCopy(code=AGENCY, name="黄浦区市场监督管理局", region_code="310101", version=1))
    handed_over: list[dict] = []  # outbox rows given to the relay's express lane after commit
    runtime = types.SimpleNamespace(
        db=db, clock=Clock(), relay=types.SimpleNamespace(publish_committed=handed_over.extend)
    )
    handlers = ResultsHandlers(runtime, AgencyDirectory(runtime), SearchIndexer(db))
    handlers.handed_over = handed_over
    handlers.transactions = 0
    commit = handlers.commit

    async def counting_commit(prepared):
        handlers.transactions += 1
        return await commit(prepared)

    handlers.commit = counting_commit
    yield handlers
    await db.dispose()


async def query(handlers, sql: str, **params) -> list:
    async with handlers.db.engine.connect() as conn:
        return (await conn.execute(text(sql), params)).all()


async def count(handlers, sql: str, **params) -> int:
    return (await query(handlers, sql, **params))[0][0]


async def test_concurrent_calls_share_transactions_and_each_gets_its_own_outcome(handlers):
    new = [penalty(f"沪黄市监罚〔2026〕G{i}号") for i in range(20)]
    retried = [penalty("沪黄市监罚〔2026〕GR号") for _ in range(3)]
    invalid = penalty("沪黄市监罚〔2026〕GX号", conclusion="")
    citing = penalty("沪黄市监罚〔2026〕GD号", duty_item_code="CF-404")
    stranger = Principal("cred-b", common_pb2.ROLE_AGENCY, "CGJ-440305")
    calls = [(WRITER, d) for d in [*new, *retried, invalid, citing]] + [(stranger, penalty())]
    answers = await asyncio.gather(
        *(handlers.publish_decision(p, AGENCY, d) for p, d in calls), return_exceptions=True
    )
    for decision, (result, created) in zip(new, answers[:20], strict=True):
        assert created and result.document_number == decision.document_number
    retry_answers = answers[20:23]
    assert sorted(created for _, created in retry_answers) == [False, False, True]
    assert len({result.id for result, _ in retry_answers}) == 1
    assert isinstance(answers[23], InvalidArgument)
    assert isinstance(answers[24], FailedPrecondition) and "CF-404" in answers[24].message
    assert isinstance(answers[25], PermissionDenied)
    assert handlers.transactions < 21  # 21 decisions to store, in fewer transactions
    assert await count(handlers, "SELECT count(*) FROM results") == 21
    assert await count(handlers, "SELECT count(*) FROM outbox") == 21
    # Each committed event was handed to the express lane once, straight after its commit.
    assert len({row["event_id"] for row in handlers.handed_over}) == len(handlers.handed_over) == 21
    assert await count(handlers, "SELECT count(*) FROM audit_log WHERE credential_id = 'cred-a'") == 21


async def test_a_failed_transaction_fails_its_whole_group_and_no_other(handlers, monkeypatch):
    store = handlers._store
    failed_group: list[int] = []

    async def failing_once(drafts, outcomes):
        if not failed_group:
            failed_group.append(len(drafts))
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return await store(drafts, outcomes)

    monkeypatch.setattr(handlers, "_store", failing_once)
    decisions = [penalty(f"沪黄市监罚〔2026〕F{i}号") for i in range(12)]
    answers = await asyncio.wait_for(
        asyncio.gather(
            *(handlers.publish_decision(WRITER, AGENCY, d) for d in decisions), return_exceptions=True
        ),
        30,
    )
    errors = [a for a in answers if isinstance(a, OperationalError)]
    assert len(errors) == failed_group[0] and errors
    stored = [a for a in answers if not isinstance(a, Exception)]
    assert len(errors) + len(stored) == len(decisions) and all(created for _, created in stored)
    assert await count(handlers, "SELECT count(*) FROM results") == len(stored)
    # The committer goes on: a later call, and a retry of a failed one, are stored.
    assert (await handlers.publish_decision(WRITER, AGENCY, penalty("沪黄市监罚〔2026〕F99号")))[1]
    failed = decisions[answers.index(errors[0])]
    assert (await handlers.publish_decision(WRITER, AGENCY, failed))[1]


async def test_a_writer_that_wins_an_insert_leaves_each_caller_its_exact_outcome(handlers, monkeypatch):
    first, _ = await handlers.publish_decision(WRITER, AGENCY, penalty("沪黄市监罚〔2026〕W1号"))
    existing = store_module.stored_by_key
    blinded: list[int] = []

    def blind_once(conn, keys):
        # The first group does not see W1: as if another writer stored it after the check.
        if not blinded:
            blinded.append(len(keys))
            return {}
        return existing(conn, keys)

    monkeypatch.setattr(store_module, "stored_by_key", blind_once)
    numbers = ["沪黄市监罚〔2026〕W1号", "沪黄市监罚〔2026〕W2号", "沪黄市监罚〔2026〕W3号"]
    answers = await asyncio.gather(*(handlers.publish_decision(WRITER, AGENCY, penalty(n)) for n in numbers))
    assert blinded == [3]  # one group of three: it falls back to storing them one by one
    (again, again_created), *others = answers
    assert again.id == first.id and not again_created
    assert all(created for _, created in others)
    assert await count(handlers, "SELECT count(*) FROM results") == 3
    assert await count(handlers, "SELECT count(*) FROM outbox") == 3


async def test_publishing_registered_records_in_a_group_rewrites_their_private_copy_and_search_row(handlers):
    numbers = [f"沪黄市监罚〔2026〕P{i}号" for i in range(3)]
    registered = [
        (await handlers.register_decision(WRITER, AGENCY, penalty(n, conclusion="登记时的结论。")))[0]
        for n in numbers
    ]
    assert all(r.status == pb.RESULT_STATUS_PENDING for r in registered)
    published = await asyncio.gather(
        *(
            handlers.publish_decision(WRITER, AGENCY, penalty(n, conclusion="公示时的结论。"))
            for n in numbers
        ),
        handlers.publish_decision(WRITER, AGENCY, penalty("沪黄市监罚〔2026〕P9号")),
    )
    for before, (after, created) in zip(registered, published, strict=False):
        assert created and after.id == before.id and after.status == pb.RESULT_STATUS_PUBLISHED
        assert after.registered_at == before.registered_at and after.conclusion == "公示时的结论。"
    ids = dict(zip("abc", (r.id for r in registered), strict=True))
    # The search rows are written by the indexer, right after the publishing transaction.
    assert await count(handlers, "SELECT count(*) FROM results_index_queue") > 0
    await handlers.indexer.drain()
    assert await count(handlers, "SELECT count(*) FROM results_index_queue") == 0
    private = await query(
        handlers, "SELECT decision FROM results_private WHERE result_id IN (:a, :b, :c)", **ids
    )
    rows = await query(
        handlers,
        "SELECT public, status, search_text FROM results_search WHERE result_id IN (:a, :b, :c)",
        **ids,
    )
    assert {pb.Decision.FromString(bytes(d)).conclusion for (d,) in private} == {"公示时的结论。"}
    assert len(rows) == 3
    for public, status, search_text in rows:
        assert public and status == pb.RESULT_STATUS_PUBLISHED
        assert "公示时的结论" in search_text and "登记时的结论" not in search_text
    assert await count(handlers, "SELECT count(*) FROM audit_log WHERE operation = 'RegisterDecision'") == 3
    assert await count(handlers, "SELECT count(*) FROM audit_log WHERE operation = 'PublishDecision'") == 4

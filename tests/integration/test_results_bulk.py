"""Bulk ingest: the client-streaming RPC answers each item, stores the good
ones idempotently, and `gongshi results import` streams a CSV or NDJSON file
through it with a summary and a file of refused rows."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import uuid

from gongshi.v1 import results_pb2 as pb
from tests.support.decisions import penalty
from tests.support.platform import auth, register_agency
from tests.support.results import events


def stream(results, token: str, decisions: list[pb.Decision]) -> pb.BulkPublishResponse:
    return results.BulkPublish(
        (pb.PublishDecisionRequest(decision=d) for d in decisions), metadata=auth(token), timeout=60
    )


def test_bulk_answers_every_item_and_stores_the_good_ones_once(platform, agency, results, http):
    running, _ = platform
    code, token = agency
    decisions = [penalty(document_number=f"沪黄市监罚〔2026〕B{i}号") for i in range(1200)]
    decisions[7].conclusion = ""  # refused: named field
    decisions[900] = penalty(document_number="沪黄市监罚〔2026〕B3号")  # a retry inside the stream
    decisions[1100].party.CopyFrom(pb.Party(type=pb.PARTY_TYPE_NATURAL_PERSON, name="钱小明", is_minor=True))
    reply = stream(results, token, decisions)
    assert (reply.accepted, reply.refused) == (1199, 1)
    assert [o.index for o in reply.outcomes] == list(range(1200))
    bad = reply.outcomes[7]
    assert not bad.accepted and [e.field for e in bad.errors] == ["decision.conclusion"]
    assert reply.outcomes[900].duplicate and reply.outcomes[900].id == reply.outcomes[3].id
    assert reply.outcomes[1100].accepted and not reply.outcomes[1100].duplicate

    # 1200 items - 1 refused - 1 retry - 1 minor (stored, never public); totals stop at 1000
    first = http.get("/api/v1/results", params={"agency": code}).json()
    assert (first["total"], first["total_is_lower_bound"]) == (1000, True)
    listed, cursor = 0, None
    while True:
        params = {"agency": code, "limit": 200, **({"cursor": cursor} if cursor else {})}
        page = http.get("/api/v1/results", params=params).json()
        listed, cursor = listed + len(page["data"]), page["next_cursor"]
        if not cursor:
            break
    assert listed == 1197
    published = events(running.nats.address, f"gongshi.results.published.{code}", pb.ResultPublished, 1197)
    assert len(published) == 1197 and len({e.result.id for e in published}) == 1197
    assert reply.outcomes[1100].id not in {e.result.id for e in published}

    again = stream(results, token, decisions)
    assert (again.accepted, again.refused) == (1199, 1)
    assert all(o.duplicate for o in again.outcomes if o.accepted)
    assert [o.id for o in again.outcomes] == [o.id for o in reply.outcomes]
    assert http.get(f"/api/v1/agencies/{code}/chain/verify").json()["intact"] is True


def test_bulk_items_for_another_agency_are_refused_one_by_one(platform, agency, results):
    _, settings = platform
    _, token = agency
    other = f"CGJ-{uuid.uuid4().hex[:8]}"
    register_agency(settings, other)
    reply = results.BulkPublish(
        iter(
            [
                pb.PublishDecisionRequest(decision=penalty()),
                pb.PublishDecisionRequest(decision=penalty(), agency_code=other),
            ]
        ),
        metadata=auth(token),
        timeout=30,
    )
    assert [o.accepted for o in reply.outcomes] == [True, False]
    assert "writes for agency" in reply.outcomes[1].errors[0].description


def run_cli(platform, *args: str) -> subprocess.CompletedProcess:
    _, settings = platform
    env = {**os.environ, "GONGSHI_RESULTS_PORT": str(settings.grpc_port("results"))}
    return subprocess.run(
        [sys.executable, "-m", "services.cli", "results", "import", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_imports_csv_with_a_summary_and_a_file_of_refused_rows(platform, agency, http, tmp_path):
    code, token = agency
    path = tmp_path / "decisions.csv"
    columns = [
        "document_number",
        "category",
        "party_type",
        "party.name",
        "party.uscc",
        "facts",
        "violation_type",
        "legal_basis",
        "conclusion",
        "penalty_kinds",
        "fine_amount_fen",
        "decision_date",
        "party.is_minor",
    ]
    basis = "《产品质量法》第四十九条|《产品质量法》第五十条"
    rows = [
        [f"沪黄市监罚〔2026〕C{i}号", "penalty", "legal_person", f"上海某某贸易有限公司{i}",
         "91310101MA1FPX0001", "经查，当事人销售不合格产品。", "销售不合格产品", basis,
         "罚款人民币一万元。", "fine|confiscation", "1000000", "2026-11-20", "否"]
        for i in range(6)
    ]  # fmt: skip
    rows[2][1] = "parking"  # no such category: refused before sending
    rows[4][8] = ""  # no conclusion: refused by the service
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerows(rows)

    first = run_cli(platform, str(path), "--token", token)
    assert first.returncode == 1, first.stderr
    assert "6 rows: 4 published, 0 already there, 2 refused" in first.stdout
    refused = [
        json.loads(line) for line in (tmp_path / "decisions.csv.refused.ndjson").read_text().splitlines()
    ]
    assert [r["line"] for r in refused] == [4, 6]
    assert (
        refused[0]["errors"][0]["field"] == "decision.category"
        and "parking" in refused[0]["errors"][0]["description"]
    )
    assert refused[1]["errors"][0]["field"] == "decision.conclusion"
    assert "6/6 rows" in first.stderr  # the progress line

    listed = http.get("/api/v1/results", params={"agency": code}).json()
    assert listed["total"] == 4
    record = next(r for r in listed["data"] if r["document_number"] == "沪黄市监罚〔2026〕C0号")
    assert record["legal_basis"] == ["《产品质量法》第四十九条", "《产品质量法》第五十条"]
    assert record["penalty_kinds"] == ["fine", "confiscation"] and record["fine_amount_fen"] == 1_000_000

    again = run_cli(platform, str(path), "--token", token)
    assert "6 rows: 0 published, 4 already there, 2 refused" in again.stdout


def test_cli_imports_ndjson(platform, agency, http, tmp_path):
    from google.protobuf import json_format

    code, token = agency
    path = tmp_path / "decisions.ndjson"
    lines = [json.dumps(json_format.MessageToDict(penalty()), ensure_ascii=False) for _ in range(3)]
    lines.insert(1, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_cli(platform, str(path), "--token", token)
    assert done.returncode == 1 and "4 rows: 3 published, 0 already there, 1 refused" in done.stdout
    (refused,) = [
        json.loads(x) for x in (tmp_path / "decisions.ndjson.refused.ndjson").read_text().splitlines()
    ]
    assert refused["line"] == 2 and "not JSON" in refused["errors"][0]["description"]
    assert http.get("/api/v1/results", params={"agency": code}).json()["total"] == 3
    assert run_cli(platform, str(path), "--token", "gs_x_y").returncode == 1

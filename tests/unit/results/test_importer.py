"""Reading import files, with no server: CSV cells to Decision fields, and the
rows that are refused before anything is sent."""

from __future__ import annotations

import io
import json

import pytest

from gongshi.v1 import common_pb2
from gongshi.v1 import results_pb2 as pb
from services.results import importer
from services.runtime import limits


def test_csv_cells_become_decision_fields():
    decision = importer.decision_from_columns(
        {
            "document_number": "沪黄市监罚〔2026〕1号",
            "category": "penalty",
            "procedure_type": "PROCEDURE_TYPE_ORDINARY",
            "party_type": "natural_person",
            "party.name": "张三",
            "party_is_minor": "否",
            "legal_basis": "《食品安全法》第一百二十四条|《食品安全法》第三十四条；《广告法》第五十五条",
            "penalty_kinds": "fine | confiscation",
            "fine_amount_fen": "5000000",
            "summary_only": "true",
            "violated_provisions": "",
        }
    )
    assert decision.category == pb.DECISION_CATEGORY_PENALTY
    assert decision.procedure_type == pb.PROCEDURE_TYPE_ORDINARY
    assert (decision.party.type, decision.party.name, decision.party.is_minor) == (
        pb.PARTY_TYPE_NATURAL_PERSON,
        "张三",
        False,
    )
    assert list(decision.legal_basis) == [
        "《食品安全法》第一百二十四条",
        "《食品安全法》第三十四条",
        "《广告法》第五十五条",
    ]
    assert list(decision.penalty_kinds) == [pb.PENALTY_KIND_FINE, pb.PENALTY_KIND_CONFISCATION]
    assert (
        decision.fine_amount_fen == 5_000_000 and decision.summary_only and not decision.violated_provisions
    )


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"category": "parking"}, "decision.category"),
        ({"penalty_kinds": "fine|flogging"}, "decision.penalty_kinds"),
        ({"fine_amount_fen": "五万"}, "decision.fine_amount_fen"),
        ({"party.is_minor": "maybe"}, "decision.party.is_minor"),
    ],
)
def test_unreadable_cells_name_their_field(cells, field):
    with pytest.raises(importer.RowError) as caught:
        importer.decision_from_columns(cells)
    assert caught.value.field == field


def test_unknown_csv_columns_stop_the_import_before_anything_is_sent(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("document_number,fine_yuan\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="fine_yuan"):
        list(importer.read_rows(path))
    with pytest.raises(ValueError, match=r"csv or \.ndjson"):
        list(importer.read_rows(tmp_path / "x.xlsx"))


def test_ndjson_lines_over_the_limit_or_not_json_are_refused_with_their_line(tmp_path):
    path = tmp_path / "x.ndjson"
    huge = json.dumps({"facts": "事" * limits.MAX_IMPORT_LINE_BYTES})
    path.write_text('{"documentNumber": "1"}\n\n[1]\n' + huge + "\n{oops\n", encoding="utf-8")
    rows = list(importer.read_rows(path))
    assert [r.line for r in rows] == [1, 3, 4, 5]
    assert rows[0].decision.document_number == "1" and rows[0].error is None
    assert "JSON object" in rows[1].error.description
    assert "longer than" in rows[2].error.description
    assert "not JSON" in rows[3].error.description
    assert importer.count_rows(path) == 4


class FakeStub:
    """Refuses decisions without a conclusion, like the service; counts calls."""

    def __init__(self) -> None:
        self.calls = 0

    def BulkPublish(self, requests, metadata, timeout):
        self.calls += 1
        assert metadata == [("authorization", "Bearer T")]
        reply = pb.BulkPublishResponse()
        for i, request in enumerate(requests):
            outcome = common_pb2.ItemOutcome(index=i, accepted=bool(request.decision.conclusion), id=f"r{i}")
            if not outcome.accepted:
                outcome.errors.add(field="decision.conclusion", description="is required")
            reply.outcomes.append(outcome)
        return reply


def test_import_sends_in_calls_and_writes_refused_rows(tmp_path):
    path = tmp_path / "d.ndjson"
    lines = [json.dumps({"documentNumber": str(i), "conclusion": "罚款" if i % 4 else ""}) for i in range(10)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stub, out = FakeStub(), io.StringIO()
    summary = importer.import_file(path, stub, "T", progress=importer.Progress(10, out), call_items=4)
    assert stub.calls == 3 and (summary.rows, summary.accepted, summary.refused) == (10, 7, 3)
    refused = [json.loads(x) for x in summary.refused_path.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in refused] == [1, 5, 9]
    assert refused[0]["errors"] == [{"field": "decision.conclusion", "description": "is required"}]
    assert "10/10 rows" in out.getvalue() and "refused 3" in out.getvalue()
    assert "10 rows: 7 published, 0 already there, 3 refused" in summary.line()

"""`gongshi results import`: read decisions from a CSV or NDJSON file and
stream them through BulkPublish, with a progress bar and a summary; refused
rows go to FILE.refused.ndjson with their reasons.

NDJSON: one gongshi.v1.Decision per line in protobuf JSON (what `gongshi
results push` takes). CSV: a header row naming Decision fields
(`document_number`, `category`, ...; party fields as `party.name` or
`party_name`); list fields (`legal_basis`, `penalty_kinds`, ...) are split on
"|" or "；"; enums take the public short name (`penalty`, `fine`) or the full
one; booleans take true/false, 1/0 or 是/否. A row that cannot be read is
refused locally and never sent.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import grpc
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from services.runtime import limits

# Items per BulkPublish call: a call answers only when its stream ends, so
# smaller calls give the progress bar (and a rerun after a failure) finer steps.
CALL_ITEMS = 2_000
_LIST_SEPARATORS = ("|", "；")
_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否", ""}


class RowError(ValueError):
    def __init__(self, field_name: str, description: str) -> None:
        super().__init__(description)
        self.field, self.description = field_name, description


@dataclass
class Row:
    line: int
    raw: object
    decision: pb.Decision | None = None
    error: RowError | None = None


@dataclass
class Summary:
    rows: int = 0
    accepted: int = 0
    duplicates: int = 0
    refused: int = 0
    refused_path: Path | None = None
    elapsed: float = 0.0
    by_field: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        rate = self.rows / self.elapsed if self.elapsed else 0.0
        published = self.accepted - self.duplicates
        text = (
            f"{self.rows} rows: {published} published, {self.duplicates} already there, "
            f"{self.refused} refused ({rate:,.0f} rows/s)"
        )
        if self.refused:
            worst = ", ".join(
                f"{f or '(row)'} ×{n}" for f, n in sorted(self.by_field.items(), key=lambda x: -x[1])[:5]
            )
            text += f"\nrefused rows with reasons: {self.refused_path}  (most often: {worst})"
        return text


# ---------------------------------------------------------------- reading


def read_rows(path: Path) -> Iterator[Row]:
    suffix = path.suffix.lower()
    if suffix in (".ndjson", ".jsonl"):
        yield from _ndjson_rows(path)
    elif suffix == ".csv":
        yield from _csv_rows(path)
    else:
        raise ValueError(f"{path}: expected a .csv or .ndjson file")


def count_rows(path: Path) -> int:
    with path.open("rb") as f:
        lines = sum(1 for line in f if line.strip())
    return max(lines - 1, 0) if path.suffix.lower() == ".csv" else lines


def _ndjson_rows(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8-sig") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            row = Row(number, line.rstrip("\n"))
            try:
                if len(line.encode()) > limits.MAX_IMPORT_LINE_BYTES:
                    raise RowError("", f"line is longer than {limits.MAX_IMPORT_LINE_BYTES} bytes")
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise RowError("", f"not JSON: {exc}") from exc
                row.raw = data
                row.decision = _parse_json(data)
            except RowError as exc:
                row.error = exc
            yield row


def _parse_json(data) -> pb.Decision:
    if not isinstance(data, dict):
        raise RowError("", "each line must be a JSON object (a gongshi.v1.Decision)")
    try:
        return json_format.ParseDict(data, pb.Decision())
    except json_format.ParseError as exc:
        raise RowError("", str(exc)) from exc


def _csv_rows(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        unknown = [c for c in reader.fieldnames or [] if _column(c) is None]
        if unknown:
            raise ValueError(f"{path}: unknown columns {unknown}; use gongshi.v1.Decision field names")
        for values in reader:
            row = Row(reader.line_num, values)
            try:
                row.decision = decision_from_columns(values)
            except RowError as exc:
                row.error = exc
            yield row


def _column(name: str) -> tuple[str, FieldDescriptor] | None:
    key = name.strip().replace("party_", "party.", 1) if name.strip().startswith("party_") else name.strip()
    if key.startswith("party."):
        descriptor = pb.Party.DESCRIPTOR.fields_by_name.get(key.split(".", 1)[1])
    else:
        descriptor = pb.Decision.DESCRIPTOR.fields_by_name.get(key)
        if descriptor is not None and descriptor.message_type is not None:
            return None
    return (key, descriptor) if descriptor is not None else None


def decision_from_columns(values: dict[str, str]) -> pb.Decision:
    decision = pb.Decision()
    for column, text in values.items():
        if column is None:
            raise RowError("", "the row has more cells than the header")
        resolved = _column(column)
        if resolved is None or text is None:
            continue
        key, descriptor = resolved
        target = decision.party if key.startswith("party.") else decision
        text = text.strip()
        if descriptor.is_repeated:
            parts = [text]
            for separator in _LIST_SEPARATORS:
                parts = [p for part in parts for p in part.split(separator)]
            items = [p.strip() for p in parts if p.strip()]
            getattr(target, descriptor.name).extend(_value(key, descriptor, item) for item in items)
        elif text:
            setattr(target, descriptor.name, _value(key, descriptor, text))
    return decision


def _value(key: str, descriptor: FieldDescriptor, text: str):
    if descriptor.type == FieldDescriptor.TYPE_ENUM:
        enum = descriptor.enum_type
        prefix = enum.values[0].name.removesuffix("UNSPECIFIED")
        value = enum.values_by_name.get(text) or enum.values_by_name.get(prefix + text.upper())
        if value is None or value.number == 0:
            names = ", ".join(v.name.removeprefix(prefix).lower() for v in enum.values if v.number)
            raise RowError(f"decision.{key}", f"unknown value {text!r}; one of: {names}")
        return value.number
    if descriptor.type == FieldDescriptor.TYPE_BOOL:
        lowered = text.lower()
        if lowered not in _TRUE | _FALSE:
            raise RowError(f"decision.{key}", f"{text!r} is not true or false")
        return lowered in _TRUE
    if descriptor.type in (FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_INT32):
        try:
            return int(text)
        except ValueError as exc:
            raise RowError(f"decision.{key}", f"{text!r} is not a whole number") from exc
    return text


# ---------------------------------------------------------------- sending


class Progress:
    """A one-line progress bar on a terminal; a line every 10% otherwise."""

    def __init__(self, total: int, out: TextIO = sys.stderr, width: int = 30) -> None:
        self.total, self.out, self.width = max(total, 1), out, width
        self.tty = out.isatty()
        self._last_decile = -1

    def show(self, done: int, summary: Summary) -> None:
        share = min(done / self.total, 1.0)
        text = (
            f"{done}/{self.total} rows  published {summary.accepted - summary.duplicates}  "
            f"already there {summary.duplicates}  refused {summary.refused}"
        )
        if self.tty:
            filled = int(share * self.width)
            self.out.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {text}")
        elif int(share * 10) != self._last_decile:
            self._last_decile = int(share * 10)
            self.out.write(text + "\n")
        self.out.flush()

    def close(self) -> None:
        if self.tty:
            self.out.write("\n")
            self.out.flush()


def import_file(
    path: Path,
    stub: results_pb2_grpc.ResultsServiceStub,
    token: str,
    *,
    progress: Progress | None = None,
    call_items: int = CALL_ITEMS,
    timeout: float = 600.0,
    clock: Callable[[], float] = time.monotonic,
) -> Summary:
    """Import a file; refused rows (unreadable or refused by the service) are
    written to <path>.refused.ndjson. Every push is idempotent, so a rerun
    after a failure sends the whole file again and adds only what is missing."""
    started = clock()
    summary = Summary(refused_path=path.with_name(path.name + ".refused.ndjson"))
    metadata = [("authorization", f"Bearer {token}")]
    with summary.refused_path.open("w", encoding="utf-8") as refused:

        def refuse(row: Row, errors: list[dict]) -> None:
            summary.refused += 1
            for error in errors:
                summary.by_field[error["field"]] = summary.by_field.get(error["field"], 0) + 1
            refused.write(
                json.dumps({"line": row.line, "errors": errors, "row": row.raw}, ensure_ascii=False) + "\n"
            )

        chunk: list[Row] = []

        def send() -> None:
            reply = stub.BulkPublish(
                (pb.PublishDecisionRequest(decision=r.decision) for r in chunk),
                metadata=metadata,
                timeout=timeout,
            )
            for row, outcome in zip(chunk, reply.outcomes, strict=True):
                if outcome.accepted:
                    summary.accepted += 1
                    summary.duplicates += outcome.duplicate
                else:
                    refuse(row, [{"field": e.field, "description": e.description} for e in outcome.errors])
            chunk.clear()

        for row in read_rows(path):
            summary.rows += 1
            if row.error is not None:
                refuse(row, [{"field": row.error.field, "description": row.error.description}])
            else:
                chunk.append(row)
                if len(chunk) >= call_items:
                    send()
            if progress is not None and (summary.rows % 200 == 0 or not chunk):
                progress.show(summary.rows - len(chunk), summary)
        if chunk:
            send()
        if progress is not None:
            progress.show(summary.rows, summary)
            progress.close()
    if not summary.refused:
        summary.refused_path.unlink()
        summary.refused_path = None
    summary.elapsed = clock() - started
    return summary


def run_import(path: Path, address: str, token: str) -> Summary:
    total = count_rows(path)
    with grpc.insecure_channel(address) as channel:
        return import_file(
            path, results_pb2_grpc.ResultsServiceStub(channel), token, progress=Progress(total)
        )

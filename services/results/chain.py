"""Tamper evidence: every change to what the public sees of an agency's
results is one link of that agency's hash chain. No SQL here.

A link (gongshi.v1.ChainEntry) names the record, its version, the kind of
change and a SHA-256 of the record's public view right after the change. Its
own hash covers all of that plus the previous link's hash, so altering any
stored view, any link, or the order of links breaks the chain from there on.

Canonical form: the deterministic protobuf encoding (fields in number order,
no unknown fields, no maps in these messages), which any protobuf library
reproduces from the same field values. Hashes are lowercase hex.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from gongshi.v1 import results_pb2 as pb

GENESIS_HASH = "0" * 64


def doc_digest(result: pb.Result) -> str:
    """SHA-256 of a public view, without the chain fields that point back at
    the link (record_hash, chain_seq): they cannot be part of what they sign."""
    if result.record_hash or result.chain_seq:
        unsigned = pb.Result()
        unsigned.CopyFrom(result)
        unsigned.record_hash, unsigned.chain_seq = "", 0
        result = unsigned
    return hashlib.sha256(result.SerializeToString(deterministic=True)).hexdigest()


def entry_hash(entry: pb.ChainEntry) -> str:
    unsigned = pb.ChainEntry()
    unsigned.CopyFrom(entry)
    unsigned.hash = ""
    return hashlib.sha256(unsigned.SerializeToString(deterministic=True)).hexdigest()


@dataclass
class Head:
    """Where an agency's chain ends; `append` moves it on."""

    agency_code: str
    seq: int = 0
    hash: str = GENESIS_HASH

    def append(self, result: pb.Result, kind: str, reason: str, recorded_at: str) -> pb.ChainEntry:
        """Link `result` (its view after the change) and stamp it with the link:
        result.record_hash and result.chain_seq are set from the new entry."""
        result.record_hash, result.chain_seq = "", 0
        entry = pb.ChainEntry(
            agency_code=self.agency_code,
            seq=self.seq + 1,
            result_id=result.id,
            version=result.version,
            kind=kind,
            recorded_at=recorded_at,
            doc_sha256=doc_digest(result),
            prev_hash=self.hash,
            reason=reason,
        )
        entry.hash = entry_hash(entry)
        self.seq, self.hash = entry.seq, entry.hash
        result.record_hash, result.chain_seq = entry.hash, entry.seq
        return entry


CONTENT_KINDS = frozenset({"published", "corrected"})


@dataclass
class Verifier:
    """Checks one agency's links in order, then the stored records against the
    links that signed them. It streams (constant memory, for chains of
    millions) and collects problems instead of stopping at the first, so a
    report shows the extent of the damage."""

    agency_code: str
    problems: list[pb.ChainProblem] = field(default_factory=list)
    entries_checked: int = 0
    records_checked: int = 0
    max_problems: int = 100
    _prev: str = GENESIS_HASH
    _seq: int = 0

    def problem(self, seq: int, result_id: str, text: str) -> None:
        if len(self.problems) < self.max_problems:
            self.problems.append(pb.ChainProblem(seq=seq, result_id=result_id, problem=text))

    def link(self, entry: pb.ChainEntry, version_doc: bytes | None) -> None:
        """The next link, with the stored version it signed (content kinds only)."""
        self.entries_checked += 1
        if entry.agency_code != self.agency_code:
            self.problem(entry.seq, entry.result_id, f"entry belongs to agency {entry.agency_code}")
        if entry.seq != self._seq + 1:
            self.problem(entry.seq, entry.result_id, f"sequence jumps from {self._seq} to {entry.seq}")
        if entry.prev_hash != self._prev:
            self.problem(entry.seq, entry.result_id, "prev_hash does not match the previous entry's hash")
        if entry_hash(entry) != entry.hash:
            self.problem(entry.seq, entry.result_id, "entry hash does not match its contents")
        self._seq, self._prev = entry.seq, entry.hash
        if entry.kind in CONTENT_KINDS:
            if version_doc is None:
                self.problem(entry.seq, entry.result_id, f"version {entry.version} is missing")
            elif doc_digest(pb.Result.FromString(version_doc)) != entry.doc_sha256:
                self.problem(
                    entry.seq, entry.result_id, f"version {entry.version} differs from what the chain signed"
                )

    def head(self, seq: int, hash_: str) -> None:
        """The stored head must be the last link walked."""
        if (seq, hash_) != (self._seq, self._prev):
            self.problem(seq, "", f"chain head is at seq {seq} but the log ends at {self._seq}")

    def record(
        self, result_id: str, doc: bytes, public: bool, status: int, entry: pb.ChainEntry | None
    ) -> None:
        """A record's current view must be the one its latest link signed, and
        the columns public paths filter on must agree with it."""
        self.records_checked += 1
        result = pb.Result.FromString(doc)
        if entry is None or entry.result_id != result_id:
            self.problem(result.chain_seq, result_id, "record points at no chain entry of its own")
            return
        if result.record_hash != entry.hash or result.chain_seq != entry.seq:
            self.problem(entry.seq, result_id, "record does not carry its chain entry's hash")
        if doc_digest(result) != entry.doc_sha256:
            self.problem(entry.seq, result_id, "record content differs from what the chain signed")
        if result.id != result_id or status != result.status or public != (result.status in _PUBLIC):
            self.problem(entry.seq, result_id, "record columns disagree with its signed content")

    @property
    def intact(self) -> bool:
        return not self.problems


_PUBLIC = (pb.RESULT_STATUS_PUBLISHED, pb.RESULT_STATUS_CORRECTED)

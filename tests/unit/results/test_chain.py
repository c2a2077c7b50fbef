"""The hash chain without a database: links, and what verification catches."""

from __future__ import annotations

import hashlib

from gongshi.v1 import results_pb2 as pb
from services.results.chain import GENESIS_HASH, Head, Verifier, doc_digest, entry_hash


def record(i: int, **fields) -> pb.Result:
    values = dict(
        id=f"r{i}", agency_code="A", version=1, status=pb.RESULT_STATUS_PUBLISHED, conclusion=f"罚款{i}"
    )
    return pb.Result(**{**values, **fields})


def build(n: int = 3) -> tuple[Head, list[pb.ChainEntry], list[pb.Result]]:
    head = Head("A")
    results = [record(i) for i in range(n)]
    entries = [head.append(r, "published", "", f"2026-11-25T00:00:0{i}Z") for i, r in enumerate(results)]
    # The stored versions, as they were when linked.
    VERSIONS.clear()
    VERSIONS.update({e.seq: r.SerializeToString() for e, r in zip(entries, results, strict=True)})
    return head, entries, results


VERSIONS: dict[int, bytes] = {}


def verify(entries, results, head: Head, versions=None) -> Verifier:
    v = Verifier("A")
    versions = VERSIONS if versions is None else versions
    for e in entries:
        v.link(e, versions.get(e.seq))
    v.head(head.seq, head.hash)
    for e, r in zip(entries, results, strict=True):
        v.record(r.id, r.SerializeToString(), True, r.status, e)
    return v


def test_links_chain_each_entry_to_the_previous_and_stamp_the_record():
    head, entries, results = build()
    assert entries[0].prev_hash == GENESIS_HASH and entries[0].seq == 1
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert (head.seq, head.hash) == (3, entries[-1].hash)
    assert results[1].record_hash == entries[1].hash and results[1].chain_seq == 2
    # The hash is SHA-256 of the deterministic encoding with the hash field empty: anyone can recompute it.
    unsigned = pb.ChainEntry()
    unsigned.CopyFrom(entries[1])
    unsigned.hash = ""
    assert entries[1].hash == hashlib.sha256(unsigned.SerializeToString(deterministic=True)).hexdigest()
    assert entry_hash(entries[1]) == entries[1].hash


def test_the_record_digest_ignores_the_fields_that_point_at_the_link():
    _, entries, results = build(1)
    assert doc_digest(results[0]) == entries[0].doc_sha256
    assert results[0].record_hash  # it is stamped, yet the digest still matches


def test_an_untouched_chain_verifies():
    head, entries, results = build()
    v = verify(entries, results, head)
    assert v.intact and (v.entries_checked, v.records_checked) == (3, 3)


def test_changed_record_content_is_caught():
    head, entries, results = build()
    results[1].conclusion = "不予处罚"
    v = verify(entries, results, head)
    assert not v.intact and [p.result_id for p in v.problems] == ["r1"]
    assert "content" in v.problems[0].problem


def test_a_changed_link_breaks_the_chain_from_there_on():
    head, entries, results = build()
    entries[1].reason = "rewritten"
    v = verify(entries, results, head)
    assert any(p.seq == 2 and "hash" in p.problem for p in v.problems)
    # Recomputing its hash does not help: the next link no longer points at it.
    entries[1].hash = entry_hash(entries[1])
    v = verify(entries, results, head)
    assert any(p.seq == 3 and "prev_hash" in p.problem for p in v.problems)


def test_a_removed_link_or_a_rewound_head_is_caught():
    _, entries, results = build()
    v = Verifier("A")
    for e in (entries[0], entries[2]):
        v.link(e, results[e.seq - 1].SerializeToString())
    assert any("jumps" in p.problem for p in v.problems)
    v = verify(entries, results, Head("A", 2, entries[1].hash))
    assert any("head" in p.problem for p in v.problems)


def test_an_altered_version_or_columns_that_disagree_are_caught():
    head, entries, results = build()
    altered = record(0, conclusion="改过")
    v = verify(
        entries,
        results,
        head,
        versions={1: altered.SerializeToString(), 2: b"", 3: results[2].SerializeToString()},
    )
    assert {p.result_id for p in v.problems} >= {"r0", "r1"}
    v = Verifier("A")
    withdrawn = record(9, status=pb.RESULT_STATUS_WITHDRAWN)
    entry = Head("A").append(withdrawn, "withdrawn", "", "t")
    v.record("r9", withdrawn.SerializeToString(), True, pb.RESULT_STATUS_PUBLISHED, entry)
    assert any("columns" in p.problem for p in v.problems)

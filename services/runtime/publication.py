"""Versioned publication of ex-ante records (事前公開): the rules, no I/O.

Every record an agency publishes before it acts lives in versions:
draft -> published -> revised (superseded by a newer published version, kept
and readable) -> retired. Content of a version that was ever published never
changes; a change is a new version, and every change that touches something
already public must say why (DOMAIN.md B3 "動態調整", F3 "keeps version history").

Used by the duties and procedures services alike; each decides what a record
is, this module decides how its versions move.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from gongshi.v1 import common_pb2
from services.runtime import limits
from services.runtime.errors import FailedPrecondition, NotFound, invalid

DRAFT = common_pb2.PUBLICATION_STATUS_DRAFT
PUBLISHED = common_pb2.PUBLICATION_STATUS_PUBLISHED
REVISED = common_pb2.PUBLICATION_STATUS_REVISED
RETIRED = common_pb2.PUBLICATION_STATUS_RETIRED

# The reason recorded when an agency gives none for a first publication.
FIRST_VERSION_REASON = "首次公示"


@dataclass(frozen=True)
class VersionState:
    """What the rules need to know about one stored version."""

    version: int
    status: int
    content_hash: str


@dataclass(frozen=True)
class Plan:
    """What a write does: which version it writes (if any), whether it
    publishes that version, and which published version it supersedes."""

    # "none": nothing to store; "new": a new version; "overwrite": replace the unpublished draft.
    write: str
    version: int
    publish: bool = False
    supersedes: int = 0
    retire: int = 0

    @property
    def changed(self) -> bool:
        return self.write != "none" or self.publish or bool(self.retire)

    @property
    def event(self) -> str:
        """The public event this change is: "published", "revised", "retired" or "" (drafts are private)."""
        if self.retire:
            return "retired"
        if self.publish:
            return "revised" if self.supersedes else "published"
        return ""


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def chain_hash(previous_hash: str, content_digest: str) -> str:
    """Each published version's hash covers the previous one: rewriting any
    published version breaks every later hash."""
    return hashlib.sha256(f"{previous_hash}|{content_digest}".encode()).hexdigest()


def check_reason(reason: str, *, required: bool, field: str = "reason") -> None:
    if required and not reason.strip():
        raise invalid(field, "is required: say why a published record changes (e.g. 法規修訂)")
    if len(reason) > limits.MEDIUM_TEXT:
        raise invalid(field, f"is {len(reason)} characters long; the limit is {limits.MEDIUM_TEXT}")


def plan_put(
    latest: VersionState | None, public: VersionState | None, digest: str, *, publish: bool, reason: str
) -> Plan:
    """Plan storing content `digest` for a record whose newest version is
    `latest` and whose currently published version is `public` (if any).

    Idempotent: storing what is already there changes nothing, so a retried
    push is harmless.
    """
    if latest is None:
        check_reason(reason, required=False)
        return Plan("new", 1, publish=publish)
    # Anything that was ever public may change only with a reason.
    touches_public = public is not None or latest.version > 1 or latest.status != DRAFT
    supersedes = public.version if public is not None else 0
    if latest.status == DRAFT:
        same = latest.content_hash == digest
        if same and not publish:
            return Plan("none", latest.version)
        check_reason(reason, required=touches_public)
        return Plan("none" if same else "overwrite", latest.version, publish=publish, supersedes=supersedes)
    if latest.status == PUBLISHED:
        if latest.content_hash == digest:
            return Plan("none", latest.version)
        check_reason(reason, required=True)
        return Plan("new", latest.version + 1, publish=publish, supersedes=supersedes)
    if latest.status == RETIRED:
        if latest.content_hash == digest and not publish:
            return Plan("none", latest.version)
        check_reason(reason, required=True)
        return Plan("new", latest.version + 1, publish=publish)
    raise AssertionError(f"the newest version cannot have status {latest.status}")


def plan_publish(latest: VersionState | None, public: VersionState | None, record: str) -> Plan:
    """Publish the newest draft."""
    if latest is None:
        raise NotFound(f"no {record}")
    if latest.status == PUBLISHED:
        return Plan("none", latest.version)
    if latest.status == RETIRED:
        raise FailedPrecondition(f"{record} is retired; put a new version (with publish) to publish it again")
    return Plan("none", latest.version, publish=True, supersedes=public.version if public else 0)


def plan_retire(latest: VersionState | None, public: VersionState | None, record: str, reason: str) -> Plan:
    """Retire the current published version; its history stays readable."""
    if latest is None:
        raise NotFound(f"no {record}")
    check_reason(reason, required=True)
    if public is None:
        if latest.status == RETIRED or latest.version > 1:
            return Plan("none", latest.version)
        raise FailedPrecondition(f"{record} was never published; there is nothing to retire")
    return Plan("none", latest.version, retire=public.version)

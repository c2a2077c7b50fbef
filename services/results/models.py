"""Tables of the results service, including local copies fed by other services' events."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class ResultRow(SQLModel, table=True):
    """One decision. `doc` is the serialized public view (gongshi.v1.Result):
    reads return it as stored, so nothing private can leak through a read."""

    __tablename__ = "results"
    __table_args__ = (
        UniqueConstraint("agency_code", "document_number", name="uq_results_agency_document"),
        Index("ix_results_public_order", "public", "decision_date", "id"),
        Index("ix_results_agency_order", "agency_code", "decision_date", "id"),
        # The background scans: pending past their deadline, public past their period.
        Index("ix_results_overdue_scan", "status", "publish_deadline"),
        Index("ix_results_expiry_scan", "public", "publicity_end"),
        # The takedown log, newest first.
        Index("ix_results_takedowns", "status", "withdrawn_at", "id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    agency_code: str = Field(max_length=40)
    document_number: str = Field(max_length=200)
    region_code: str = Field(max_length=12, index=True)
    category: int
    status: int
    # Whether any public channel may show the record (published or corrected).
    public: bool
    decision_date: str = Field(max_length=10)
    version: int = 1
    doc: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: dt.datetime
    updated_at: dt.datetime
    # Columns below mirror fields of `doc` (set together by records.sync_columns)
    # so scans and filters need no protobuf parsing.
    publish_deadline: str = Field(default="", max_length=10)
    published_at: str = Field(default="", max_length=40)
    # YYYY-MM-DD on which a public record stops being public ("" = never).
    publicity_end: str = Field(default="", max_length=10)
    severity: int = 0
    under_appeal: bool = False
    withdrawn_at: str = Field(default="", max_length=40)
    # Why a stored decision is not public (minor, secrets, security,
    # warning_only, simplified_procedure); "" when it is or will be published.
    non_publication_kind: str = Field(default="", max_length=40)
    # Set once the ResultOverdue event of a pending decision has been raised.
    overdue_at: dt.datetime | None = None
    # Latest position in the agency's hash chain (0: never public).
    chain_seq: int = 0


class ResultPrivateRow(SQLModel, table=True):
    """The decision exactly as pushed, unmasked. No public path returns any of
    it; public reads consult it only to know whom to mask (history_masking.py)."""

    __tablename__ = "results_private"
    result_id: str = Field(primary_key=True, max_length=32)
    decision: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    non_publication_reason: str = ""
    # Which masking rules were applied, in order (JSON list): the record of redaction.
    redaction_log: str = "[]"


class ResultVersionRow(SQLModel, table=True):
    """Every published version of a decision (public view, masked), kept when a
    correction supersedes it (DOMAIN.md F3)."""

    __tablename__ = "results_versions"
    result_id: str = Field(primary_key=True, max_length=32)
    version: int = Field(primary_key=True)
    # published or corrected
    kind: str = Field(max_length=20)
    reason: str = ""
    doc: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    chain_seq: int
    created_at: dt.datetime


class ChainEntryRow(SQLModel, table=True):
    """One link of an agency's tamper-evident log (see chain.py): every change
    to what the public sees appends one."""

    __tablename__ = "results_chain"
    __table_args__ = (Index("ix_results_chain_result", "result_id", "seq"),)
    agency_code: str = Field(primary_key=True, max_length=40)
    seq: int = Field(primary_key=True)
    result_id: str = Field(max_length=32)
    version: int
    kind: str = Field(max_length=20)
    recorded_at: str = Field(max_length=40)
    reason: str = ""
    doc_sha256: str = Field(max_length=64)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class ChainHeadRow(SQLModel, table=True):
    """The last link of each agency's chain. Locked (FOR UPDATE on PostgreSQL)
    while a transaction appends, so replicas never fork a chain."""

    __tablename__ = "results_chain_heads"
    agency_code: str = Field(primary_key=True, max_length=40)
    seq: int = 0
    hash: str = Field(max_length=64)


class ReplyRow(SQLModel, table=True):
    """Right of reply: the party's short answer, shown once the agency approves it."""

    __tablename__ = "results_replies"
    __table_args__ = (Index("ix_results_replies_queue", "agency_code", "status", "id"),)
    id: str = Field(primary_key=True, max_length=32)
    result_id: str = Field(max_length=32, index=True)
    agency_code: str = Field(max_length=40)
    # Masked on write like every published text.
    text: str
    # Never published: how the agency reaches the party.
    contact: str = ""
    status: int
    submitted_at: dt.datetime
    decided_at: dt.datetime | None = None
    decision_reason: str = ""


class RepairRow(SQLModel, table=True):
    """A credit repair application (信用修復申請, DOMAIN.md (c) item 9)."""

    __tablename__ = "results_repairs"
    __table_args__ = (Index("ix_results_repairs_queue", "agency_code", "status", "id"),)
    id: str = Field(primary_key=True, max_length=32)
    result_id: str = Field(max_length=32, index=True)
    agency_code: str = Field(max_length=40)
    status: int
    # Applicant details are internal: the application is between party and agency.
    applicant_name: str = ""
    uscc: str = ""
    contact: str = ""
    correction_proof: str = ""
    credit_commitment: str = ""
    submitted_at: dt.datetime
    decision_due: str = Field(max_length=10)
    eligible_from: str = Field(max_length=10)
    decided_at: dt.datetime | None = None
    decision_reason: str = ""


class AgencyCopy(SQLModel, table=True):
    """Local copy of agencies, learned from gongshi.duties.agency_registered events."""

    # Copies are named <service>_copy_<thing>: every table lives in one
    # SQLModel metadata, so names must be unique across services.
    __tablename__ = "results_copy_agencies"
    code: str = Field(primary_key=True, max_length=40)
    name: str
    region_code: str = Field(max_length=12)
    version: int


TABLES = [
    ResultRow.__table__,
    ResultPrivateRow.__table__,
    ResultVersionRow.__table__,
    ChainEntryRow.__table__,
    ChainHeadRow.__table__,
    ReplyRow.__table__,
    RepairRow.__table__,
    AgencyCopy.__table__,
]

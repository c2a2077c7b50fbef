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


class ResultPrivateRow(SQLModel, table=True):
    """The decision exactly as pushed, unmasked. No public path reads this table."""

    __tablename__ = "results_private"
    result_id: str = Field(primary_key=True, max_length=32)
    decision: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    non_publication_reason: str = ""
    # Which masking rules were applied, in order (JSON list): the record of redaction.
    redaction_log: str = "[]"


class AgencyCopy(SQLModel, table=True):
    """Local copy of agencies, learned from gongshi.duties.agency_registered events."""

    # Copies are named <service>_copy_<thing>: every table lives in one
    # SQLModel metadata, so names must be unique across services.
    __tablename__ = "results_copy_agencies"
    code: str = Field(primary_key=True, max_length=40)
    name: str
    region_code: str = Field(max_length=12)
    version: int


TABLES = [ResultRow.__table__, ResultPrivateRow.__table__, AgencyCopy.__table__]

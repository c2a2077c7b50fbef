"""Tables of the duties service: the source of truth for agencies, officers,
legal bases and duty items (and, through the runtime's credentials table, for
credentials)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from services.runtime.versioned import RecordStateBase, RecordVersionBase


class AgencyRow(SQLModel, table=True):
    __tablename__ = "agencies"
    code: str = Field(primary_key=True, max_length=40)
    region_code: str = Field(max_length=12, index=True)
    name: str
    version: int
    # Serialized gongshi.v1.Agency (public fields only).
    doc: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    updated_at: dt.datetime


class AgencyVersionRow(SQLModel, table=True):
    """Every version an agency's registration ever had (the current one too)."""

    __tablename__ = "agency_versions"
    code: str = Field(primary_key=True, max_length=40)
    version: int = Field(primary_key=True)
    doc: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    changed_at: dt.datetime


class DutiesRecordRow(RecordStateBase, table=True):
    """Current state of each officer, legal basis and duty item."""

    __tablename__ = "duties_records"
    __table_args__ = (
        Index("ix_duties_records_list", "kind", "public_version", "agency_code", "code"),
        Index("ix_duties_records_region", "kind", "region_code"),
        Index("ix_duties_records_code", "kind", "code"),
    )


class DutiesRecordVersionRow(RecordVersionBase, table=True):
    """Every version of every officer, legal basis and duty item."""

    __tablename__ = "duties_record_versions"


class OfficerPrivateRow(SQLModel, table=True):
    """An officer's private data (ID number, photo). No read path and no event touches this table."""

    __tablename__ = "duties_officer_private"
    agency_code: str = Field(primary_key=True, max_length=40)
    certificate_number: str = Field(primary_key=True, max_length=64)
    id_number: str = Field(default="", max_length=18)
    photo: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    updated_at: dt.datetime


class CitationRow(SQLModel, table=True):
    """Which legal bases the current published version of each duty item cites:
    lets a repeal find every citing duty item without scanning documents."""

    __tablename__ = "duties_citations"
    __table_args__ = (Index("ix_duties_citations_basis", "agency_code", "basis_code"),)
    agency_code: str = Field(primary_key=True, max_length=40)
    duty_item_code: str = Field(primary_key=True, max_length=64)
    basis_code: str = Field(primary_key=True, max_length=64)


TABLES = [
    AgencyRow.__table__,
    AgencyVersionRow.__table__,
    DutiesRecordRow.__table__,
    DutiesRecordVersionRow.__table__,
    OfficerPrivateRow.__table__,
    CitationRow.__table__,
]

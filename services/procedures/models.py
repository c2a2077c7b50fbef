"""Tables of the procedures service, including local copies fed by the duties service's events."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from services.runtime.versioned import RecordStateBase, RecordVersionBase


class ProceduresRecordRow(RecordStateBase, table=True):
    """Current state of each procedure, supervision channel and inspection item."""

    __tablename__ = "procedures_records"
    __table_args__ = (
        Index("ix_procedures_records_list", "kind", "public_version", "agency_code", "code"),
        Index("ix_procedures_records_region", "kind", "region_code"),
        Index("ix_procedures_records_ref", "kind", "agency_code", "ref_code"),
    )


class ProceduresRecordVersionRow(RecordVersionBase, table=True):
    __tablename__ = "procedures_record_versions"


class AgencyCopy(SQLModel, table=True):
    """Local copy of agencies, from gongshi.duties.agency_registered."""

    __tablename__ = "procedures_copy_agencies"
    code: str = Field(primary_key=True, max_length=40)
    name: str
    region_code: str = Field(max_length=12)
    version: int


class DutyItemCopy(SQLModel, table=True):
    """Local copy of duty items, from gongshi.duties.duty_item_* events."""

    __tablename__ = "procedures_copy_duty_items"
    agency_code: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=64)
    name: str = ""
    power_type: int = 0
    version: int
    status: int
    updated_at: dt.datetime


TABLES = [
    ProceduresRecordRow.__table__,
    ProceduresRecordVersionRow.__table__,
    AgencyCopy.__table__,
    DutyItemCopy.__table__,
]

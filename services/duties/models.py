"""Tables of the duties service: the source of truth for agencies (and, through
the runtime's credentials table, for credentials)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel


class AgencyRow(SQLModel, table=True):
    __tablename__ = "agencies"
    code: str = Field(primary_key=True, max_length=40)
    region_code: str = Field(max_length=12, index=True)
    name: str
    version: int
    # Serialized gongshi.v1.Agency (public fields only).
    doc: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    updated_at: dt.datetime


TABLES = [AgencyRow.__table__]

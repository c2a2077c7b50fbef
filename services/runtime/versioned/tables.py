"""The two tables a service of versioned records declares (current state and
versions, each named for the service) on these bases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from services.runtime import limits


class RecordStateBase(SQLModel):
    """The current state of one record: which version is newest, which is
    public, plus the columns lists filter on (copied from the public version)."""

    kind: int = Field(primary_key=True)
    agency_code: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=64)
    latest_version: int
    # The PUBLISHED version (0: none, e.g. retired or draft only).
    public_version: int = 0
    # The version "current" shows: the published one, else the last retired one.
    shown_version: int = 0
    name: str = Field(default="", max_length=limits.SHORT_TEXT)
    category: int = 0
    region_code: str = Field(default="", max_length=12)
    ref_code: str = Field(default="", max_length=64)
    # Set by the platform (e.g. a cited instrument was repealed); cleared by a new publication.
    review_reason: str = ""
    updated_at: dt.datetime


class RecordVersionBase(SQLModel):
    kind: int = Field(primary_key=True)
    agency_code: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=64)
    version: int = Field(primary_key=True)
    status: int
    reason: str = ""
    content_hash: str = Field(max_length=64)
    # The agency's content (no envelope): immutable once the version is published.
    doc: bytes = Field(sa_type=LargeBinary)
    created_at: dt.datetime
    published_at: dt.datetime | None = None
    superseded_at: dt.datetime | None = None
    retired_at: dt.datetime | None = None
    retire_reason: str = ""
    record_hash: str = Field(default="", max_length=64)
    previous_hash: str = Field(default="", max_length=64)

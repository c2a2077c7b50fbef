"""Tables of the feedback service, including local copies fed by other services' events.

Private data (contact details, the unmasked text, the objector's identity,
attachments) lives in columns and tables that only the tracking and agency
views read; the public view is built from the *_public columns alone.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class FeedbackRow(SQLModel, table=True):
    """One case. Its id is the tracking code the citizen receives."""

    __tablename__ = "feedback_items"
    __table_args__ = (
        Index("ix_feedback_agency_received", "agency_code", "received_at", "id"),
        Index("ix_feedback_target", "target_type", "target_id"),
        Index("ix_feedback_duplicates", "text_digest", "received_at"),
        Index("ix_feedback_public_order", "received_at", "id"),
    )

    id: str = Field(primary_key=True, max_length=40)
    agency_code: str = Field(max_length=40)
    original_agency_code: str = Field(max_length=40)
    target_type: int
    target_id: str = Field(max_length=200)
    target_agency_code: str = Field(max_length=40)
    target_state: int
    category: int
    status: int = Field(index=True)
    is_objection: bool = False
    # The text as submitted (private) and as the public sees it (masked).
    text: str = Field(sa_column=Column(Text, nullable=False))
    text_public: str = Field(sa_column=Column(Text, nullable=False))
    text_digest: str = Field(max_length=64)
    text_moderation: int
    text_flags: int = 0
    display_name: str = ""
    show_display_name: bool = False
    attachment_count: int = 0
    received_at: dt.datetime
    # China date of receipt (YYYY-MM-DD): statistics and list filters.
    received_on: str = Field(max_length=10, index=True)
    acceptance_due: str = Field(max_length=10)
    conclusion_due: str | None = Field(default=None, max_length=10)
    accepted_at: dt.datetime | None = None
    rejected_at: dt.datetime | None = None
    rejection_reason: str = ""
    extension_days: int = 0
    extension_reason: str = ""
    extension_approval_ref: str = ""
    extension_approver: str = ""
    first_reply_at: dt.datetime | None = None
    replied_on_time: bool | None = None
    closed_at: dt.datetime | None = None
    reopen_count: int = 0
    reopened_at: dt.datetime | None = None
    rating: int = 0
    rating_comment: str = ""
    acceptance_overdue_at: dt.datetime | None = None
    conclusion_overdue_at: dt.datetime | None = None
    # The due date was counted into a year without holiday data (Monday to
    # Friday there): revised once the year's data arrives (feedback/revision.py).
    acceptance_due_provisional: bool = False
    conclusion_due_provisional: bool = False
    # Open311 location, public: WGS84 degrees and a free-text address.
    latitude: float | None = None
    longitude: float | None = None
    address: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    objection_outcome: int = 0
    # Private: who the objector says the party is (checked against the published record).
    objection_party_name: str = ""
    objection_party_identifier: str = ""
    transfers: int = 0
    # Identical submissions linked to this case (not counted as new cases).
    linked_submissions: int = 0
    version: int = 1
    updated_at: dt.datetime


class SubmissionRow(SQLModel, table=True):
    """One submission by one citizen: the key (secret hash) and contact details.
    A linked duplicate is a second submission of the same case. Private."""

    __tablename__ = "feedback_submissions"
    __table_args__ = (
        Index("ix_feedback_submissions_client", "client_hash", "received_at"),
        Index("ix_feedback_submissions_target", "target_key", "received_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    feedback_id: str = Field(max_length=40, index=True)
    secret_sha256: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # Keyed hash of the client address: enough to rate-limit, no address stored.
    client_hash: str = Field(max_length=64)
    target_key: str = Field(max_length=300)
    received_at: dt.datetime
    linked: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    display_name: str = ""
    show_display_name: bool = False


class ReplyRow(SQLModel, table=True):
    __tablename__ = "feedback_replies"
    id: str = Field(primary_key=True, max_length=32)
    feedback_id: str = Field(max_length=40, index=True)
    agency_code: str = Field(max_length=40)
    text: str = Field(sa_column=Column(Text, nullable=False))
    text_public: str = Field(sa_column=Column(Text, nullable=False))
    replied_at: dt.datetime
    moderation: int
    flags: int = 0


class HistoryRow(SQLModel, table=True):
    """The public timeline of a case: each status change with its public note."""

    __tablename__ = "feedback_history"
    id: int | None = Field(default=None, primary_key=True)
    feedback_id: str = Field(max_length=40, index=True)
    at: dt.datetime
    event: str = Field(max_length=40)
    status: int
    agency_code: str = Field(max_length=40)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class AdditionRow(SQLModel, table=True):
    """Information a citizen added later (private to the citizen and the agency)."""

    __tablename__ = "feedback_additions"
    id: int | None = Field(default=None, primary_key=True)
    feedback_id: str = Field(max_length=40, index=True)
    submission_id: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    added_at: dt.datetime


class AttachmentRow(SQLModel, table=True):
    __tablename__ = "feedback_attachments"
    id: str = Field(primary_key=True, max_length=32)
    feedback_id: str = Field(max_length=40, index=True)
    addition_id: int | None = None
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=40)
    size_bytes: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_at: dt.datetime


class FlagRow(SQLModel, table=True):
    """One client's flag on a feedback text ("text") or a reply (its id)."""

    __tablename__ = "feedback_flags"
    __table_args__ = (
        UniqueConstraint("feedback_id", "item", "client_hash", name="uq_feedback_flags_once"),
        Index("ix_feedback_flags_client", "client_hash", "flagged_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    feedback_id: str = Field(max_length=40)
    item: str = Field(max_length=40)
    client_hash: str = Field(max_length=64)
    reason: str = ""
    flagged_at: dt.datetime


class AgencyCopy(SQLModel, table=True):
    """Local copy of agencies, learned from gongshi.duties.agency_registered events."""

    __tablename__ = "feedback_copy_agencies"
    code: str = Field(primary_key=True, max_length=40)
    name: str
    region_code: str = Field(max_length=12)
    version: int


class RecordCopy(SQLModel, table=True):
    """Local copy of the records feedback can be about (results now; duty items,
    procedures and channels as their events arrive): who owns them, what state
    they are in, and for results the party as published (masked)."""

    __tablename__ = "feedback_copy_records"
    __table_args__ = (Index("ix_feedback_copy_records_id", "kind", "record_id"),)
    kind: int = Field(primary_key=True)  # gongshi.v1.FeedbackTargetType
    agency_code: str = Field(primary_key=True, max_length=40)
    record_id: str = Field(primary_key=True, max_length=200)
    state: int
    version: int = 0
    party_type: int = 0
    party_name: str = ""
    party_uscc: str = ""
    party_id_number: str = ""
    updated_at: dt.datetime


TABLES = [
    t.__table__
    for t in (
        FeedbackRow,
        SubmissionRow,
        ReplyRow,
        HistoryRow,
        AdditionRow,
        AttachmentRow,
        FlagRow,
        AgencyCopy,
        RecordCopy,
    )
]

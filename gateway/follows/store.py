"""The follows' tables in the gateway's database. The e-mail address is kept
once, in gateway_followers, and only to send mail: nothing else refers to it,
and the row goes with its last follow."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class FollowerRow(SQLModel, table=True):
    __tablename__ = "gateway_followers"
    id: str = Field(primary_key=True, max_length=32)
    email: str = Field(max_length=254)
    # Keyed hash of the normalised address: finds the follower without comparing addresses.
    address_key: str = Field(max_length=64, unique=True)
    # The manage page's secret (all follows of this address, export, erase).
    manage_token: str = Field(max_length=64, unique=True)
    created_at: dt.datetime


class FollowRow(SQLModel, table=True):
    __tablename__ = "gateway_follows"
    __table_args__ = (
        Index("ix_gateway_follows_follower", "follower_id"),
        Index("ix_gateway_follows_client", "client_key", "created_at"),
        Index("ix_gateway_follows_confirmed", "confirmed_at"),
    )
    id: str = Field(primary_key=True, max_length=32)
    follower_id: str = Field(max_length=32)
    kind: str = Field(max_length=12)
    party: str = Field(default="", max_length=18)
    agency: str = Field(default="", max_length=40)
    region: str = Field(default="", max_length=6)
    category: str = Field(default="", max_length=40)
    q: str = Field(default="", max_length=200)
    cadence: str = Field(max_length=10)  # immediate | daily | weekly
    lang: str = Field(max_length=2)  # zh | en
    # Confirms and (one-click) unsubscribes this follow; in its mails only.
    token: str = Field(max_length=64, unique=True)
    client_key: str = Field(max_length=64)  # keyed hash of the asking client's address
    created_at: dt.datetime
    confirmed_at: dt.datetime | None = None
    next_digest_at: dt.datetime | None = None


class NoticeRow(SQLModel, table=True):
    """The delivery log: one row per follow and event, so an event redelivered
    (or replayed after a restart) cannot become a second notice."""

    __tablename__ = "gateway_follow_notices"
    __table_args__ = (
        UniqueConstraint("follow_id", "event_id", name="uq_gateway_follow_notices"),
        Index("ix_gateway_follow_notices_open", "mail_id", "follow_id"),
        Index("ix_gateway_follow_notices_record", "result_id", "follow_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    follow_id: str = Field(max_length=32)
    event_id: str = Field(max_length=80)
    result_id: str = Field(max_length=32)
    change: str = Field(max_length=12)  # published | corrected | withdrawn | expired | repaired
    # The record as the portal shows it (masked), as JSON: what the mail lists.
    item: str = Field(sa_column=Column(Text, nullable=False))
    mail_id: int | None = None  # the mail that carries it (NULL: not yet in a mail)
    created_at: dt.datetime


class MailRow(SQLModel, table=True):
    __tablename__ = "gateway_follow_mails"
    __table_args__ = (Index("ix_gateway_follow_mails_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    follower_id: str = Field(max_length=32)
    follow_id: str = Field(max_length=32)
    kind: str = Field(max_length=12)  # confirm | notices | digest
    # The whole message but its recipient (added when sent), RFC 5322.
    message: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=12)  # pending -> sent | failed
    attempts: int = 0
    next_attempt_at: dt.datetime
    last_error: str = Field(default="", max_length=500)
    sent_at: dt.datetime | None = None
    created_at: dt.datetime


TABLES = [t.__table__ for t in (FollowerRow, FollowRow, NoticeRow, MailRow)]

"""the runtime's tables: the audit log, dead-letter replay requests

Revision ID: runtime_0002
Revises: runtime_0001
Create Date: 2026-12-01 23:10:01

services/runtime/audit.py's table and DeadLetterRow.replay_requested_at
(subscription.py), which results added in its 0002 and the other services
had from their first revision (which now revises this one).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "runtime_0002"
down_revision: str | None = "runtime_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("credential_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("role", sa.Integer(), nullable=False),
        sa.Column("agency_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("operation", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("record_type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("record_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("before_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("after_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("trace_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_record_id"), ["record_id"], unique=False)

    with op.batch_alter_table("dead_letters", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("replay_requested_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("dead_letters", schema=None) as batch_op:
        batch_op.drop_column("replay_requested_at")

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_record_id"))

    op.drop_table("audit_log")

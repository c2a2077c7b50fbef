"""results lifecycle, search, audit and dead-letter replay

Revision ID: 0002
Revises: 0001, runtime_0002
Create Date: 2026-11-25 22:44:00.699129

The audit log and the dead-letter replay column were added here until
2026-12-01; they are the runtime branch's runtime_0002 now, which this merges
in: a database left at 0001 gets them from it on its way here.

Self-contained on purpose: what this revision reads from the stored records
and writes into the search index is frozen below, copied from the code it
called until 2026-12-01 (gongshi.v1.results_pb2 and services/results/
search_index.py, search.py when this was written: the same in these respects
from 2e46e51 to then). A revision must build tomorrow what it built the day it
was written, whatever the service code and the protobuf module become; a later
change to the index or its rows is a later revision.
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | tuple[str, ...] | None = ("0001", "runtime_0002")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)


def _result_message():
    """gongshi.v1.Result as this revision reads it: the fields used here, by
    number and wire type (enums read as their numbers), in a pool of its own."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    field = descriptor_pb2.FieldDescriptorProto
    one, many = field.LABEL_OPTIONAL, field.LABEL_REPEATED
    string, int32, int64, boolean = field.TYPE_STRING, field.TYPE_INT32, field.TYPE_INT64, field.TYPE_BOOL
    file = descriptor_pb2.FileDescriptorProto(
        name="migrations/results_0002.proto", package="migrations.results_0002", syntax="proto3"
    )
    party = file.message_type.add(name="PublicParty")
    party.field.add(name="name", number=2, type=string, label=one)
    result = file.message_type.add(name="Result")
    for name, number, kind, label in (
        ("id", 1, string, one),
        ("agency_code", 2, string, one),
        ("region_code", 3, string, one),
        ("status", 5, int32, one),
        ("document_number", 6, string, one),
        ("category", 7, int32, one),
        ("facts", 11, string, one),
        ("violation_type", 12, string, one),
        ("violated_provisions", 13, string, many),
        ("legal_basis", 14, string, many),
        ("conclusion", 15, string, one),
        ("penalty_kinds", 16, int32, many),
        ("fine_amount_fen", 17, int64, one),
        ("confiscation_amount_fen", 18, int64, one),
        ("licence_item", 20, string, one),
        ("decision_date", 23, string, one),
        ("severity", 24, int32, one),
        ("published_at", 26, string, one),
        ("publish_deadline", 27, string, one),
        ("published_on_time", 28, boolean, one),
        ("publicity_end", 29, string, one),
    ):
        result.field.add(name=name, number=number, type=kind, label=label)
    party_type = ".migrations.results_0002.PublicParty"
    result.field.add(name="party", number=10, type=field.TYPE_MESSAGE, label=one, type_name=party_type)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("migrations.results_0002.Result"))


def _fill_new_columns_from_docs(result_message) -> None:
    """Rows stored before this revision carry their public view in `doc`:
    copy into the new columns what the lifecycle scans query on."""
    bind = op.get_bind()
    for result_id, doc in bind.execute(sa.text("SELECT id, doc FROM results")).all():
        result = result_message.FromString(doc)
        bind.execute(
            sa.text(
                "UPDATE results SET publish_deadline = :deadline, published_at = :published, "
                "publicity_end = :end, severity = :severity WHERE id = :id"
            ),
            {
                "deadline": result.publish_deadline,
                "published": result.published_at,
                "end": result.publicity_end,
                "severity": result.severity,
                "id": result_id,
            },
        )


# The search index as search_index.py made it: FTS5 and its triggers (SQLite),
# pg_trgm and the mirror triggers (PostgreSQL). op.create_table does not fire
# the model's after_create event that runs this DDL for a new database.
_SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS results_search_fts USING fts5("
    "search_text, content='results_search', content_rowid='seq', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS results_search_ai AFTER INSERT ON results_search WHEN new.public BEGIN "
    "INSERT INTO results_search_fts(rowid, search_text) VALUES (new.seq, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS results_search_ad AFTER DELETE ON results_search WHEN old.public BEGIN "
    "INSERT INTO results_search_fts(results_search_fts, rowid, search_text) "
    "VALUES ('delete', old.seq, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS results_search_au AFTER UPDATE ON results_search BEGIN "
    "INSERT INTO results_search_fts(results_search_fts, rowid, search_text) "
    "SELECT 'delete', old.seq, old.search_text WHERE old.public; "
    "INSERT INTO results_search_fts(rowid, search_text) "
    "SELECT new.seq, new.search_text WHERE new.public; END",
    "CREATE TRIGGER IF NOT EXISTS results_search_mirror_au AFTER UPDATE OF public, status ON results BEGIN "
    "UPDATE results_search SET public = new.public, status = new.status WHERE result_id = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS results_search_mirror_ad AFTER DELETE ON results BEGIN "
    "DELETE FROM results_search WHERE result_id = old.id; END",
]
_POSTGRES_TRGM_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_results_search_trgm ON results_search USING gin (search_text gin_trgm_ops)"
)
_POSTGRES_DDL = [
    "CREATE OR REPLACE FUNCTION results_search_mirror() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN DELETE FROM results_search WHERE result_id = OLD.id; RETURN OLD; END IF; "
    "UPDATE results_search SET public = NEW.public, status = NEW.status WHERE result_id = NEW.id; "
    "RETURN NEW; END $$",
    "CREATE OR REPLACE TRIGGER results_search_mirror_au AFTER UPDATE OF public, status ON results "
    "FOR EACH ROW EXECUTE FUNCTION results_search_mirror()",
    "CREATE OR REPLACE TRIGGER results_search_mirror_ad AFTER DELETE ON results "
    "FOR EACH ROW EXECUTE FUNCTION results_search_mirror()",
]

# DOMAIN.md I3's penalty columns by PenaltyKind number, least severe first
# (1 警告 and 2 通報批評 share one); 10 其他 ranks below every listed kind.
_PENALTY_COLUMNS = [(1, 2), (3,), (4,), (5,), (6,), (7,), (8,), (9,), (10,)]
_SEVERITY = {kind: rank for rank, kinds in enumerate(_PENALTY_COLUMNS) for kind in kinds} | {10: -1}


def _most_severe_penalty(kinds) -> int:
    known = [k for k in kinds if k in _SEVERITY]
    if not known:
        return 0
    worst = max(known, key=lambda k: _SEVERITY[k])
    return _PENALTY_COLUMNS[_SEVERITY[worst]][0] if _SEVERITY[worst] >= 0 else 10


def _search_row(result, public: bool) -> dict:
    texts = [
        result.document_number,
        result.party.name,
        result.violation_type,
        result.licence_item,
        result.conclusion,
        result.facts,
        *result.legal_basis,
        *result.violated_provisions,
    ]
    return dict(
        result_id=result.id,
        agency_code=result.agency_code,
        region_code=result.region_code,
        category=result.category,
        status=result.status,
        public=public,
        decision_date=result.decision_date,
        published_on_time=result.published_on_time,
        penalty_kinds="," + "".join(f"{k}," for k in result.penalty_kinds),
        top_penalty=_most_severe_penalty(result.penalty_kinds),
        fine_amount_fen=result.fine_amount_fen,
        confiscation_amount_fen=result.confiscation_amount_fen,
        search_text="\n".join(t for t in texts if t),
    )


def _install_search_index(result_message) -> None:
    """The index and its triggers, then a search row for each result already stored."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE_DDL:
            bind.exec_driver_sql(statement)
    elif bind.dialect.name == "postgresql":
        try:
            with bind.begin_nested():
                bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # no privilege: search still works, by scanning
            log.warning("pg_trgm is not available (%s); search will scan instead of using an index", exc)
        else:
            bind.exec_driver_sql(_POSTGRES_TRGM_INDEX)
        for statement in _POSTGRES_DDL:
            bind.exec_driver_sql(statement)
    # results_search as created above, by column type.
    chars, number, flag = sa.String, sa.Integer, sa.Boolean
    search = sa.table(
        "results_search",
        *(sa.column(name, chars) for name in ("result_id", "agency_code", "region_code", "decision_date")),
        *(sa.column(name, chars) for name in ("penalty_kinds", "search_text")),
        *(sa.column(name, number) for name in ("category", "status", "top_penalty")),
        *(sa.column(name, number) for name in ("fine_amount_fen", "confiscation_amount_fen")),
        *(sa.column(name, flag) for name in ("public", "published_on_time")),
    )
    for doc, public in bind.execute(sa.text("SELECT doc, public FROM results")).all():
        bind.execute(search.insert().values(**_search_row(result_message.FromString(doc), bool(public))))


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "results_chain",
        sa.Column("agency_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("result_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("doc_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("agency_code", "seq"),
    )
    with op.batch_alter_table("results_chain", schema=None) as batch_op:
        batch_op.create_index("ix_results_chain_result", ["result_id", "seq"], unique=False)

    op.create_table(
        "results_chain_heads",
        sa.Column("agency_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("agency_code"),
    )
    op.create_table(
        "results_copy_duty_items",
        sa.Column("agency_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("power_type", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("agency_code", "code"),
    )
    op.create_table(
        "results_copy_duty_powers",
        sa.Column("agency_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("power_type", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("agency_code", "code"),
    )
    op.create_table(
        "results_repairs",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("result_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("agency_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("applicant_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("correction_proof", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("credit_commitment", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decision_due", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("eligible_from", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decision_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("results_repairs", schema=None) as batch_op:
        batch_op.create_index("ix_results_repairs_queue", ["agency_code", "status", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_results_repairs_result_id"), ["result_id"], unique=False)

    op.create_table(
        "results_replies",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("result_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("agency_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decision_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("results_replies", schema=None) as batch_op:
        batch_op.create_index("ix_results_replies_queue", ["agency_code", "status", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_results_replies_result_id"), ["result_id"], unique=False)

    op.create_table(
        "results_search",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("result_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("agency_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("region_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("category", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("decision_date", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("published_on_time", sa.Boolean(), nullable=False),
        sa.Column("penalty_kinds", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("top_penalty", sa.Integer(), nullable=False),
        sa.Column("fine_amount_fen", sa.Integer(), nullable=False),
        sa.Column("confiscation_amount_fen", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("result_id"),
    )
    with op.batch_alter_table("results_search", schema=None) as batch_op:
        batch_op.create_index("ix_results_search_agency", ["agency_code", "decision_date"], unique=False)
        batch_op.create_index("ix_results_search_order", ["public", "decision_date", "seq"], unique=False)
        batch_op.create_index("ix_results_search_region", ["region_code", "decision_date"], unique=False)

    op.create_table(
        "results_versions",
        sa.Column("result_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("doc", sa.LargeBinary(), nullable=False),
        sa.Column("chain_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("result_id", "version"),
    )
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "publish_deadline",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                nullable=False,
                server_default=sa.text("''"),
            )
        )
        batch_op.add_column(
            sa.Column(
                "published_at",
                sqlmodel.sql.sqltypes.AutoString(length=40),
                nullable=False,
                server_default=sa.text("''"),
            )
        )
        batch_op.add_column(
            sa.Column(
                "publicity_end",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                nullable=False,
                server_default=sa.text("''"),
            )
        )
        batch_op.add_column(
            sa.Column("severity", sa.Integer(), nullable=False, server_default=sa.text("'0'"))
        )
        batch_op.add_column(
            sa.Column("under_appeal", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "withdrawn_at",
                sqlmodel.sql.sqltypes.AutoString(length=40),
                nullable=False,
                server_default=sa.text("''"),
            )
        )
        batch_op.add_column(
            sa.Column(
                "non_publication_kind",
                sqlmodel.sql.sqltypes.AutoString(length=40),
                nullable=False,
                server_default=sa.text("''"),
            )
        )
        batch_op.add_column(sa.Column("overdue_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("chain_seq", sa.Integer(), nullable=False, server_default=sa.text("'0'"))
        )
        batch_op.create_index("ix_results_expiry_scan", ["public", "publicity_end"], unique=False)
        batch_op.create_index("ix_results_overdue_scan", ["status", "publish_deadline"], unique=False)
        batch_op.create_index("ix_results_takedowns", ["status", "withdrawn_at", "id"], unique=False)

    result_message = _result_message()
    _fill_new_columns_from_docs(result_message)
    _install_search_index(result_message)

    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_index("ix_results_takedowns")
        batch_op.drop_index("ix_results_overdue_scan")
        batch_op.drop_index("ix_results_expiry_scan")
        batch_op.drop_column("chain_seq")
        batch_op.drop_column("overdue_at")
        batch_op.drop_column("non_publication_kind")
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("under_appeal")
        batch_op.drop_column("severity")
        batch_op.drop_column("publicity_end")
        batch_op.drop_column("published_at")
        batch_op.drop_column("publish_deadline")

    op.drop_table("results_versions")
    with op.batch_alter_table("results_search", schema=None) as batch_op:
        batch_op.drop_index("ix_results_search_region")
        batch_op.drop_index("ix_results_search_order")
        batch_op.drop_index("ix_results_search_agency")

    op.drop_table("results_search")
    with op.batch_alter_table("results_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_results_replies_result_id"))
        batch_op.drop_index("ix_results_replies_queue")

    op.drop_table("results_replies")
    with op.batch_alter_table("results_repairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_results_repairs_result_id"))
        batch_op.drop_index("ix_results_repairs_queue")

    op.drop_table("results_repairs")
    op.drop_table("results_copy_duty_powers")
    op.drop_table("results_copy_duty_items")
    op.drop_table("results_chain_heads")
    with op.batch_alter_table("results_chain", schema=None) as batch_op:
        batch_op.drop_index("ix_results_chain_result")

    op.drop_table("results_chain")
    # ### end Alembic commands ###

"""Alembic environment shared by every service.

Self-contained on purpose: the service, its metadata and the connection come
in through config.attributes (services/runtime/migrations.py), so old
revisions never depend on how today's code wires a service.
"""

from alembic import context

config = context.config
target_metadata = config.attributes["target_metadata"]


def include_object(obj, name, type_, reflected, compare_to):
    # Objects made by raw DDL (search indexes, FTS tables) are not in the models:
    # never plan to drop them.
    return not (reflected and compare_to is None)


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters tables by copying them: batch mode does that for us.
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `gongshi migrate`, which passes the service's connection")
run_migrations(connection)

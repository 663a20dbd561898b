"""Alembic environment: the target is the ORM metadata; the connection comes from the caller
(`steppewatch db upgrade`) or, when run through the `alembic` command, from the settings."""

from __future__ import annotations

from alembic import context

from pipeline.store.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj, autogen_context):
    """Render the project's column types as plain SQLAlchemy ones, so that migrations never
    import the models (a migration must keep working when the models change later)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from pipeline.config import load_settings
        from pipeline.store.db import make_engine

        engine = make_engine(load_settings().effective_database_url)
        with engine.connect() as connection:
            _run(connection)
        engine.dispose()
    else:
        _run(connection)


def _run(connection) -> None:
    # render_as_batch lets later ALTERs work on SQLite, which cannot alter most constraints.
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True, render_item=render_item)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

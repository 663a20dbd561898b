from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from pipeline.store import migrate
from pipeline.store.db import make_engine
from pipeline.store.models import Base


def test_upgrade_from_empty_creates_every_table(db_url):
    engine = make_engine(db_url)
    before = migrate.status(engine)
    assert before.current is None and before.pending
    after = migrate.upgrade(engine)
    assert after.up_to_date and after.current == after.head
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    # A second upgrade is a no-op.
    assert migrate.upgrade(engine).current == after.current
    engine.dispose()


def test_migrations_match_the_models(engine):
    """A model change without its migration fails here (autogenerate would find a diff)."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    assert diff == []

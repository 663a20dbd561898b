from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.exc import InvalidRequestError

from pipeline.store import migrate
from pipeline.store.db import StoreError, make_engine
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


def test_a_failed_migration_without_a_driver_error_is_a_store_error(tmp_path, monkeypatch):
    """SQLAlchemy errors that are not DBAPI errors have no ``orig``: the failure is still
    reported as a StoreError, not an AttributeError from the handler."""
    def fail(cfg, revision):
        raise InvalidRequestError("no such revision path")

    monkeypatch.setattr(migrate.command, "upgrade", fail)
    engine = make_engine(f"sqlite:///{tmp_path / 'steppewatch.db'}")
    with pytest.raises(StoreError, match="migration failed: InvalidRequestError: no such"):
        migrate.upgrade(engine)
    engine.dispose()

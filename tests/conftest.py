"""Shared fixtures: a real PostgreSQL server for the session, a fresh database per test on
SQLite and PostgreSQL alike.

PostgreSQL tests never skip in CI (CI=true): missing binaries fail them with the reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from pipeline.store.db import make_engine
from pipeline.store.migrate import upgrade
from pipeline.store.tempgres import TempPostgres
from tests.servers import IN_CI, start_postgres

__all__ = ["IN_CI"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[TempPostgres]:
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """An empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'steppewatch.db'}"
    server: TempPostgres = request.getfixturevalue("pg_server")
    return server.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def pg_url(pg_server: TempPostgres) -> str:
    return pg_server.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated database of each kind."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()

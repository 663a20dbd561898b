"""Fixtures of the Airflow tests: the replay web, an SMTP catcher and a PostgreSQL server,
real servers on 127.0.0.1 (helpers that start Airflow's own components are in ``harness``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pipeline.store.tempgres import TempPostgres
from replayweb import ReplayServer
from tests.airflow.harness import SmtpCatcher
from tests.servers import start_postgres


@pytest.fixture(scope="module")
def replay() -> Iterator[ReplayServer]:
    """The replay web at the end of its period (everything published), no fault outlet."""
    with ReplayServer(port=0) as server:
        yield server


@pytest.fixture
def smtp() -> Iterator[SmtpCatcher]:
    with SmtpCatcher() as catcher:
        yield catcher


@pytest.fixture(scope="module")
def postgres() -> Iterator[TempPostgres]:
    """A PostgreSQL server of the module's own (Airflow's metadata and the project's data),
    apart from the session's server of the storage tests."""
    server = start_postgres()
    yield server
    server.stop()

"""Fixtures of the Airflow tests: the replay web and an SMTP catcher, real servers on
127.0.0.1 (helpers that start Airflow's own components are in ``harness``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawlers.replay import ReplayServer
from tests.airflow.harness import SmtpCatcher


@pytest.fixture(scope="module")
def replay() -> Iterator[ReplayServer]:
    """The replay web at the end of its period (everything published), no fault outlet."""
    with ReplayServer(port=0) as server:
        yield server


@pytest.fixture
def smtp() -> Iterator[SmtpCatcher]:
    with SmtpCatcher() as catcher:
        yield catcher

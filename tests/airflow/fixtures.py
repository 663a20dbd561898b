"""Fixtures of the Airflow tests (imported by the test modules; there is no conftest here).

Airflow is an optional extra: without it these tests skip locally and fail in CI (CI=true),
where a skipped scheduler test would hide a broken DAG.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from crawlers.replay import ReplayServer
from tests.airflow.harness import AIRFLOW, SmtpCatcher

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_airflow() -> None:
    if AIRFLOW.is_file():
        return
    reason = f"Airflow is not installed in this environment ({AIRFLOW} missing): " \
             "pip install -e '.[airflow]'"
    if IN_CI:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def replay() -> Iterator[ReplayServer]:
    """The replay web at the end of its period (everything published), no fault outlet."""
    with ReplayServer(port=0) as server:
        yield server


@pytest.fixture
def smtp() -> Iterator[SmtpCatcher]:
    with SmtpCatcher() as catcher:
        yield catcher

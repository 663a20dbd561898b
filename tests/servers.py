"""What every folder's fixtures share: whether this is CI, and a throwaway PostgreSQL server
that fails the test in CI (where it must run) and skips it elsewhere when it cannot start."""

from __future__ import annotations

import os

import pytest

from pipeline.store.tempgres import PostgresUnavailable, TempPostgres

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def start_postgres() -> TempPostgres:
    """A started server; the caller stops it."""
    try:
        return TempPostgres().start()
    except PostgresUnavailable as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but could not start: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL not available here: {exc}")

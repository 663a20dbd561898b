"""Quality floors on the shared dev data: a regression in the analysis fails CI."""

from __future__ import annotations

import json

import pytest

from tests.conftest import IN_CI
from tests.quality import BASELINE, SHARED, TASKS, evaluate

# Floating-point noise only: the analysis is deterministic.
TOLERANCE = 0.002

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def analyzers() -> dict:
    if not (SHARED / "data").is_dir():
        if IN_CI:
            pytest.fail(f"shared dev data missing at {SHARED}/data", pytrace=False)
        pytest.skip("shared dev data not beside the checkout")
    return {}


@pytest.mark.parametrize("task", list(TASKS))
def test_quality_does_not_regress(task, analyzers):
    floors = json.loads(BASELINE.read_text())[task]
    got = evaluate(task, analyzers)
    low = {k: (got[k], v) for k, v in floors.items() if got[k] < v - TOLERANCE}
    assert not low, f"{task} below its pinned floor (got, floor): {low}"

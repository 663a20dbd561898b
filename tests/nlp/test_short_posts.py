"""Floors on the short-post check sets (tests/nlp/short_posts.py): no threat is ever labelled
positive, and relevance, tone and alarm separation do not fall below their pinned figures."""

from __future__ import annotations

import json

import pytest

from pipeline.analyze import Analyzer
from pipeline.profile import load_profile
from tests.nlp.short_posts import BASELINE, available, evaluate

TOLERANCE = 0.002  # floating-point noise only: the analysis is deterministic


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_profile(), entities="relevant")


def test_every_set_has_floors() -> None:
    assert set(available()) == set(json.loads(BASELINE.read_text()))


@pytest.mark.parametrize("name", available())
def test_short_posts_do_not_regress(name: str, analyzer: Analyzer) -> None:
    got = evaluate(name, analyzer)
    assert got["threats_positive"] == 0, got
    floors = json.loads(BASELINE.read_text())[name]
    low = {k: (got[k], v) for k, v in floors.items()
           if k != "threats_positive" and got[k] < v - TOLERANCE}
    assert not low, f"{name} below its pinned floor (got, floor): {low}"

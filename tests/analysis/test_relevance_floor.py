"""Quality floor of relevance on the shared dev file (measured only, never copied here).

Skipped where ../shared is absent. The floor is below the measured figure (F1 0.977 when
written) so that a regression, not noise, fails it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.analysis.relevance import score_relevance

DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "relevance_dev.jsonl"
F1_FLOOR = 0.92


@pytest.mark.skipif(not DEV.is_file(), reason=f"{DEV} not present")
def test_relevance_f1_on_dev_stays_above_the_floor() -> None:
    tp = fp = fn = 0
    with DEV.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            got = score_relevance(row["text"], row.get("title") or "", row["lang"]).relevant
            tp += got and row["relevant"]
            fp += got and not row["relevant"]
            fn += row["relevant"] and not got
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= F1_FLOOR, f"relevance F1 {f1:.3f} fell under {F1_FLOOR}"

"""Quality floors of relevance: on the shared dev file (measured only, never copied here;
skipped where ../shared is absent) and on a check set written for this project.

``data/relevance_check.jsonl``: 160 original pieces (120 Russian, 40 Kazakh; 65 relevant),
written to the contract's definition by someone who had not read the profile or the
relevance code, with hard negatives (domestic military news, Kazakhstan news on other
subjects, other countries' defence news). Scored blind it gave F1 0.954 (ru 0.969, kk 0.909);
three profile fixes it prompted (a foreign state's name before "Қорғаныс министрлігі", the
CSTO's Secretary General as a CSTO, not a Kazakh, actor, Kazakh exercise and arms words the
Russian list had) raised it to 0.992, so it is no longer blind. ``relevance_check2.jsonl``,
120 more pieces (85 Russian, 35 Kazakh; 48 relevant) written the same blind way, then scored
0.938 (ru 0.941, kk 0.929; the rules of the session's start: 0.917, kk 0.857); its errors
prompted security-council secretaries as a defence format and past-war remembrance as
domestic (1.000 and 0.958 since). Floors sit below the measured figures so that a
regression, not noise, fails them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.analysis.relevance import score_relevance

DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "relevance_dev.jsonl"
DATA = Path(__file__).resolve().parent / "data"
F1_FLOOR = 0.92
CHECK_FLOORS = {
    ("relevance_check.jsonl", "all"): 0.97, ("relevance_check.jsonl", "ru"): 0.96,
    ("relevance_check.jsonl", "kk"): 0.95,
    ("relevance_check2.jsonl", "all"): 0.93, ("relevance_check2.jsonl", "ru"): 0.92,
    ("relevance_check2.jsonl", "kk"): 0.90,
}


def _f1(path: Path, lang: str | None = None) -> float:
    tp = fp = fn = 0
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if lang is not None and row["lang"] != lang:
                continue
            got = score_relevance(row["text"], row.get("title") or "", row["lang"]).relevant
            tp += got and row["relevant"]
            fp += got and not row["relevant"]
            fn += row["relevant"] and not got
    return 2 * tp / (2 * tp + fp + fn)


@pytest.mark.skipif(not DEV.is_file(), reason=f"{DEV} not present")
def test_relevance_f1_on_dev_stays_above_the_floor() -> None:
    f1 = _f1(DEV)
    assert f1 >= F1_FLOOR, f"relevance F1 {f1:.3f} fell under {F1_FLOOR}"


@pytest.mark.parametrize(("name", "lang"), sorted(CHECK_FLOORS))
def test_relevance_f1_on_the_written_check_sets(name: str, lang: str) -> None:
    f1 = _f1(DATA / name, None if lang == "all" else lang)
    floor = CHECK_FLOORS[(name, lang)]
    assert f1 >= floor, f"{name} relevance F1 ({lang}) {f1:.3f} fell under {floor}"

"""The draft builder: its statistics, its shipped background table, its refusal to clobber."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.profile_build import BACKGROUND_PATH, load_background, log_odds, write_draft

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_background_table_ships_with_the_package() -> None:
    counts, total = load_background(BACKGROUND_PATH)
    assert total > 10_000 and counts["год"] > counts.get("одкб", 0)


def test_log_odds_ranks_domain_words_above_common_ones() -> None:
    # Same shares of "год" and "страна" in both; "оборона" rare and "одкб" unseen in the
    # background: the two domain words must lead, the unseen one included.
    background = Counter({"год": 900, "страна": 230, "оборона": 3, "прочее": 48_867})
    seeds = Counter({"год": 18, "страна": 5, "оборона": 15, "одкб": 12, "прочее": 950})
    z = log_odds(seeds, background, 50_000)
    assert min(z["одкб"], z["оборона"]) > 3 > max(z["год"], z["страна"])


def test_the_curated_profile_is_never_overwritten_by_default() -> None:
    before = (SEEDS / "profile.yaml").read_bytes()
    with pytest.raises(FileExistsError, match="refusing to overwrite"):
        write_draft(SEEDS, SEEDS / "profile.yaml")
    assert (SEEDS / "profile.yaml").read_bytes() == before


@pytest.mark.slow
def test_draft_lists_seed_entities_and_terms(tmp_path: Path) -> None:
    import yaml

    out = write_draft(SEEDS, tmp_path / "draft.yaml", top_n=20)
    draft = yaml.safe_load(out.read_text(encoding="utf-8"))
    entities = {e["text"]: e for e in draft["entities"]}
    assert "entity:KAZ" in entities["Казахстан"]["covered_by"]
    assert "partner:CSTO" in entities["ОДКБ"]["covered_by"]
    assert len(draft["documents"]) == 5 and draft["terms"]

"""Stories across channels: the short-post matcher on labelled pairs, and in the store.

Two pair sets, both written for the project: story_pairs_dev.jsonl (25 pairs, written by the
matcher's author, on which its thresholds were set) and story_pairs.jsonl (161 pairs written
blind by a colleague; see NOTICE). Floors are the measured figures (README), so a change that
makes merging less precise fails here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from pipeline.ingest.archive import ImportOptions, ensure_outlets, import_pieces, read_all
from pipeline.ingest.stories import features, same_story
from pipeline.store.migrate import upgrade
from pipeline.store.models import Article

DATA = Path(__file__).parent / "data"


def _scores(name: str) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        a, b = r["a"], r["b"]
        pred = same_story(a["outlet"], datetime.fromisoformat(a["published"]),
                          features(a.get("title") or "", a["text"]),
                          b["outlet"], datetime.fromisoformat(b["published"]),
                          features(b.get("title") or "", b["text"]))
        tp += pred and r["same_event"]
        fp += pred and not r["same_event"]
        fn += (not pred) and r["same_event"]
    return tp, fp, fn


def test_development_pairs():
    tp, fp, fn = _scores("story_pairs_dev.jsonl")
    assert fp == 0 and tp / (tp + fn) >= 0.8  # measured: precision 1.0, recall 0.83


def test_blind_pairs():
    # Measured: 2 of 80 same-event pairs merged, 2 of 81 different-event pairs merged
    # (precision 0.50, recall 0.025). The blind set's rewordings share few names or numbers
    # (Отар / Алматинская область; Беларусь / под Брестом): a lexical rule barely reaches them.
    tp, fp, _ = _scores("story_pairs.jsonl")
    assert fp <= 2 and tp >= 2


def test_the_rule_needs_other_outlets_and_the_window():
    a = features("", "Шойгу прилетел в Астану на заседание Совбеза ОДКБ.")
    b = features("", "Секретарь Совбеза России Сергей Шойгу прибыл в Астану на заседание ОДКБ.")
    t = datetime(2025, 6, 12, 8, tzinfo=UTC)
    assert same_story("tg_a", t, a, "tg_b", t.replace(hour=9), b)
    assert not same_story("tg_a", t, a, "tg_a", t.replace(hour=9), b)  # one outlet: no
    assert not same_story("tg_a", t, a, "tg_b", t.replace(day=20), b)  # a week apart: no
    long = features("", " ".join(["Шойгу прибыл в Астану на заседание ОДКБ."] * 12))
    assert not same_story("tg_a", t, long, "tg_b", t, b)  # articles: the article rule only


def test_flashes_of_one_event_join_one_story_in_the_store(engine, tmp_path):
    upgrade(engine)
    rows = [
        ("tg-a", "https://t.me/a/1", "2025-06-12T08:15:00+05:00",
         "Шойгу прилетел в Астану на заседание Совбеза ОДКБ."),
        ("tg-b", "https://t.me/b/7", "2025-06-12T09:05:00+05:00",
         "Секретарь Совбеза России Сергей Шойгу прибыл в Астану для участия в заседании ОДКБ."),
        ("tg-b", "https://t.me/b/8", "2025-06-12T20:00:00+05:00",
         "Токаев подписал закон о ратификации соглашения о военных перевозках."),
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps({"outlet": o, "url": u, "published": p, "text": t,
                                        "lang": "ru"}, ensure_ascii=False) + "\n"
                            for o, u, p, t in rows), encoding="utf-8")
    opts = ImportOptions(fmt="jsonl", outlet_group="telegram")
    pieces = read_all([path], opts)
    ensure_outlets(engine, pieces, opts)
    summary = import_pieces(engine, pieces)
    assert summary.counts["stored/same_event"] == 1 and summary.stored == 2
    with engine.connect() as conn:
        got = {u: (c, i, e.get("dedup", {}).get("kind")) for u, c, i, e in conn.execute(
            select(Article.canonical_url, Article.cluster_id, Article.id, Article.extra))}
    first, copy, other = got["https://t.me/a/1"], got["https://t.me/b/7"], got["https://t.me/b/8"]
    assert copy[0] == first[1] and copy[2] == "same_event"
    assert other[0] == other[1]  # a different event stays its own story


@pytest.mark.parametrize("text,anchors", [
    ("Учения «Взаимодействие-2025» начались на полигоне Матыбулак.",
     {"взаимодействие-2025", "матыб"}),
    ("Астанада ҰҚШҰ саммиті басталды, екі келісімге қол қойылды.", {"ұқшұ", "2"}),
])
def test_anchors_are_names_and_numbers(text, anchors):
    assert features("", text).anchors == anchors

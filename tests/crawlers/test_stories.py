"""Stories across channels: the short-post matcher on labelled pairs, and in the store.

Three pair sets, all written for the project: story_pairs_dev.jsonl (25 pairs, written by the
matcher's author, on which its thresholds were set), story_pairs.jsonl (161 pairs written
blind by a colleague; its odd-numbered pairs were read to set the event rule) and
story_pairs_blind2.jsonl (200 pairs written blind by another colleague after the rule was
set, and never read for tuning; see NOTICE). Floors are the measured figures (README), so a
change that makes merging less precise or finds fewer stories fails here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from crawlers.ingest.archive import ImportOptions, ensure_outlets, import_pieces, read_all
from crawlers.ingest.stories import features, same_story
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
    tp, fp, _ = _scores("story_pairs_dev.jsonl")
    # Measured: 11 of 12 found, 1 wrong merge (a summit's opening and its signed treaty).
    assert fp <= 1 and tp >= 11


def test_first_blind_pairs():
    # Measured: 39 of 80 same-event pairs merged, 2 of 81 different-event pairs merged
    # (precision 0.95, recall 0.49; the wording rule alone: 2 and 2). Its odd half was read
    # to set the event rule; the even half alone: precision 0.96, recall 0.57.
    tp, fp, _ = _scores("story_pairs.jsonl")
    assert fp <= 2 and tp >= 39


def test_second_blind_pairs():
    # Never read for tuning. Measured: 49 of 100 same-event pairs merged, 7 of 100
    # different-event pairs merged (precision 0.88, recall 0.49; the wording rule alone: 1
    # and 1). Wrong merges: two different named exercises, two CSTO bodies meeting a day
    # apart in one city, two deals of one company.
    tp, fp, _ = _scores("story_pairs_blind2.jsonl")
    assert fp <= 7 and tp >= 49


def test_reworded_flashes_of_one_event_join_and_other_states_do_not():
    t = datetime(2024, 8, 19, 9, tzinfo=UTC)
    otar = features("", "На полигоне Отар начались казахстанско-российские учения; "
                        "задействовано около 1 500 военных.")
    almaty = features("", "Российские мотострелки вместе с казахстанскими коллегами приступили "
                          "к совместному учению в Алматинской области.")
    assert same_story("tg_a", t, otar, "tg_b", t.replace(hour=11), almaty)
    tajik = features("", "Российские и таджикские военные приступили к совместным учениям "
                         "на полигоне Ляур.")
    assert not same_story("tg_a", t, otar, "tg_b", t.replace(hour=11), tajik)  # other states
    kk = features("", "Қазақстан мен Ұлыбритания әскери ынтымақтастық жоспарына қол қойды.")
    ru = features("", "Минобороны РК и Британии подписали план военного сотрудничества.")
    minerals = features("", "Казахстан и Великобритания подписали соглашение о "
                            "сотрудничестве в сфере критических минералов.")
    assert same_story("kazinform", t, kk, "tass", t, ru)  # Kazakh and Russian flash
    assert not same_story("kazinform", t, kk, "tass", t, minerals)  # not a defence matter


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

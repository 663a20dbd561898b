"""Document tone on general Kazakhstani news: the tuning set written for it (original pieces
in the style of Kazakhstani outlets, labelled by the doc_tone guideline), cross-validated
thresholds, headline weighting, and general-news vocabulary in both languages."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from pipeline.analysis.relevance import sentence_spans
from pipeline.nlp import lexicon, tone
from tests.nlp.short_posts import macro_f1

TUNE = Path(__file__).parent / "data" / "doc_tone_tune.jsonl"
LABELS = ("negative", "neutral", "positive")
# Measured: 0.876 with the shipped thresholds (fit), 0.867 when the thresholds are chosen on
# the training folds of a 5-fold cross-validation (mean of 10 shuffles); the old classifier
# scored 0.706 on the same set.
FIT_FLOOR = 0.84
CV_FLOOR = 0.82


@pytest.fixture(scope="module")
def tuned() -> tuple[list[str], list[tone.DocumentTone]]:
    rows = [json.loads(line) for line in TUNE.read_text(encoding="utf-8").splitlines()]
    out = []
    for r in rows:
        text = r["text"]
        sents = [text[a:b] for a, b in sentence_spans(text)]
        out.append(tone.document_tone(text, "ru", sents, title=r["title"]))
    return [r["label"] for r in rows], out


def test_tuning_set_shape() -> None:
    rows = [json.loads(line) for line in TUNE.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 150 and len({r["id"] for r in rows}) == len(rows)
    assert {r["label"] for r in rows} == set(LABELS)
    assert all(r["title"] and 400 <= len(r["text"]) <= 2500 and r["why"] for r in rows)


def test_fit_macro_f1(tuned: tuple[list[str], list[tone.DocumentTone]]) -> None:
    gold, res = tuned
    assert macro_f1(gold, [t.label for t in res]) >= FIT_FLOOR


def test_cross_validated_thresholds(tuned: tuple[list[str], list[tone.DocumentTone]]) -> None:
    """Thresholds picked on 4/5 of the set score the held-out fifth nearly as well."""
    gold, res = tuned
    feats = [(t.polarity, t.alarm) for t in res]
    grid_p = [i / 50 for i in range(0, 21)]
    grid_n = [-i / 50 for i in range(0, 21)]

    def score(idx: list[int], p: float, n: float) -> float:
        return macro_f1([gold[i] for i in idx], [tone.label_for(*feats[i], p, n) for i in idx])

    rnd = random.Random(0)
    by_label: dict[str, list[int]] = {}
    for i, g in enumerate(gold):
        by_label.setdefault(g, []).append(i)
    folds: list[list[int]] = [[] for _ in range(5)]
    for ids in by_label.values():
        rnd.shuffle(ids)
        for j, i in enumerate(ids):
            folds[j % 5].append(i)
    pred = [""] * len(gold)
    for f in range(5):
        train = [i for k in range(5) if k != f for i in folds[k]]
        p, n = max(((p, n) for p in grid_p for n in grid_n), key=lambda t: score(train, *t))
        for i in folds[f]:
            pred[i] = tone.label_for(*feats[i], p, n)
    assert macro_f1(gold, pred) >= CV_FLOOR


@pytest.mark.parametrize(("title", "text", "label"), [
    ("На трассе Алматы — Бишкек в ДТП погибли двое",
     "Утром на 30-м километре легковой автомобиль выехал на встречную полосу. Водитель и "
     "пассажир скончались на месте. Начато расследование.", "negative"),
    ("В Таразе открылась новая поликлиника",
     "Поликлиника рассчитана на 500 посещений в смену. Жители давно ждали её открытия и "
     "благодарят строителей.", "positive"),
    ("Нацбанк опубликовал курсы валют на 12 марта",
     "Официальный курс доллара составил 470 тенге, евро — 510 тенге. Курсы действуют до "
     "следующего рабочего дня.", "neutral"),
])
def test_headline_event_words(title: str, text: str, label: str) -> None:
    assert tone.document_tone(text, "ru", title=title).label == label


def test_title_is_not_evidence() -> None:
    text = "Пожар на складе потушили за два часа. Пострадавших нет."
    t = tone.document_tone(text, "ru", title="Крупный пожар в Алматы")
    assert t.sentences and all(s in text for s in t.sentences)


@pytest.mark.parametrize(("lang", "text", "sign"), [
    ("ru", "Бензин подорожал, в магазинах дефицит сахара.", -1),
    ("ru", "Мошенники похитили у пенсионерки 5 млн тенге.", -1),
    ("ru", "Сборная завоевала золотую медаль и установила рекорд.", 1),
    ("kk", "Алматыда жол-көлік оқиғасынан үш адам мерт болды.", -1),
    ("kk", "Жанармай бағасы қымбаттады, жүргізушілер наразы.", -1),
    ("kk", "Қазақстандық боксшы Азия чемпионатында алтын медаль жеңіп алды.", 1),
    ("kk", "Шымкентте жаңа зауыт салтанатты түрде ашылды.", 1),
])
def test_general_news_vocabulary(lang: str, text: str, sign: int) -> None:
    assert sign * lexicon.lexicon_polarity(lexicon.find_hits(lexicon.tokenize(text), lang)) > 0


def test_procedural_words_do_not_hit() -> None:
    # A court's name and a prosecutor's title are not bad news; the fire service is not a fire.
    text = "Суд по уголовным делам заслушал государственного обвинителя; пожарная служба"
    assert lexicon.find_hits(lexicon.tokenize(text), "ru") == []


def test_one_threat_word_in_a_short_note_is_not_alarm() -> None:
    t = tone.document_tone("Ремонт завершён. На опасных участках установлено освещение. "
                           "Движение открыто.", "ru")
    assert t.alarm < tone.ALARM_NEGATIVE


# A second set of 120 original pieces (65 general news, 55 on foreign and defence ties; 45 %
# neutral, 33 % positive, 22 % negative), written to the same guideline by someone who never
# saw the tone code, the lexicon or the tuning set, and never used for tuning. Measured when
# first scored: the old classifier 0.587, this one 0.704. It is the honest figure here; the
# tuning set's 0.87 is optimistic.
# After that figure was taken its errors were read and the lexicon extended (0.750 since), so
# a second set of 120 was written the same blind way (doc_tone_check2.jsonl): the classifier
# of the session's start scores 0.548 on it, this one 0.639.
CHECK_FLOORS = {"doc_tone_check.jsonl": 0.71, "doc_tone_check2.jsonl": 0.61}


@pytest.mark.parametrize("name", sorted(CHECK_FLOORS))
def test_check_set_macro_f1(name: str) -> None:
    path = Path(__file__).parent / "data" / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    pred = []
    for r in rows:
        text = r["text"]
        sents = [text[a:b] for a, b in sentence_spans(text)]
        pred.append(tone.document_tone(text, "ru", sents, title=r["title"]).label)
    assert macro_f1([r["label"] for r in rows], pred) >= CHECK_FLOORS[name]

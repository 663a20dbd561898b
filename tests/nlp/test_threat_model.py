"""The threat model: its plain-Python n-grams are scikit-learn's, its shipped weights load,
and it reads threats worded in ways the lexicon does not list."""

from __future__ import annotations

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.nlp import threat, tone


@pytest.mark.parametrize("text", ["Ракеты долетят до Астаны за семь минут.",
                                  "Ұжымдық  қауіпсіздік — ОДКБ", "a bc  def", "ё Ёлка"])
def test_char_ngrams_are_scikit_learns(text: str) -> None:
    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=threat.NGRAMS,
                               lowercase=False, preprocessor=threat.normalise).build_analyzer()
    assert threat.char_ngrams(threat.normalise(text)) == analyzer(text)


# Written for this test in the manner of Telegram flashes; none is in the training sets.
THREATS = [
    "Политолог в эфире: «Если британцы откроют базу под Алматы, туда прилетит первым делом».",
    "Баку предупредил Ереван: следующая провокация на границе обернется ударом по позициям.",
    "Сарапшы: «Түрік дрондары зауыты алғашқы соққының нысанасы болады».",
]
CALM = [
    "Министры обороны Казахстана и Турции обсудили подготовку офицеров и обмен опытом.",
    "Казахстанские миротворцы вернулись из Ливана после шести месяцев службы.",
    "Қазақстан мен Ұлыбритания әскери білім беру саласындағы ынтымақтастықты кеңейтеді.",
]


def test_threats_score_above_calm_reports() -> None:
    low = min(threat.probability(t) for t in THREATS)
    high = max(threat.probability(t) for t in CALM)
    assert low > high, (low, high)


def test_model_threat_is_never_positive() -> None:
    for text in THREATS:
        assert tone.document_tone(text, "kk" if "Сарапшы" in text else "ru").label != "positive"

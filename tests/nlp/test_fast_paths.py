"""The fast paths of the tone lexicon and the threat model give what the plain computations
give: the per-token memo of lexicon entries, libyaml's parser for the lexicon file, and the
threat model's per-word weights and C-level sums (bit for bit)."""

from __future__ import annotations

import math
from collections import Counter

import pytest
import yaml

from pipeline.nlp import lexicon, threat

SENTENCES = [
    "Министр обороны заявил, что удар по военным объектам будет нанесён в ответ на провокации.",
    "Казахстан и Турция подписали соглашение о военно-техническом сотрудничестве.",
    "Угрозы паводка нет, сообщили в МЧС; тревога была учебной.",
    "Не исключает удара по столице, не только угроза, но и ультиматум.",
    "Қазақстан Қорғаныс министрлігі бірлескен оқу-жаттығу өткізетінін хабарлады.",
    "Біз жауапсыз қалдырмаймыз, соққы береміз.",
    "по по по военного военного ядерное оружие ядерное оружие",
    "",
    "12345 -- !!!",
]


def _plain_starting(lx: lexicon._Lang, tok: str) -> tuple[lexicon._Entry, ...]:
    """Every prefix of the token that is a first stem, longest first, as the matcher read
    them before the memo."""
    blocked = bool(lx.blocked) and tok.startswith(lx.blocked)
    out = []
    for cut in range(len(tok), 0, -1):
        for entry in lx.by_first.get(tok[:cut], ()):
            if blocked and len(entry.stems) == 1:
                continue
            if lexicon._stem_matches(entry.stems[0], tok):
                out.append(entry)
    return tuple(out)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_memo_of_starting_entries(lang: str) -> None:
    lx = lexicon._lang(lang)
    for sentence in SENTENCES:
        for tok in lexicon.tokenize(sentence):
            assert lx.memo[tok] == _plain_starting(lx, tok)
            assert tok in lx.memo  # filled on look-up


def test_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    lx = lexicon._lang("ru")
    monkeypatch.setattr(lexicon, "_MEMO_WORDS", 3)
    lx.memo.clear()
    hits = [lexicon.find_hits(lexicon.tokenize(s), "ru") for s in SENTENCES]
    assert len(lx.memo) <= 3
    # the same hits with a fresh memo and with a warm one
    lx.memo.clear()
    monkeypatch.setattr(lexicon, "_MEMO_WORDS", 200_000)
    assert [lexicon.find_hits(lexicon.tokenize(s), "ru") for s in SENTENCES] == hits
    assert [lexicon.find_hits(lexicon.tokenize(s), "ru") for s in SENTENCES] == hits


def test_hits_found_in_sentences() -> None:
    hits = lexicon.find_hits(lexicon.tokenize(SENTENCES[0]), "ru")
    assert {h.category for h in hits} >= {"threat"}
    # "угрозы ... нет" is denied; "учебной" makes the alarm a drill
    assert not [h for h in lexicon.find_hits(lexicon.tokenize(SENTENCES[2]), "ru")
                if h.category in lexicon.FRAMING]


def test_lexicon_file_parsed_as_safe_load_parses_it() -> None:
    text = lexicon.LEXICON_PATH.read_text(encoding="utf-8")
    from pipeline.yamlio import load_yaml

    assert load_yaml(text) == yaml.safe_load(text)


def _plain_probability(text: str) -> float:
    """The threat model's scorer as first written: one dict of weights, Python loops."""
    weights, intercept = threat._model()
    counts = Counter(g for word in threat.normalise(text).split()
                     for g in threat.char_ngrams(word) if g in weights)
    if not counts:
        return 1.0 / (1.0 + math.exp(-intercept))
    tfidf = {g: (1.0 + math.log(c)) * weights[g][0] for g, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in tfidf.values()))
    z = intercept + sum(v * weights[g][1] for g, v in tfidf.items()) / norm
    return 1.0 / (1.0 + math.exp(-z))


@pytest.mark.parametrize("text", SENTENCES)
def test_threat_probability_bit_for_bit(text: str) -> None:
    assert threat.probability(text) == _plain_probability(text)


def test_normal_forms_remembered() -> None:
    from pipeline.nlp import names

    names.normal_form.cache_clear()
    first = names.normal_form("Министерства обороны", "ORG", "ru")
    assert names.normal_form("Министерства обороны", "ORG", "ru") == first
    assert names.normal_form.cache_info().hits == 1
    # the key is built from the same remembered form
    assert names.key_of("Министерства обороны", "ORG", "ru") == f"ORG:{first.lower()}"

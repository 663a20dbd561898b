"""The fast paths of the profile loading, the matcher and the relevance decision give what the
plain computations give."""

from __future__ import annotations

from itertools import pairwise

import pytest
import yaml

from pipeline.analysis import matcher as matcher_module
from pipeline.analysis.matcher import Matcher
from pipeline.analysis.relevance import score_relevance, sentence_spans
from pipeline.profile import DEFAULT_PATH, ProfileError, load_profile, parse_profile
from pipeline.yamlio import load_yaml

TEXT = ("Министр обороны Республики Казахстан встретился с министром национальной обороны "
        "Турецкой Республики. Стороны обсудили военно-техническое сотрудничество.\n\n"
        "Астана. 7 декабря.\n"
        "РК и Узбекистан проведут совместные учения. Погода в Астане.")


def test_profile_parsed_as_safe_load_parses_it() -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert load_yaml(text) == yaml.safe_load(text)
    assert parse_profile(text).version == load_profile().version


def test_invalid_yaml_reads_as_pyyaml_says() -> None:
    bad = "topics: [\n  - a: b\n"
    with pytest.raises(yaml.YAMLError) as plain:
        yaml.safe_load(bad)
    with pytest.raises(ProfileError) as ours:
        parse_profile(bad)
    assert str(plain.value) in str(ours.value)


def _key(hits: list) -> list[tuple]:
    return [(h.start, h.end, h.kind, h.id, h.term, h.text) for h in hits]


def test_matcher_memo_fills_itself_and_gives_the_same_hits() -> None:
    m = Matcher(load_profile())
    assert not m._candidates
    first = _key(m.match(TEXT))
    assert "министр" in m._candidates and "обороны" in m._candidates
    assert _key(m.match(TEXT)) == first  # answered from the memo
    kinds = {k for _, _, k, *_ in first}
    assert {"entity", "partner", "defence"} <= kinds
    # a one-word pattern is remembered as its owners, a longer one as the pattern
    remembered = [c for cands in m._candidates.values() for c in cands]
    assert any(isinstance(c, tuple) for c in remembered)
    assert any(not isinstance(c, tuple) for c in remembered)


def test_matcher_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    m = Matcher(load_profile())
    expected = _key(m.match(TEXT))
    monkeypatch.setattr(matcher_module, "_CACHE_WORDS", 2)
    small = Matcher(load_profile())
    assert _key(small.match(TEXT)) == expected
    assert len(small._candidates) <= 2


def test_caps_and_gaps_still_checked() -> None:
    m = Matcher(load_profile())
    assert any(h.id == "KAZ" or h.text == "РК" for h in m.match("РК и Турция"))
    assert not [h for h in m.match("рк и турция") if h.text == "рк"]


@pytest.mark.parametrize("text", [TEXT, "", "   ", "Да.\n\nНет.", "Одно предложение без точки"])
def test_sentence_spans_cover_words(text: str) -> None:
    spans = sentence_spans(text)
    for s, e in spans:
        assert text[s:e].strip()
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


def test_spread_triple_reaches_the_next_sentence() -> None:
    # A triple in the first sentence makes the sentence after it a spread triple too, even
    # when that one holds no hit (the windows of sentences without hits are never built).
    text = ("Казахстан и Турция подписали соглашение о военном сотрудничестве. "
            "Документ вступит в силу через месяц после подписания.")
    rel = score_relevance(text, "", "ru")
    assert rel.features["triples"] == 1.5
    assert rel.relevant

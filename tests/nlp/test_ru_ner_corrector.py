"""The Russian NER corrector's parts: word classes, features, spans."""

from __future__ import annotations

from pipeline.nlp.russian import corrector
from pipeline.nlp.russian.corrector import TaggedToken
from pipeline.nlp.types import Token


def _sentence(words: list[str], tags: list[str]) -> list[TaggedToken]:
    out, start = [], 0
    for word, tag in zip(words, tags, strict=True):
        out.append(TaggedToken(token=Token(start=start, end=start + len(word), text=word,
                                           lemma="", pos=""), ner=tag))
        start += len(word) + 1
    return out


def test_word_classes_group_related_words() -> None:
    """navec classes put institution words together; unknown words get "U"."""
    c = corrector.word_classes
    assert c("мэрии")[2] == c("администрации")[2] or c("мэрии")[1] == c("администрации")[1]
    assert c("Мэрии") == c("мэрии")  # looked up lower-case, like navec's vocabulary
    assert c("щщщжжжъъъ") == ("U",) * len(corrector.CLASS_SIZES)
    assert all(int(k) <= size for k, size in zip(c("министерства"), corrector.CLASS_SIZES,
                                                 strict=True))


def test_features_window_and_context() -> None:
    sentence = _sentence(["пресс-служба", "мэрии", "Москвы", "сообщила", "."],
                         ["O", "O", "B-LOC", "O", "O"])
    rows = corrector.features(sentence)
    assert len(rows) == 5
    first = set(rows[0])
    assert {"w=пресс-служба", "st=пресс", "s3=жба", "ner=O", "-2pad", "-1pad",
            "1w=мэрии", "2nt=LOC", "rnt=LOC", "rnt_d=2"} <= first
    assert "rnt=none" in rows[2] and "nt|-1nt=LOC|O" in rows[2]
    # the per-word cache must not leak one sentence's context into another
    again = corrector.features(_sentence(["мэрии", "Москвы"], ["O", "O"]))
    assert "1nt=O" in again[0] and "rnt=none" in again[0]


def test_features_quotes() -> None:
    rows = corrector.features(_sentence(["газета", "«", "Правда", "»", "пишет"],
                                        ["O", "O", "B-ORG", "O", "O"]))
    assert ["q=1" in r for r in rows] == [False, False, True, False, False]


def test_spans_from_labels_trims_punctuation() -> None:
    sentence = _sentence(["«", "Правда", "»", "и", "ТАСС"], ["O", "B-ORG", "O", "O", "B-ORG"])
    assert corrector.spans_from_labels(sentence, ["B", "I", "I", "O", "I"], "ORG") == [
        (2, 8, "ORG"), (13, 17, "ORG")]

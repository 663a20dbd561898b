"""Kazakh named entities (PER, LOC, ORG) from a CRF trained on KazNERD (IS2AI, CC BY 4.0).

The model is python-crfsuite's binary file shipped beside this module (version-stable format);
it is loaded once per process. Text is cut into sentences first because the model was trained
on single sentences and its features look two words either side.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pycrfsuite

from pipeline.models import model_file
from pipeline.nlp.kazakh.features import sentence_features
from pipeline.nlp.kazakh.names import match
from pipeline.nlp.kazakh.tokenizer import split_sentences, tokenize
from pipeline.nlp.types import EntitySpan, Token

MODEL_PATH = model_file("ner_kk.crf.bin")

_lock = threading.Lock()
_cache: dict[Path, KazakhNER] = {}


class KazakhNER:
    """A loaded CRF tagger. Use :meth:`load` to share one instance per model file."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> KazakhNER:
        with _lock:
            if path not in _cache:
                _cache[path] = cls(path)
            return _cache[path]

    def labels(self, text: str, tokens: list[Token]) -> list[str]:
        """BIO labels (B-PER, I-LOC, O, ...) for the tokens of one sentence."""
        if not tokens:
            return []
        return _extend_persons(
            text, tokens, list(self._tagger.tag(sentence_features(text, tokens)))
        )

    def tag(self, text: str, tokens: list[Token] | None = None) -> list[EntitySpan]:
        """Entities of ``text`` (any length), offsets into ``text``, in text order."""
        if tokens is None:
            tokens = tokenize(text)
        spans: list[EntitySpan] = []
        for sent_tokens in _group_by_sentence(text, tokens):
            spans.extend(decode(text, sent_tokens, self.labels(text, sent_tokens)))
        return spans


def tag(text: str, tokens: list[Token] | None = None) -> list[EntitySpan]:
    """Entities of Kazakh ``text`` with the shipped model."""
    return KazakhNER.load().tag(text, tokens)


def _group_by_sentence(text: str, tokens: list[Token]) -> list[list[Token]]:
    groups: list[list[Token]] = []
    sentences = split_sentences(text)
    i = 0
    for sent in sentences:
        group: list[Token] = []
        while i < len(tokens) and tokens[i].start < sent.end:
            group.append(tokens[i])
            i += 1
        if group:
            groups.append(group)
    if i < len(tokens):  # tokens given by the caller past the last sentence
        groups.append(tokens[i:])
    return groups


_SURNAME_ENDINGS = ("ов", "ев", "ова", "ева", "ин", "ина", "ұлы", "қызы", "ский", "ская")


def _extend_persons(text: str, tokens: list[Token], labels: list[str]) -> list[str]:
    """A capitalised word right after a person's name, which the model left out, is taken as
    the rest of the name: foreign surnames (Реджеп Тайып Ердоған) are rare in the training data
    while the first names before them are tagged well. Not after a word that already looks
    like a surname (Тоқаев Қорғаныс ...)."""
    listed = match(tokens)
    for i in range(1, len(tokens)):
        tok = tokens[i]
        if (
            labels[i] == "O"
            and labels[i - 1].endswith("-PER")
            and not tokens[i - 1].lemma.endswith(_SURNAME_ENDINGS)
            and tok.text[:1].isupper()
            and not tok.text.isupper()
            and not listed[i]
            and not text[tokens[i - 1].end : tok.start].strip()
        ):
            labels[i] = "I-PER"
    return labels


def decode(text: str, tokens: list[Token], labels: list[str]) -> list[EntitySpan]:
    """BIO labels to spans; an I- that does not continue a span of its type opens one."""
    spans: list[EntitySpan] = []
    start = end = -1
    kind = ""
    for tok, label in zip(tokens, labels, strict=True):
        tag_, _, t = label.partition("-")
        if tag_ == "I" and t == kind and start >= 0:
            end = tok.end
            continue
        if start >= 0:
            spans.append(EntitySpan(start=start, end=end, type=kind, text=text[start:end]))
            start = -1
        if tag_ in ("B", "I"):
            start, end, kind = tok.start, tok.end, t
    if start >= 0:
        spans.append(EntitySpan(start=start, end=end, type=kind, text=text[start:end]))
    return spans

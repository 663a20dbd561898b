"""A small learned corrector on top of natasha's Russian NER, without morphology.

natasha's NER marks only the name itself («Москвы», «РГГУ»), while news annotation (and the
reports that quote it) wants whole organisation mentions («мэрии Москвы», «кафедрой ... РГГУ»),
nested types (the LOC inside an ORG) and abbreviations that natasha calls LOC («ЕС»). One
linear-chain CRF per type (PER, LOC, ORG) re-tags every sentence; separate CRFs let a token
carry several types, as nested gold spans do.

The corrector reads only what segmentation and natasha's NER already give: the word, its
shape, prefix and suffixes (a crude stem and ending that stand in for lemma and case),
natasha's BIO tags, and word classes: k-means clusters of navec's news vectors (the embedding
natasha's NER loads anyway), so «мэрии» and «администрации» share a coarse class even if
one was never seen in training. natasha's morphology tagger and lemmatiser, which together
cost more than the NER itself, are not needed: dropping them cost no F1 in cross-validation.

The models (``ru_ner_crf_*.bin``) are trained on factRuEval-2016 (MIT) and the word classes
(``ru_ner_wordclass.bin``) built by ``train`` (``python -m pipeline.nlp.russian.train``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.models import MODELS_DIR
from pipeline.nlp.russian import models as natasha_models
from pipeline.nlp.types import ENTITY_TYPES, Token

MODEL_DIR = MODELS_DIR
WORDCLASS_PATH = MODEL_DIR / "ru_ner_wordclass.bin"
# k-means granularities of the word classes, in the order stored in WORDCLASS_PATH
CLASS_SIZES = (64, 256, 1024)
_WORD = re.compile(r"\w")
_LATIN = re.compile(r"[A-Za-z]")
_CONTEXT = 6  # how far right to look for natasha's next entity


@dataclass(frozen=True, slots=True, kw_only=True)
class TaggedToken:
    """What the corrector reads of one token: the token and natasha's BIO tag."""

    token: Token
    ner: str  # natasha's tag: "O", "B-ORG", "I-LOC", ...


def model_path(entity_type: str, directory: Path = MODEL_DIR) -> Path:
    return directory / f"ru_ner_crf_{entity_type}.bin"


def _shape(word: str) -> str:
    if len(word) > 1 and word.isupper():
        return "AA"
    if word[:1].isupper():
        return "Aa"
    if word.islower():
        return "a"
    if word.isdigit():
        return "d"
    if not _WORD.search(word):
        return "p"
    return "m"


@lru_cache(maxsize=1)
def _word_classes() -> tuple[dict[str, int], Any]:
    """navec's word ids and the class table: one row per granularity, one column per word."""
    import numpy as np

    word_ids = natasha_models.embedding().vocab.word_ids
    table = np.fromfile(WORDCLASS_PATH, dtype="<u2")
    rows = len(CLASS_SIZES)
    if table.size != rows * len(word_ids):
        raise ValueError(f"{WORDCLASS_PATH.name} does not match natasha's navec vocabulary")
    return word_ids, table.reshape(rows, -1)


def word_classes(word: str) -> tuple[str, ...]:
    """Class ids (as strings; "U" outside navec's vocabulary) at every granularity."""
    word_ids, table = _word_classes()
    i = word_ids.get(word.lower())
    if i is None:
        return ("U",) * len(CLASS_SIZES)
    return tuple(str(c) for c in table[:, i].tolist())


# What a CRF row holds of a word itself, and of it as a neighbour at each offset: these
# depend on the word only, so they are built once per distinct word, not once per token.
_OFFSETS = (-2, -1, 1, 2)
_WordFeatures = tuple[tuple[str, ...], dict[int, tuple[str, ...]]]
_word_cache: dict[str, _WordFeatures] = {}
# ~3.3 kB a word: 10,000 words hold ~33 MB; cleared when full (a worker's vocabulary is open)
_CACHE_SIZE = 10_000


def _word_features(word: str) -> _WordFeatures:
    cached = _word_cache.get(word)
    if cached is not None:
        return cached
    low = word.lower().replace("ё", "е")
    c64, c256, c1024 = word_classes(word)
    shape = _shape(word)
    own = (
        f"w={low}", f"sh={shape}",
        f"st={low[:5]}",  # a crude stem: Russian inflection lives at the end
        f"s1={low[-1:]}", f"s2={low[-2:]}", f"s3={low[-3:]}", f"s4={low[-4:]}",
        f"lat={1 if _LATIN.search(word) else 0}", f"len={min(len(word), 6)}",
        f"c64={c64}", f"c256={c256}", f"c1024={c1024}",
    )
    neighbour = (f"sh={shape}", f"st={low[:5]}", f"s3={low[-3:]}", f"c256={c256}",
                 f"c1024={c1024}")
    window = {}
    for offset in _OFFSETS:
        strings = [f"{offset}{f}" for f in neighbour]
        if offset in (-1, 1):
            strings.append(f"{offset}w={low}")
        window[offset] = tuple(strings)
    if len(_word_cache) >= _CACHE_SIZE:
        _word_cache.clear()
    _word_cache[word] = (own, window)
    return own, window


def features(sentence: list[TaggedToken]) -> list[list[str]]:
    """CRF features: the word (form, shape, crude stem, endings, word classes), natasha's tag
    and whether it stands inside «...»; the same for a window of two on each side; natasha's
    tag transitions; and the type and distance of natasha's next entity to the right (a
    descriptive head such as «пресс-служба» usually precedes the name natasha finds)."""
    words = [_word_features(item.token.text) for item in sentence]
    tags = [item.ner for item in sentence]
    types = [tag[2:] if tag != "O" else "O" for tag in tags]
    quoted: list[str] = []
    in_quotes = False  # names in «...» are mostly ORG titles in news
    for item in sentence:
        word = item.token.text
        if word in "»”":
            in_quotes = False
        quoted.append("q=1" if in_quotes else "q=0")
        if word == "«":
            in_quotes = True
    n = len(sentence)
    rows: list[list[str]] = []
    for i in range(n):
        nt = types[i]
        x = ["bias", *words[i][0], f"ner={tags[i]}", f"nt={nt}", quoted[i]]
        for offset in _OFFSETS:
            j = i + offset
            if not 0 <= j < n:
                x.append(f"{offset}pad")
                continue
            x.extend(words[j][1][offset])
            x.append(f"{offset}nt={types[j]}")
            if offset in (-1, 1):
                x.append(f"{offset}ner={tags[j]}")
        x.append(f"nt|-1nt={nt}|{types[i - 1] if i else 'S'}")
        x.append(f"nt|+1nt={nt}|{types[i + 1] if i + 1 < n else 'E'}")
        for j in range(i + 1, min(n, i + 1 + _CONTEXT)):
            if types[j] != "O":
                x.append(f"rnt={types[j]}")
                x.append(f"rnt_d={j - i}")
                break
        else:
            x.append("rnt=none")
        rows.append(x)
    return rows


def spans_from_labels(
    sentence: list[TaggedToken], labels: list[str], entity_type: str
) -> list[tuple[int, int, str]]:
    """Turn B/I/O labels into (start, end, type), trimming punctuation at the edges."""
    if "B" not in labels and "I" not in labels:
        return []  # most sentences: no span of this type
    out: list[tuple[int, int, str]] = []
    run: list[Token] = []

    def close() -> None:
        words = [i for i, t in enumerate(run) if _WORD.search(t.text)]
        if words:
            first, last = words[0], words[-1]
            out.append((run[first].start, run[last].end, entity_type))
        run.clear()

    for item, label in zip(sentence, labels, strict=True):
        if label == "B" or (label == "I" and not run):
            close()
            run.append(item.token)
        elif label == "I":
            run.append(item.token)
        else:
            close()
    close()
    return out


class Tagger:
    """The three CRFs of one model folder."""

    def __init__(self, directory: Path = MODEL_DIR) -> None:
        import pycrfsuite  # python-crfsuite

        self._crfs: dict[str, Any] = {}
        for entity_type in ENTITY_TYPES:
            crf = pycrfsuite.Tagger()
            crf.open(str(model_path(entity_type, directory)))
            self._crfs[entity_type] = crf

    def __call__(self, sentence: list[TaggedToken]) -> list[tuple[int, int, str]]:
        if not sentence:
            return []
        import pycrfsuite

        # one ItemSequence for the three CRFs: converting features is ~1/3 of the corrector's cost
        items = pycrfsuite.ItemSequence(features(sentence))
        out: list[tuple[int, int, str]] = []
        for entity_type, crf in self._crfs.items():
            out.extend(spans_from_labels(sentence, crf.tag(items), entity_type))
        return out


@lru_cache(maxsize=1)
def _tagger() -> Tagger:
    return Tagger()


def correct(sentence: list[TaggedToken]) -> list[tuple[int, int, str]]:
    """Entity spans for one sentence, as (start, end, type); spans of different types may nest."""
    return _tagger()(sentence)

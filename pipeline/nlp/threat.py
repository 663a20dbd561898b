"""Explicit threats of force, read by a character n-gram model: the probability that a
sentence or headline threatens force (strikes, targets, missiles, nuclear weapons,
mobilisation, ultimatums, offensives, "a response will follow"), in Russian or Kazakh.

The lexicon (``lexicon.py``, category ``threat``) names the idioms it knows; each new set of
real-style posts brought idioms it did not ("в радиусе поражения", "тойтарыс береміз"). This
model reads word pieces (3 to 5 characters inside word boundaries, so inflections and unseen
compounds share features), and so carries what it learnt to wording it has not seen. It is a
logistic regression over TF-IDF weights trained by ``threat_train`` on the written short-post
sets; its weights ship as ``data/threat_ngrams.json.gz`` and run here in plain Python (the
scorer is checked against scikit-learn's at training time).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from functools import lru_cache
from itertools import chain, compress
from math import log
from operator import mul
from pathlib import Path

from pipeline.models import model_file

MODEL_PATH = model_file("threat_ngrams.json.gz")
NGRAMS = (3, 5)
_SPACES = re.compile(r"\s\s+")


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text.lower().replace("ё", "е"))


def char_ngrams(text: str, lo: int = NGRAMS[0], hi: int = NGRAMS[1]) -> list[str]:
    """N-grams inside word boundaries, each word padded with a space (scikit-learn's
    ``char_wb`` analyzer, reproduced exactly)."""
    out: list[str] = []
    for word in text.split():
        w = f" {word} "
        size = len(w)
        for n in range(lo, hi + 1):
            offset = 0
            out.append(w[offset:offset + n])
            while offset + n < size:
                offset += 1
                out.append(w[offset:offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return out


@lru_cache(maxsize=1)
def _model(path: Path = MODEL_PATH) -> tuple[dict[str, tuple[float, float]], float]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    return {g: (w[0], w[1]) for g, w in data["ngrams"].items()}, float(data["intercept"])


@lru_cache(maxsize=200_000)
def _known_grams(word: str) -> tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]:
    """The model's n-grams of one word with their IDF weights and coefficients (words repeat:
    the memo makes scoring cheap)."""
    weights, _ = _model()
    grams = tuple(g for g in char_ngrams(word) if g in weights)
    return grams, tuple(weights[g][0] for g in grams), tuple(weights[g][1] for g in grams)


def probability(text: str) -> float:
    """P(threat of force) of one sentence, headline or short post."""
    _, intercept = _model()
    per_word = list(map(_known_grams, normalise(text).split()))
    grams = list(chain.from_iterable(w[0] for w in per_word))
    if not grams:
        return 1.0 / (1.0 + math.exp(-intercept))
    counts = Counter(grams)
    # The weights of this sentence's n-grams in small tables (the model's own is large).
    idf = dict(zip(grams, chain.from_iterable(w[1] for w in per_word), strict=True))
    coef = dict(zip(grams, chain.from_iterable(w[2] for w in per_word), strict=True))
    # (1 + log 1) * w is w itself: most n-grams occur once in a sentence, and only the others
    # are scaled (the loops here run in C).
    tfidf = list(map(idf.__getitem__, counts))
    tf = list(counts.values())
    for k in compress(range(len(tf)), map((1).__ne__, tf)):
        tfidf[k] = (1.0 + log(tf[k])) * tfidf[k]
    norm = math.sqrt(sum(map(mul, tfidf, tfidf)))
    z = intercept + sum(map(mul, tfidf, map(coef.__getitem__, counts))) / norm
    return 1.0 / (1.0 + math.exp(-z))

"""A small learned corrector on top of natasha's Russian NER.

natasha's NER marks only the name itself («Москвы», «РГГУ»), while news annotation (and the
reports that quote it) wants whole organisation mentions («мэрии Москвы», «кафедрой ... РГГУ»),
nested types (the LOC inside an ORG) and abbreviations that natasha calls LOC («ЕС»). One
linear-chain CRF per type (PER, LOC, ORG) re-tags every sentence from natasha's own tags plus
morphology; separate CRFs let a token carry several types, as nested gold spans do.

The models (``ru_ner_crf_*.bin``) are trained on factRuEval-2016 (MIT) by ``ru_ner_train``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.nlp.types import ENTITY_TYPES, Token

MODEL_DIR = Path(__file__).resolve().parent
_WORD = re.compile(r"\w")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True, kw_only=True)
class TaggedToken:
    """What the corrector reads of one token: the token, its case and natasha's BIO tag."""

    token: Token
    case: str  # UD case from natasha's morphology, "" when none
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


def _base(sentence: list[TaggedToken]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    in_quotes = False  # names in «...» are mostly ORG titles in news
    for item in sentence:
        word = item.token.text
        if word in "»”":
            in_quotes = False
        out.append({
            "w": word.lower().replace("ё", "е"),
            "l": item.token.lemma,
            "pos": item.token.pos,
            "case": item.case,
            "sh": _shape(word),
            "suf3": word.lower()[-3:],
            "ner": item.ner,
            "nt": item.ner[2:] if item.ner != "O" else "O",
            "q": str(in_quotes),
            "lat": str(bool(_LATIN.search(word))),
            "len": str(min(len(word), 6)),
        })
        if word == "«":
            in_quotes = True
    return out


def features(sentence: list[TaggedToken]) -> list[list[str]]:
    """CRF features: the token, a window of two on each side, and natasha tag transitions."""
    base = _base(sentence)
    n = len(base)
    rows: list[list[str]] = []
    for i, cur in enumerate(base):
        x = ["bias", *(f"{k}={v}" for k, v in cur.items())]
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if not 0 <= j < n:
                x.append(f"{offset}pad")
                continue
            other = base[j]
            x.extend(f"{offset}{k}={other[k]}" for k in ("l", "pos", "sh", "nt", "case"))
            if abs(offset) == 1:
                x.append(f"{offset}ner={other['ner']}")
                x.append(f"{offset}w={other['w']}")
        prev_nt = base[i - 1]["nt"] if i else "S"
        next_nt = base[i + 1]["nt"] if i + 1 < n else "E"
        x.append(f"nt|-1nt={cur['nt']}|{prev_nt}")
        x.append(f"nt|+1nt={cur['nt']}|{next_nt}")
        rows.append(x)
    return rows


def spans_from_labels(
    sentence: list[TaggedToken], labels: list[str], entity_type: str
) -> list[tuple[int, int, str]]:
    """Turn B/I/O labels into (start, end, type), trimming punctuation at the edges."""
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


@lru_cache(maxsize=1)
def _taggers() -> dict[str, object]:
    import pycrfsuite  # python-crfsuite, installed with sklearn-crfsuite

    taggers: dict[str, object] = {}
    for entity_type in ENTITY_TYPES:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_path(entity_type)))
        taggers[entity_type] = tagger
    return taggers


def correct(sentence: list[TaggedToken]) -> list[tuple[int, int, str]]:
    """Entity spans for one sentence, as (start, end, type); spans of different types may nest."""
    if not sentence:
        return []
    x = features(sentence)
    out: list[tuple[int, int, str]] = []
    for entity_type, tagger in _taggers().items():
        out.extend(spans_from_labels(sentence, tagger.tag(x), entity_type))  # type: ignore[attr-defined]
    return out

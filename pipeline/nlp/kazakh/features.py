"""CRF features for one sentence of Kazakh word tokens; shared by training and tagging.

Kazakh names carry case endings (Тоқаевтың, Анкарада), so the stem and its last letters
(-ов/-ев, -стан, -ия) say more about the entity type than the surface form; the stripped
ending itself (-ның, -да, -мен) says how the word sits in the sentence.
"""

from __future__ import annotations

import re

from pipeline.nlp.kazakh.names import match
from pipeline.nlp.types import Token

_DIGIT = re.compile(r"\d")


def shape(word: str) -> str:
    """Collapsed character classes: Қасым-Жомарт -> Xx-Xx, НАТО-ның -> X-x, 2023 -> d."""
    out: list[str] = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.isalpha():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _gap(text: str, start: int, end: int) -> str:
    """Punctuation between two tokens («, », (, —, ...), white space removed."""
    return "".join(text[start:end].split())[:3]


def _word_features(tok: Token, prefix: str) -> dict[str, float | str]:
    low = tok.text.lower()
    return {
        f"{prefix}low": low,
        f"{prefix}stem": tok.lemma,
        f"{prefix}shape": shape(tok.text),
        f"{prefix}title": str(tok.text[:1].isupper()),
    }


def sentence_features(text: str, tokens: list[Token]) -> list[dict[str, float | str]]:
    """One feature dict per token of a sentence (``text`` is what the offsets index)."""
    feats: list[dict[str, float | str]] = []
    n = len(tokens)
    listed = match(tokens)
    for i, tok in enumerate(tokens):
        word, low, st = tok.text, tok.text.lower(), tok.lemma
        ending = low[len(st) :] if low.startswith(st) else "?"
        f: dict[str, float | str] = {
            "bias": 1.0,
            "low": low,
            "stem": st,
            "ending": ending,
            "shape": shape(word),
            "len": str(min(len(word), 12)),
            "title": str(word[:1].isupper()),
            "upper": str(word.isupper() and len(word) > 1),
            "digit": str(bool(_DIGIT.search(word))),
            "hyphen": str("-" in word),
            "first": str(i == 0),
        }
        for k in range(1, 5):
            f[f"pre{k}"] = low[:k]
            f[f"suf{k}"] = low[-k:]
            f[f"ssuf{k}"] = st[-k:]
        prev_end = tokens[i - 1].end if i else 0
        next_start = tokens[i + 1].start if i + 1 < n else len(text)
        f["gap-"] = _gap(text, prev_end, tok.start)
        f["gap+"] = _gap(text, tok.end, next_start)
        # a capital after the sentence start is a strong name cue; at the start it is not
        f["title_mid"] = str(i > 0 and word[:1].isupper())
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                f.update(_word_features(tokens[j], f"{off}:"))
            else:
                f[f"{off}:pad"] = 1.0
        for off in (-1, 0, 1):
            if 0 <= i + off < n and listed[i + off]:
                f[f"{off}:listed"] = listed[i + off]
        # Multi-word organisation names end in a head noun (министрлігі, ұйымы, академиясы)
        # that may lie beyond the two-word window.
        for j in range(i + 3, min(n, i + 6)):
            f[f"R:{tokens[j].lemma}"] = 1.0
        if i > 0:
            f["-1:stem|stem"] = f"{tokens[i - 1].lemma}|{st}"
        if i + 1 < n:
            f["stem|+1:stem"] = f"{st}|{tokens[i + 1].lemma}"
        feats.append(f)
    return feats

"""The sentence a brief quotes for an article: the one that drove the decision, not the
headline again.

The analysis keeps the sentences that made a piece relevant (``evidence.sentences``); the
headline is often the first of them, and the brief already shows it as the link. For a tone
or alarm shift the quoted sentence is the one whose wording moved in the shift's direction
(scored with the analysis' own lexicon); for a volume shift, the first sentence after the
headline that made the piece relevant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.nlp import lexicon

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def norm(text: str) -> str:
    """Case, punctuation and spacing folded: for comparing a sentence with a headline."""
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def sentence_for(title: str, sentences: Sequence[object], lang: str, *, metric: str = "volume",
                 direction: str = "up") -> str:
    """The evidence sentence to quote, or "" when only the headline decided."""
    head = norm(title)
    body: list[str] = []
    seen: set[str] = set()
    for raw in sentences:
        text = str(raw).strip()
        key = norm(text)
        if not key or key in seen or key == head or (head and head.startswith(key)):
            continue
        seen.add(key)
        body.append(text)
    if not body:
        return ""
    if metric not in ("tone", "alarm"):
        return body[0]
    scores = [_score(text, lang, metric) for text in body]
    sign = -1.0 if (metric == "tone" and direction == "down") else 1.0
    best = max(range(len(body)), key=lambda i: (sign * scores[i], -i))
    # No wording in the shift's direction anywhere: the first deciding sentence.
    return body[best] if sign * scores[best] > 0 else body[0]


def _score(text: str, lang: str, metric: str) -> float:
    hits = lexicon.find_hits(lexicon.tokenize(text), lang)
    if metric == "alarm":
        return lexicon.alarm_mass(hits)
    return lexicon.lexicon_polarity(hits)

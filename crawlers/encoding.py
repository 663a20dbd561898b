"""Which character encoding a Russian or Kazakh page or feed is really in.

Servers lie: a KOI8-R feed served as windows-1251, a windows-1251 page served as UTF-8.
When the server's charset and the document's own declaration disagree, or the chosen one
leaves replacement characters, each candidate is decoded and scored by how much its
Cyrillic reads like language (the share of letter pairs that are common in Russian and
Kazakh), and the best one wins. Text in which no candidate reads as language is garbage:
the caller records an error of kind ``bad_encoding`` and stores nothing.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# The most frequent letter pairs of Russian news text (Kazakh shares many: ан, ен, ар, ал,
# ды, ға...). Right decoding puts roughly 40-50 % of a Russian text's pairs here; a wrong
# single-byte decoding (KOI8-R read as windows-1251 and back) under 15 %.
COMMON_PAIRS = frozenset(
    ["ст", "но", "то", "на", "ен", "ов", "ни", "ра", "во", "ко", "ро", "ал", "по", "го", "ре", "пр", "ли", "ер", "од", "ан", "ор", "не", "ло", "ос", "ва", "ть", "от", "ел", "ле", "ол", "те", "ка", "ет", "де", "ск", "за", "ны", "та", "ве", "ия", "ом", "ми", "ль", "ат", "ит", "ес", "ей", "ин", "ие", "ий", "ев", "ая", "ла", "ри", "ви", "ый", "ой", "ем", "ма", "да", "ар", "ды", "ға", "қа", "ан", "ме", "ге", "ды", "ін", "ын", "ле", "ле", "ті", "ды", "ің", "ға", "ды", "ар", "ын", "ол", "ры", "ла", "ба", "ға", "ік", "ек", "ет", "ес"])
_WORD = re.compile(r"[а-яёіәғқңөұүһїєґў]+")
MIN_PAIRS = 20            # fewer Cyrillic letter pairs than this: nothing to judge
GOOD_SCORE = 0.25         # a right decoding of Russian or Kazakh scores above this
GARBAGE_SCORE = 0.15      # the best candidate below this: the text is garbage
FALLBACKS = ("utf-8", "windows-1251", "koi8-r")
SAMPLE_BYTES = 400_000


@dataclass(frozen=True, kw_only=True)
class Choice:
    encoding: str
    score: float | None       # None: too little Cyrillic to judge
    reason: str               # kept | declared_over_header | header_over_declared | sniffed
    garbage: bool = False


def codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return {"cp1251": "windows-1251", "koi8_r": "koi8-r", "utf_8": "utf-8"}.get(name, name)


def cyrillic_score(text: str) -> float | None:
    """Share of Cyrillic letter pairs that are common ones, less a penalty for replacement
    characters; None when the text holds too little Cyrillic to judge."""
    pairs = common = 0
    for word in _WORD.findall(text.lower()):
        for i in range(len(word) - 1):
            pairs += 1
            common += word[i:i + 2] in COMMON_PAIRS
    bad = text.count("\ufffd")
    if pairs < MIN_PAIRS:
        return None if bad < MIN_PAIRS else 0.0
    return common / pairs - 2 * bad / (pairs + bad)


def choose_encoding(body: bytes, *, header: str | None, declared: str | None,
                    current: str | None = None) -> Choice:
    """The encoding to decode ``body`` with. ``current`` is what would be used otherwise
    (the header's, as Scrapy and feedparser do); it is kept unless it reads worse."""
    sample = body[:SAMPLE_BYTES]
    head, decl = codec_name(header), codec_name(declared)
    first = codec_name(current) or head or decl or "utf-8"
    first_score = cyrillic_score(sample.decode(first, errors="replace"))
    agree = head is None or decl is None or head == decl
    if agree and (first_score is None or first_score >= GOOD_SCORE):
        return Choice(encoding=first, score=first_score, reason="kept")
    scored: dict[str, float] = {}
    for name in dict.fromkeys(n for n in (first, head, decl, *FALLBACKS) if n):
        score = cyrillic_score(sample.decode(name, errors="replace"))
        scored[name] = -1.0 if score is None else score
    best = max(scored, key=lambda n: (scored[n], n == first, n == decl))
    if scored[best] < GARBAGE_SCORE and first_score is not None:
        return Choice(encoding=first, score=first_score, reason="kept", garbage=True)
    if best == first or scored[best] <= scored[first]:
        return Choice(encoding=first, score=first_score, reason="kept")
    if best == decl:
        reason = "declared_over_header"
    elif best == head:
        reason = "header_over_declared"
    else:
        reason = "sniffed"
    return Choice(encoding=best, score=scored[best], reason=reason)

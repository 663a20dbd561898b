"""Word tokens and sentences of Kazakh text, with character offsets into the original string.

Offsets always index the text as given: no normalisation happens before matching, only when a
token's lemma is computed, so a decomposed «й» (и + U+0306) still yields one token.
"""

from __future__ import annotations

import re

from pipeline.nlp.kazakh.stemmer import stem
from pipeline.nlp.types import Sentence, Token

# A letter or digit, possibly followed by combining marks (U+0300-036F).
_CHAR = r"(?:[^\W_][\u0300-\u036f]*)"
# Words joined by a hyphen or apostrophe stay one token (Қасым-Жомарт, Премьер-министрі,
# НАТО-ның, O'zbekiston); decimals keep their separator (1,5 / 2.5).
_WORD = re.compile(
    rf"\d+(?:[.,]\d+)+(?![\w])|{_CHAR}+(?:[-‐'’ʼ]{_CHAR}+)*",
)

# A sentence ends at . ! ? … (and closing quotes/brackets after them) when the next word
# starts a new sentence. A single capital letter before the dot is an initial (Қ. Тоқаев).
_SENT_END = re.compile(r"[.!?…]+[»\")\]]*(?=\s+[«\"(\[—–-]?\s*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])|\n\s*\n")
_INITIAL = re.compile(r"(?:^|[\s(«\"])[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]$")
# Abbreviations that end in a dot inside a sentence.
_ABBREV = ("т.б", "т.с.с", "ж", "жж", "бб", "млн", "млрд", "мыс", "т.с", "проф", "акад", "ген")


def tokenize(text: str) -> list[Token]:
    """Word tokens of ``text`` (punctuation is skipped); ``lemma`` is the Kazakh stem."""
    return [
        Token(start=m.start(), end=m.end(), text=m.group(), lemma=stem(m.group()))
        for m in _WORD.finditer(text)
    ]


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text``; blank-line paragraph breaks always end a sentence."""
    out: list[Sentence] = []
    start = 0
    for m in _SENT_END.finditer(text):
        before = text[start : m.start()]
        if m.group().startswith(".") and _is_abbreviation(before):
            continue
        _add(out, text, start, m.end())
        start = m.end()
    _add(out, text, start, len(text))
    return out


def _is_abbreviation(before: str) -> bool:
    if _INITIAL.search(before):
        return True
    last = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
    return last in _ABBREV


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    # trim surrounding white space so offsets point at the first and last visible character
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Sentence(start=start, end=end, text=text[start:end]))

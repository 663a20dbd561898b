"""Find the seed profile's entities in running Russian or Kazakh text, and link NER spans to them.

Matching is by word: each alias word becomes a stem plus a closed set of endings (Russian
case endings, Kazakh plural/possessive/case suffixes), so «Токаеву», «Тоқаевтың»,
«Түркиямен», «Организации Договора о коллективной безопасности» all match their alias
without a morphological analyser. It runs on every article, so the hot loop is one regex scan
for words plus set look-ups; no per-alias regex is tried at each position.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

from pipeline.nlp.types import EntitySpan, GazetteerEntry

# A word with inner hyphens kept («Касым-Жомарт», «НАТО-ның»).
_WORD = re.compile(r"\w+(?:-\w+)*")
# What may stand between two words of one alias.
_GAP = re.compile(r"[\s«»\"“”„]{1,3}")

# Nominative endings removed from an alias word to get its stem (longest first) ...
_RU_NOM = ("ая", "яя", "ое", "ее", "ые", "ие", "ий", "ый", "ой", "а", "я", "о", "е", "ы", "и", "й", "ь")
# ... and the endings the stem may then take in running text.
_RU_ENDINGS = frozenset(
    ["а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й", "ом", "ем", "ём", "ой", "ей", "ою", "ею", "ам", "ям", "ами", "ями", "ах", "ях", "ов", "ев", "ым", "им", "ого", "его", "ому", "ему", "ую", "юю", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ыми", "ими", "ий", "ый"]
)
_KK_PLURAL = ("", "лар", "лер", "дар", "дер", "тар", "тер")
_KK_POSSESSIVE = ("", "ы", "і", "сы", "сі", "ның", "нің")
_KK_CASE = (
    "", "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "на", "не", "а", "е",
    "ны", "ні", "ды", "ді", "ты", "ті", "н", "да", "де", "та", "те", "нда", "нде", "дан", "ден",
    "тан", "тен", "нан", "нен", "мен", "бен", "пен", "ша", "ше", "дағы", "дегі", "тағы", "тегі",
    "ндағы", "ндегі",
)
_KK_SUFFIXES = frozenset("".join(p) for p in itertools.product(_KK_PLURAL, _KK_POSSESSIVE, _KK_CASE))
# A stem may take any of these; after an acronym Kazakh puts a hyphen («НАТО-ға»).
_SUFFIXES = _RU_ENDINGS | _KK_SUFFIXES
_ACRONYM_SUFFIXES = _SUFFIXES | frozenset("-" + s for s in _KK_SUFFIXES if s)
_MAX_SUFFIX = max(len(s) for s in _ACRONYM_SUFFIXES)
# Kazakh voices a final consonant before a vowel suffix (министрлік → министрлігі).
_KK_VOICING = {"к": "г", "қ": "ғ", "п": "б"}
_MIN_STEM = 3


def _norm(text: str) -> str:
    return text.lower().replace("ё", "е")


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass(frozen=True, slots=True)
class _AliasWord:
    stems: tuple[str, ...]  # lower-case stems the text word must start with
    acronym: str  # the exact upper-case form for acronyms, else ""

    def matches(self, word: str, low: str) -> bool:
        """``word`` as written and lower-cased (ё→е)."""
        if self.acronym:
            rest = word[len(self.acronym):]
            return word.startswith(self.acronym) and (not rest or rest in _ACRONYM_SUFFIXES)
        return any(
            low.startswith(stem) and (len(low) == len(stem) or low[len(stem):] in _SUFFIXES)
            for stem in self.stems
        )


def _alias_word(word: str) -> _AliasWord:
    if _is_acronym(word):
        return _AliasWord(stems=(_norm(word),), acronym=word)
    low = _norm(word)
    stems = {low}
    for ending in _RU_NOM:
        if low.endswith(ending) and len(low) - len(ending) >= _MIN_STEM:
            stems.add(low[: -len(ending)])
            break
    if low[-1:] in _KK_VOICING and len(low) > _MIN_STEM:
        stems.add(low[:-1] + _KK_VOICING[low[-1]])
    return _AliasWord(stems=tuple(sorted(stems, key=len)), acronym="")


@dataclass(frozen=True, slots=True)
class _Alias:
    entry: GazetteerEntry
    words: tuple[_AliasWord, ...]
    capitalised: bool  # a one-word capitalised alias must be capitalised in the text too


class Gazetteer:
    """The seed profile's entities, matched in inflected Russian and Kazakh text."""

    def __init__(self, entries: list[GazetteerEntry]) -> None:
        # Aliases indexed by the stems of their first word; the text word is cut back by at
        # most _MAX_SUFFIX letters to find its stem, so look-up costs a handful of dict hits.
        self._by_stem: dict[str, list[_Alias]] = defaultdict(list)
        self._prefixes: set[str] = set()
        for entry in entries:
            for alias in entry.aliases:
                words = _WORD.findall(alias)
                if not words:
                    continue
                parsed = _Alias(
                    entry=entry,
                    words=tuple(_alias_word(w) for w in words),
                    capitalised=len(words) == 1 and alias[:1].isupper(),
                )
                for stem in parsed.words[0].stems:
                    self._by_stem[stem].append(parsed)
                    self._prefixes.add(stem[:2])
        for aliases in self._by_stem.values():
            aliases.sort(key=lambda a: -len(a.words))  # longest alias first

    def find(self, text: str) -> list[EntitySpan]:
        """Every alias mention in ``text``, longest first and not overlapping, left to right."""
        low = _lower(text)
        out: list[EntitySpan] = []
        resume = 0
        prefixes = self._prefixes
        for m in _WORD.finditer(low):
            start = m.start()
            if start < resume or low[start : start + 2] not in prefixes:
                continue  # the hot path: most words start no alias
            hit = self._match_at(text, low, m)
            if hit is None:
                continue
            alias, end = hit
            out.append(EntitySpan(start=start, end=end, type=alias.entry.type,
                                  text=text[start:end], canonical=alias.entry.id))
            resume = end
        return out

    def _match_at(self, text: str, low: str, first: re.Match[str]) -> tuple[_Alias, int] | None:
        word = first.group()
        best: tuple[_Alias, int] | None = None
        best_words = 0
        for cut in range(min(_MAX_SUFFIX, len(word) - 1) + 1):
            for alias in self._by_stem.get(word[: len(word) - cut], ()):
                if len(alias.words) <= best_words:
                    continue
                if alias.capitalised and not text[first.start()].isupper():
                    continue
                end = _match_words(text, low, first, alias)
                if end is not None:
                    best, best_words = (alias, end), len(alias.words)
        return best


def _lower(text: str) -> str:
    """Lower case with ё→е, keeping offsets (str.lower can lengthen a few letters, e.g. İ)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(ch.lower()[:1] for ch in text)
    return low.replace("ё", "е")


def _match_words(text: str, low: str, first: re.Match[str], alias: _Alias) -> int | None:
    """End offset of ``alias`` when its words follow from ``first`` on, else None."""
    m: re.Match[str] | None = first
    for k, alias_word in enumerate(alias.words):
        if k:
            gap = _GAP.match(low, m.end())  # type: ignore[union-attr]
            m = _WORD.match(low, gap.end()) if gap else None
            if m is None:
                return None
        if not alias_word.matches(text[m.start() : m.end()], m.group()):  # type: ignore[union-attr]
            return None
    return m.end()  # type: ignore[union-attr]


def _replaced_by(span: EntitySpan, g: EntitySpan) -> bool:
    """Whether gazetteer match ``g`` overrides NER span ``span`` (they overlap)."""
    if (g.start, g.end) == (span.start, span.end):
        return True
    if span.start <= g.start and g.end <= span.end:
        return False  # the match nests inside the NER span
    if g.start <= span.start and span.end <= g.end:
        return g.type == span.type  # a LOC inside a matched ORG stays; a part of one goes
    return True  # crossing boundaries: the gazetteer's are right


def link(spans: list[EntitySpan], gaz_spans: list[EntitySpan]) -> list[EntitySpan]:
    """Merge NER spans with gazetteer matches (any language).

    Where a match equals or crosses an NER span, or contains one of its type, the match wins
    (type, boundaries, canonical id). An NER span that strictly contains a match keeps its
    boundaries: of the same type it takes the match's canonical id («Касым-Жомарт Токаев» ⊃
    «Токаев»); of another type the match is added inside it (LOC «Казахстана» in ORG
    «Минобороны Казахстана»). Matches that touch no NER span are added: short mentions NER
    missed.
    """
    kept: list[EntitySpan] = []
    for span in spans:
        over = [g for g in gaz_spans if g.start < span.end and span.start < g.end]
        if any(_replaced_by(span, g) for g in over):
            continue
        same = [g for g in over if g.type == span.type]
        if same and span.canonical is None:
            span = EntitySpan(start=span.start, end=span.end, type=span.type, text=span.text,
                              canonical=same[0].canonical)
        kept.append(span)
    added = [
        g for g in gaz_spans
        if not any(k.start <= g.start and g.end <= k.end and k.type == g.type for k in kept)
    ]
    merged = kept + added
    merged.sort(key=lambda e: (e.start, -e.end, e.type))
    return merged

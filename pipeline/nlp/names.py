"""Normal forms of entity names, so that a name is counted once whatever its word form.

A Russian name is put in the nominative the way a person would cite it: the words up to and
including the head noun are inflected (``Южной Кореи`` -> ``Южная Корея``, ``Министерства
обороны РК`` -> ``Министерство обороны РК``), the genitive words after the head stay as they
are; a person's name is inflected word by word, in the gender its first name shows
(``Марии Захаровой`` -> ``Мария Захарова``). A Kazakh name loses the case ending of its last
word (``Қазақстан Республикасының`` -> ``Қазақстан Республикасы``); its possessive stays.

Names the profile knows are not normalised here: they are counted under their canonical id
and shown under the profile's name (``analyze.Analyzer``). Media outlets, news agencies and
channel signatures (``data/not_entities.txt``) are attributions, not actors: they are never
counted as entities of a piece.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pipeline.nlp.kazakh.stemmer import strip_case

NOT_ENTITIES = Path(__file__).parent / "data" / "not_entities.txt"
_SPLIT = re.compile(r"(\s+|-)")
_NAME_TAGS = {"Name", "Surn", "Patr"}


@lru_cache(maxsize=50_000)
def normal_form(text: str, etype: str, lang: str) -> str:
    """The citation form of an entity's surface text (see the module docstring); remembered,
    since names recur across articles and inflecting them costs pymorphy look-ups."""
    text = " ".join(text.split())
    if not text:
        return text
    if lang == "kk":
        words = text.split(" ")
        return " ".join([*words[:-1], strip_case(words[-1])])
    parts = _SPLIT.split(text)  # words at even indexes, separators at odd ones
    words = parts[::2]
    parts[::2] = _person(words) if etype == "PER" else _phrase(words)
    return "".join(parts)


# Short and long names of the same body, so that both count as one (keys only).
_KEY_SYNONYMS = (
    (re.compile(r"^минобороны\b"), "министерство обороны"),
    (re.compile(r"^мид\b"), "министерство иностранных дел"),
    (re.compile(r"^генштаб\b"), "генеральный штаб"),
    (re.compile(r"^вс\b"), "вооруженные силы"),
    (re.compile(r"\bрк$"), "республики казахстан"),
    (re.compile(r"\bрф$"), "российской федерации"),
)


def key_of(text: str, etype: str, lang: str) -> str:
    """The storage key of an entity no profile entry names: type and normal form, lower
    case, ё as е, with short names of bodies spelled out (Минобороны = Министерство обороны)."""
    key = normal_form(text, etype, lang).lower().replace("ё", "е")
    if lang == "ru":
        for pattern, full in _KEY_SYNONYMS:
            key = pattern.sub(full, key)
    return f"{etype}:{key}"[:200]


@lru_cache(maxsize=1)
def not_entities() -> frozenset[str]:
    """Lower-cased names that are never entities (outlets, agencies, channel signatures)."""
    lines = NOT_ENTITIES.read_text(encoding="utf-8").splitlines()
    return frozenset(" ".join(ln.split("#", 1)[0].split()).lower() for ln in lines
                     if ln.split("#", 1)[0].strip())


# ---- Russian ----------------------------------------------------------------------------

@lru_cache(maxsize=50_000)
def _parses(word: str) -> tuple:
    import pymorphy2

    from pipeline.nlp.russian.models import morph_vocab

    # natasha's MorphVocab is a pymorphy2 analyser whose parse() returns natasha records;
    # the original parse objects are needed to inflect.
    return tuple(pymorphy2.MorphAnalyzer.parse(morph_vocab(), word))


def _keep_as_is(word: str) -> bool:
    return (not re.fullmatch(r"[А-Яа-яЁё]+", word) or word.isupper() or len(word) < 3)


def _cased(new: str, old: str) -> str:
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _nominative(parse, *, plural: bool | None = None) -> str | None:
    number = "plur" if (plural if plural is not None else "plur" in parse.tag) else "sing"
    grams = {"Nom", "Plur" if number == "plur" else "Sing"}
    try:
        form = parse.inflect(grams) or parse.inflect({"Nom"})
    except (KeyError, ValueError):
        return None
    return form.word if form else None


def _phrase(words: list[str]) -> list[str]:
    """Inflect the words up to the head noun, in the head's case, to the nominative."""
    head = case = None
    for i, w in enumerate(words):
        if _keep_as_is(w):
            if i == 0:
                return words  # "ВС РК", "НАТО": abbreviations and foreign names stay
            break
        nouns = [p for p in _parses(w) if p.tag.POS == "NOUN"]
        if nouns:
            if "Fixd" in nouns[0].tag:
                return words  # an indeclinable head ("Минобороны Беларуси") is cited as is
            head, case = i, nouns[0].tag.case
            break
    if head is None or case == "nomn":
        return words
    out = list(words)
    for i in range(head + 1):
        fits = [p for p in _parses(words[i]) if p.tag.case == case
                and p.tag.POS in ("NOUN", "ADJF", "PRTF")]
        if not fits:
            return words  # not one agreeing phrase: leave the name as written
        new = _nominative(fits[0])
        if new:
            out[i] = _cased(new, words[i])
    return out


def _person(words: list[str]) -> list[str]:
    """Inflect each part of a person's name, in the gender of the first name when known."""
    gender = None
    for w in words:
        names = [p for p in _parses(w) if "Name" in p.tag and "plur" not in p.tag
                 and p.tag.gender in ("masc", "femn")]
        if names:
            gender = names[0].tag.gender
            break
    out = []
    for w in words:
        if _keep_as_is(w):
            out.append(w)
            continue
        parses = [p for p in _parses(w)
                  if _NAME_TAGS & set(p.tag.grammemes) and "plur" not in p.tag]
        if gender:
            parses = [p for p in parses
                      if p.tag.gender in (gender, None) or "ms-f" in p.tag] or parses
        if not parses or any(p.tag.case == "nomn" for p in parses):
            out.append(w)  # already a nominative (or not a known name part)
            continue
        new = _nominative(parses[0], plural=False)
        out.append(_cased(new, w) if new else w)
    return out


# ---- evidence terms -----------------------------------------------------------------------

_KK_LETTERS = frozenset("әғқңөұүһі")


def term_key(term: str) -> str:
    """One key per evidence term whatever its word forms: each word lower-cased and reduced
    to its lemma (Russian) or stem (Kazakh), so that ``встрече`` and ``встречи`` are one."""
    from pipeline.nlp.kazakh.stemmer import stem

    words = term.lower().replace("ё", "е").split()
    out = []
    for w in words:
        if _KK_LETTERS & set(w):
            out.append(stem(w))
        elif re.fullmatch(r"[а-я]+", w):
            parses = _parses(w)
            out.append(parses[0].normal_form.replace("ё", "е") if parses else w)
        else:
            out.append(w)
    return " ".join(out)


def is_name_like(term: str) -> bool:
    """A term worth announcing as new: a phrase, a capitalised name, or a model designation
    (``ядерный зонтик``, ``Орешник``, ``A400M``), not one common word (``участвовать``)."""
    words = term.split()
    return len(words) > 1 or term[:1].isupper() or bool(re.search(r"[0-9A-Za-z]", term))

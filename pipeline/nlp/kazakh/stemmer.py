"""A conservative suffix-stripping stemmer for Kazakh.

Kazakh inflection stacks on the stem in a fixed order: stem + plural + possessive + case.
We peel the layers from the outside in (case, then possessive, then plural), at most one suffix
per layer, and accept a suffix only when its allomorph fits the sound it follows (e.g. ``тың``
only after a voiceless consonant, ``ның`` only after a vowel or nasal, ``на``/``н`` only after
a 3rd-person possessive). That check, plus a minimum stem length, is what keeps names and
Russian loanwords usable (Түркиямен -> түркия, Ұлыбританияның -> ұлыбритания) and stops
words that merely end like a suffix from being cut (Астана, әскери, ынтымақтастық).

Derivational suffixes (-лық, -шы, -ім ...) are never stripped: they make new words, and
``келісім`` must not become ``келіс``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

VOWELS = frozenset("аәеёиоөуұүыіэюя")
_VOICELESS = frozenset("кқпстфхһцчшщ")
# Russian loanwords ending in б в г д are devoiced in Kazakh: Тоқаевтың, Петербургте.
_DEVOICED = frozenset("бвгд")
_NASAL = frozenset("мнң")
_VOICED = frozenset("жзлрйуғ")  # and vowels; у/й behave as glides

# Contexts: what the stem left after stripping must end with for the allomorph to be right.
V, NAS, VCD, VLS, POSS3 = "V", "NAS", "VCD", "VLS", "POSS3"


def _context(stem: str) -> set[str]:
    """The phonological classes of the stem's last letter (a letter may be in several)."""
    last = stem[-1]
    out: set[str] = set()
    if last in VOWELS:
        out.add(V)
    if last in _NASAL:
        out.add(NAS)
    if last in _VOICED or last in _NASAL:
        out.add(VCD)
    if last in _VOICELESS or last in _DEVOICED:
        out.add(VLS)
    if last in _DEVOICED:
        out.add(VCD)
    if stem.endswith(("ы", "і")):
        out.add(POSS3)
    return out


# (suffix, contexts it may follow). Longest suffixes are tried first.
_CASE: tuple[tuple[str, frozenset[str]], ...] = (
    # locative-attributive (Қазақстандағы, Ирандағы)
    *((s, frozenset({V, VCD})) for s in ("дағы", "дегі")),
    *((s, frozenset({VLS})) for s in ("тағы", "тегі")),
    *((s, frozenset({POSS3})) for s in ("ндағы", "ндегі")),
    # instrumental: мен after vowels and nasals, бен after ж з, пен after voiceless
    ("менен", frozenset({V, NAS, VCD})),
    ("мен", frozenset({V, NAS, VCD})),
    ("бен", frozenset({VCD})),
    ("пен", frozenset({VLS})),
    # genitive
    *((s, frozenset({V, NAS})) for s in ("ның", "нің")),
    *((s, frozenset({VCD})) for s in ("дың", "дің")),
    *((s, frozenset({VLS})) for s in ("тың", "тің")),
    # ablative
    *((s, frozenset({V, VCD})) for s in ("дан", "ден")),
    *((s, frozenset({NAS, POSS3})) for s in ("нан", "нен")),
    *((s, frozenset({VLS})) for s in ("тан", "тен")),
    # locative
    *((s, frozenset({POSS3})) for s in ("нда", "нде")),
    *((s, frozenset({V, VCD})) for s in ("да", "де")),
    *((s, frozenset({VLS})) for s in ("та", "те")),
    # dative
    *((s, frozenset({V, VCD})) for s in ("ға", "ге")),
    *((s, frozenset({VLS})) for s in ("қа", "ке")),
    *((s, frozenset({POSS3})) for s in ("на", "не")),
    # accusative (also the past tense of verbs: кездесті -> кездес, which is the verb stem)
    *((s, frozenset({V})) for s in ("ны", "ні")),
    *((s, frozenset({VCD})) for s in ("ды", "ді")),
    *((s, frozenset({VLS})) for s in ("ты", "ті")),
    ("н", frozenset({POSS3})),
)

_POSSESSIVE: tuple[tuple[str, frozenset[str]], ...] = (
    *((s, frozenset({V, NAS, VCD, VLS})) for s in ("ымыз", "іміз", "ыңыз", "іңіз")),
    *((s, frozenset({V})) for s in ("мыз", "міз", "ңыз", "ңіз")),
    *((s, frozenset({V})) for s in ("сы", "сі")),
    # 1st/2nd singular (ым, ың) are left alone: rare in news, and -ім/-ым is also a
    # derivational ending (келісім, білім) that must stay.
    *((s, frozenset({NAS, VCD, VLS})) for s in ("ы", "і")),
)

_PLURAL: tuple[tuple[str, frozenset[str]], ...] = (
    *((s, frozenset({V})) for s in ("лар", "лер")),
    # after р й у the plural is лар; after л м н ң з ж it is дар
    *((s, frozenset({VCD})) for s in ("лар", "лер", "дар", "дер")),
    *((s, frozenset({VLS})) for s in ("тар", "тер")),
)

# Words that end like a possessive/case suffix but are not inflected forms. Kept short on
# purpose: frequent news words only, where cutting would hurt matching.
_KEEP = frozenset(
    {
        "алматы",
        "қарағанды",
        "жақсы",
        "алты",
        "жеті",
        "ірі",
        "ескі",
        "тиісті",
        "қажетті",
        "басты",
        "туралы",
        "арқылы",
        "сияқты",
        "қарсы",
        "бірге",
        "басқа",
        "ұлы",
        "барысында",
        "қарулы",
        "бұлар",
    }
)

_LONG_POSSESSIVES = frozenset({"ымыз", "іміз", "ыңыз", "іңіз"})

MIN_STEM = 3  # letters left after any strip
_MIN_STEM_SHORT_SUFFIX = 4  # after a one-letter suffix (ы, і, н), which is easy to misread

# Intervocalic voicing made by a vowel-initial suffix: министрлік -> министрлігі. Undone
# when such a suffix is removed so both forms share a stem. Not б -> п: Russian loans end in б.
_UNVOICE = {"ғ": "қ", "г": "к"}

_BACK = frozenset("аоұыяё")
_FRONT = frozenset("әеөүіэи")
_NEUTRAL_SUFFIXES = frozenset({"мен", "менен", "бен", "пен"})  # one form for both harmonies


def _harmony_ok(stem: str, suffix: str) -> bool:
    """False when a suffix vowel clashes with the stem's last two vowels.

    Loanwords break harmony often (Тоқаевтың, Парижге), so one of the last two vowels of the
    stem agreeing is enough; only a clear clash rejects.
    """
    if suffix in _NEUTRAL_SUFFIXES:
        return True
    suffix_vowels = [c for c in suffix if c in _BACK or c in _FRONT]
    stem_vowels = [c for c in stem if c in _BACK or c in _FRONT]
    if not suffix_vowels or not stem_vowels:
        return True
    s_back = suffix_vowels[0] in _BACK
    return any(s_back == (v in _BACK) for v in stem_vowels[-2:])


def _has_vowel(s: str) -> bool:
    return any(c in VOWELS for c in s)


def _strip_one(word: str, table: tuple[tuple[str, frozenset[str]], ...]) -> str | None:
    for suffix, contexts in sorted(table, key=lambda x: -len(x[0])):
        if not word.endswith(suffix):
            continue
        stem = word[: -len(suffix)]
        need = _MIN_STEM_SHORT_SUFFIX if len(suffix) == 1 else MIN_STEM
        if suffix in _LONG_POSSESSIVES or table is _PLURAL:
            need = 2  # еліміз, елдер -> ел: these suffixes are long enough to be unambiguous
        if len(stem) < need or not _has_vowel(stem):
            continue
        if suffix in ("тан", "тен") and stem.endswith("с"):
            continue  # Қазақстан, Өзбекстан are names, not ablatives
        if suffix in ("сы", "сі") and stem.endswith(("ы", "і")):
            continue  # қорғанысы is қорғаныс + ы (deverbal -ыс), not қорғаны + сы
        if not _harmony_ok(stem, suffix) or not (_context(stem) & contexts):
            continue
        if suffix == "н":
            # accusative -н follows a possessive: the possessive must strip too
            inner = _strip_one(stem, _POSSESSIVE)
            if inner is None or len(inner) < _MIN_STEM_SHORT_SUFFIX:
                continue
        if suffix[0] in VOWELS and stem[-1] in _UNVOICE:
            stem = stem[:-1] + _UNVOICE[stem[-1]]
        return stem
    return None


def _strip(word: str) -> str:
    if word in _KEEP:
        return word
    for table in (_CASE, _POSSESSIVE, _PLURAL):
        shorter = _strip_one(word, table)
        if shorter is not None:
            word = shorter
            if word in _KEEP:
                break
    return word


def _is_inflection(part: str) -> bool:
    """True for a hyphenated ending such as НАТО-ның, ҰҚШҰ-ға, АҚШ-тың."""
    if not part:
        return False
    suffixes = {s for table in (_CASE, _POSSESSIVE, _PLURAL) for s, _ in table}
    rest = part
    while rest:
        for s in sorted(suffixes, key=len, reverse=True):
            if rest.endswith(s):
                rest = rest[: -len(s)]
                break
        else:
            return False
    return True


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Lower-cased stem of one Kazakh word; words that are not Kazakh are only lower-cased."""
    w = unicodedata.normalize("NFC", word).lower().replace("ё", "е")
    w = w.replace("’", "'").replace("ʼ", "'")
    if "-" in w:
        head, _, tail = w.rpartition("-")
        if head and _is_inflection(tail):
            return head
        if head:
            return f"{head}-{_strip(tail)}" if len(tail) > MIN_STEM else w
    if not w.isalpha():
        return w
    return _strip(w)


def strip_case(word: str) -> str:
    """``word`` without its case ending, as written otherwise (Қазақстанның -> Қазақстан,
    Республикасының -> Республикасы, НАТО-ның -> НАТО): the citation form of a name."""
    if "-" in word:
        head, _, tail = word.rpartition("-")
        if head and _is_inflection(tail.lower()):
            return head
    low = unicodedata.normalize("NFC", word).lower().replace("ё", "е")
    if low in _KEEP or not low.isalpha():
        return word
    shorter = _strip_one(low, _CASE)
    if shorter is None or len(shorter) > len(word):
        return word
    # The stem may end unvoiced (ғ -> қ) where the suffix followed: keep the stem's letter.
    tail = shorter[-1]
    kept = word[: len(shorter)]
    return kept if kept[-1].lower() == tail else kept[:-1] + (tail.upper() if kept[-1].isupper() else tail)

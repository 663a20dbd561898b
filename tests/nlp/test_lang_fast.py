"""The letter classes of ``lang`` are written out in both cases (no re.IGNORECASE, which is three
times as slow on a sample): each must match exactly what its lower-case form matches ignoring
case, over every code point."""

from __future__ import annotations

import re

import pytest

from pipeline.nlp import lang

# name -> the lower-case class it stands for, as it was written with re.IGNORECASE
CLASSES = {
    "_KK_LETTERS": "[әғқңөұүһ]",
    "_NOT_RU": "[іїєґўђјљњћџѓќѕ]",
    "_CYRILLIC_OR_KK": "[а-яёәғқңөұүһ]",
    "_NOT_RU_KK": "[ҷӣӯҳҡҙҫҗўїєґђјљњћџѓќѕ]",
    "_KK_OWN": "[іұ]",
    "_KK_QG": "[қғ]",
    "_RU_ONLY": "[ыэ]",
}
DOUBLED = "аоуэөүы"


@pytest.fixture(scope="module")
def code_points() -> str:
    return "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_explicit_class_matches_the_case_insensitive_one(name: str, code_points: str) -> None:
    fast = getattr(lang, name)
    assert not fast.flags & re.IGNORECASE
    folded = re.compile(CLASSES[name], re.IGNORECASE)
    assert fast.findall(code_points) == folded.findall(code_points)


def test_double_vowels_in_any_case(code_points: str) -> None:
    # every character that some doubled vowel accepts, ignoring case ...
    accepted = "".join(c for c in code_points if re.fullmatch(f"[{DOUBLED}]", c, re.IGNORECASE))
    folded = re.compile("(" + "|".join(v + v for v in DOUBLED) + ")", re.IGNORECASE)
    # ... paired with every other and with a few letters that are not vowels
    pool = accepted + "аеяАЕЯбвzZ "
    for a in pool:
        for b in pool:
            pair = a + b
            assert bool(lang._DOUBLE_VOWEL.search(pair)) == bool(folded.search(pair)), pair


def test_counts_skip_absent_letters() -> None:
    words = ["Қазақстан", "и", "Россия", "ынтымақтастық"]
    sample = " ".join(words)
    assert lang._count(lang._KK_LETTERS, words, sample) == 2
    assert lang._count(lang._NOT_RU_KK, words, sample) == 0
    assert lang._count(lang._DOUBLE_VOWEL, ["маалымат", "кооперация", "мир"],
                       "маалымат кооперация мир") == 2


@pytest.mark.parametrize("words", [
    ["маалымат", "кооперация", "мир"],
    ["МААЛЫМАТ", "КООПЕРАЦИЯ", "Мир"],
    ["мАалымат", "кОᲂперация", "ᲂᲂ", "тааатаа"],
    ["байгууллаа", "күтүлүүдө", "ыыы", "эЭ", "өӨ", "Үү"],
    ["нет", "двойных", "гласных", "ао", "уэ"],
])
def test_doubled_counts_as_the_regex(words: list[str]) -> None:
    sample = " ".join(words)
    counted = len([w for w in words if lang._DOUBLE_VOWEL.search(w)])
    for at_least in (0, 1, 2, 3, 4, 5, 2.4):
        assert lang._doubled(words, sample, at_least) == (counted >= at_least), at_least

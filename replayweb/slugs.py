"""URL slugs and site sections, as Russian and Kazakh CMSs make them (transliterated titles)."""

from __future__ import annotations

import re
from typing import Protocol

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh letters
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Turkish letters in company names
    "ş": "s", "ı": "i", "ç": "c", "ğ": "g", "ö": "o", "ü": "u",
}

_SECTIONS = {
    "ru": {"economy": "economy", "oil": "economy", "sport": "sport", "weather": "society",
           "society": "society", "domestic_mil": "incidents", "foreign_def": "world"},
    "kk": {"economy": "ekonomika", "sport": "sport", "weather": "qogam",
           "domestic_mil": "qogam", "foreign_def": "alem"},
}


class _HasTopic(Protocol):
    lang: str
    bank: str
    relevant: bool


def slugify(title: str, words: int = 7) -> str:
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in title.lower())
    parts = re.findall(r"[a-z0-9]+", latin)
    return "-".join(parts[:words]) or "news"


def section_of(piece: _HasTopic) -> str:
    if piece.relevant:
        return "sayasat" if piece.lang == "kk" else "politics"
    return _SECTIONS[piece.lang].get(piece.bank, "news")

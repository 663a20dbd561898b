"""Language identification: ru / kk / other.

lingua restricted to the languages we meet (Kazakh, Russian, English, plus a few neighbours
whose Cyrillic or Latin text would otherwise be forced into ru/kk). Kazakh-only letters
settle the close calls, since a Russian article full of Kazakh names must stay Russian and a
Kazakh article quoting Russian titles must stay Kazakh.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

_KK_LETTERS = re.compile(r"[әғқңөұүһ]", re.IGNORECASE)  # Kazakh only
# Letters Russian lacks but Kazakh, Ukrainian, Belarusian, Serbian or Macedonian use: their
# presence sends a text without Kazakh-only letters to the model instead of the Russian path.
_NOT_RU = re.compile(r"[іїєґўђјљњћџѓќѕ]", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Only Cyrillic words reach the model (a mostly Latin text is "other" before it), so the
# candidates are the Cyrillic-script languages lingua knows.
_LANGS = (Language.RUSSIAN, Language.KAZAKH, Language.UKRAINIAN, Language.BELARUSIAN,
          Language.BULGARIAN, Language.SERBIAN, Language.MACEDONIAN, Language.MONGOLIAN)
_CODES = {Language.RUSSIAN: "ru", Language.KAZAKH: "kk"}
# Only this much text is looked at: the language of a news piece is clear from its start,
# and lingua's cost grows with length.
_SAMPLE_CHARS = 1500
# The model sees at most about this many Cyrillic words, spread evenly over the sample: its
# cost grows with length, and a mixed text keeps its mix.
_MODEL_WORDS = 40


@lru_cache(maxsize=1)
def _pair_detector():
    return LanguageDetectorBuilder.from_languages(Language.RUSSIAN, Language.KAZAKH) \
        .with_low_accuracy_mode().with_preloaded_language_models().build()


@lru_cache(maxsize=1)
def _detector():
    # Low-accuracy mode (trigrams only) holds ~30 MB instead of ~220 MB; it decides only the
    # texts the letter statistics above leave open, and makes no error on the dev sets.
    return LanguageDetectorBuilder.from_languages(*_LANGS).with_low_accuracy_mode() \
        .with_preloaded_language_models().build()


def load_models() -> None:
    """Load the language models now (about 0.1 s), not inside the first article that needs
    them."""
    _pair_detector()
    _detector()


def detect(text: str, title: str = "") -> str:
    """Return "ru", "kk" or "other" for an article's title and text."""
    sample = f"{title}\n{text}"[:_SAMPLE_CHARS]
    words = _WORD.findall(sample)
    if not words:
        return "other"
    cyr_words = [w for w in words if _CYRILLIC.search(w) or _KK_LETTERS.search(w)]
    if len(cyr_words) < 0.3 * len(words):
        # Mostly Latin script: neither Russian nor (Cyrillic) Kazakh news.
        return "other"
    kk_words = sum(1 for w in cyr_words if _KK_LETTERS.search(w))
    share = kk_words / len(cyr_words)
    # Kazakh running text has a Kazakh-specific letter in roughly every third word; Russian
    # text with Kazakh names has very few. Between the two, ask the model.
    if share >= 0.1:
        return "kk"
    # Cyrillic with no letter foreign to Russian is Russian or Kazakh: a long text is Russian,
    # a short one is put to the model as Russian-or-Kazakh only, since with all Cyrillic
    # languages it takes short Russian headlines for Bulgarian («Apple и Samsung нарушали
    # патенты друг друга»). Bulgarian news is outside what is monitored.
    if share < 0.02 and not _NOT_RU.search(sample):
        if len(cyr_words) >= 8:
            return "ru"
        found = _pair_detector().detect_language_of(" ".join(cyr_words))
        return _CODES.get(found, "ru")
    step = -(-len(cyr_words) // _MODEL_WORDS)  # ceil: every step-th word
    found = _detector().detect_language_of(" ".join(cyr_words[::step]))
    return _CODES.get(found, "other")

"""Language identification: ru / kk / other.

lingua restricted to the languages we meet (Kazakh, Russian, English, plus a few neighbours
whose Cyrillic or Latin text would otherwise be forced into ru/kk). Kazakh-only letters
settle the close calls, since a Russian article full of Kazakh names must stay Russian and a
Kazakh article quoting Russian titles must stay Kazakh.

The region's other Cyrillic languages share letters with Kazakh (ө ү ң in Kyrgyz and
Mongolian, ә ө ү ң һ in Tatar and Bashkir, қ ғ in Uzbek and Tajik) and lingua knows none of
Kyrgyz, Tajik, Tatar, Bashkir or Uzbek: their own letters (ҷ ӣ ӯ ҳ, ҡ ҙ ҫ, җ, ў), the
doubled vowels of Kyrgyz and Mongolian, and Kazakh's own і and ұ tell them apart. Measured
on tests/nlp/lang_set.py (short written texts in 13 languages).
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

# The letter classes below are written out in both cases instead of with re.IGNORECASE, which
# costs the engine a case fold per character of the sample (three times as slow); each class
# holds exactly the characters the lower-case one matches ignoring case, Cyrillic's old
# lower-case variants (ᲀ-ᲆ) included (tests/nlp/test_lang_fast.py checks every code point).
_KK_LETTERS = re.compile(r"[ҒғҚқҢңҮүҰұҺһӘәӨө]")  # Kazakh only: ә ғ қ ң ө ұ ү һ
# Letters Russian lacks but Kazakh, Ukrainian, Belarusian, Serbian or Macedonian use: their
# presence sends a text without Kazakh-only letters to the model instead of the Russian path
# (і ї є ґ ў ђ ј љ њ ћ џ ѓ ќ ѕ).
_NOT_RU = re.compile(r"[ЂЃЄЅІЇЈЉЊЋЌЎЏђѓєѕіїјљњћќўџҐґ]")
# A Russian (а-я, ё) or a Kazakh letter: what makes a word Cyrillic here.
_CYRILLIC_OR_KK = re.compile(r"[ЁА-яёᲀ-ᲆҒғҚқҢңҮүҰұҺһӘәӨө]")
# Letters neither Russian nor Kazakh has: Tajik ҷ ӣ ӯ ҳ, Bashkir ҡ ҙ ҫ, Tatar җ, Uzbek and
# Belarusian ў, Ukrainian ї є ґ, Serbian and Macedonian ђ ј љ њ ћ џ ѓ ќ ѕ.
_NOT_RU_KK = re.compile(r"[ЂЃЄЅЇЈЉЊЋЌЎЏђѓєѕїјљњћќўџҐґҖҗҘҙҠҡҪҫҲҳҶҷӢӣӮӯ]")
# Kazakh's own among the Turkic Cyrillic alphabets: і and ұ (Kyrgyz, Mongolian, Tatar,
# Bashkir, Uzbek and Tajik have neither).
_KK_OWN = re.compile(r"[ІіҰұ]")
_KK_QG = re.compile(r"[ҒғҚқ]")  # қ ғ
_LATE_AE = re.compile(r"[аеёиоуыэюяәөүі][^\W\d_аеёиоуыэюяәөүі]*ә", re.IGNORECASE)
# Long vowels written double (аа оо уу ээ өө үү ыы, in any case): Kyrgyz (маалымат,
# күтүлүүдө) and Mongolian (байгууллаа); Kazakh never doubles a vowel, Russian rarely
# (кооперация) and not in many words.
_DOUBLE_VOWEL = re.compile(r"(?:[Аа][Аа]|[Ооᲂ][Ооᲂ]|[Уу][Уу]|[Ээ][Ээ]|[Өө][Өө]|[Үү][Үү]"
                           r"|[Ыы][Ыы])")
# Bulgarian's ъ as a vowel (във, съд, -ът); in Russian ъ stands only before е ё ю я.
_BG_HARD_SIGN = re.compile(r"ъ(?![еёюя])", re.IGNORECASE)
_RU_ONLY = re.compile(r"[ЫЭыэ]")  # ы э
# Bulgarian and Macedonian: postposed articles (-ата, -ите, -ът...) and small words Russian
# lacks (се, ще, са, беше, дека...).
_SOUTH_SLAVIC_END = re.compile(r"\w{2,}(?:ата|ята|ото|ето|ите|ът|ят)$", re.IGNORECASE)
_SOUTH_SLAVIC_WORDS = frozenset(["се", "ще", "са", "е", "беше", "бяха", "във", "със", "към", "ги", "ја", "од", "дека", "што", "че", "ќе", "сме", "сте"])
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


def _south_slavic(words: list[str]) -> bool:
    low = [w.lower() for w in words]
    if _BG_HARD_SIGN.search(" ".join(low)):
        return True
    marked = sum(1 for w in low if w in _SOUTH_SLAVIC_WORDS or _SOUTH_SLAVIC_END.search(w))
    return marked >= max(1, 0.15 * len(low))


def _count(pattern: re.Pattern[str], words: list[str], sample: str) -> int:
    """How many of ``words`` (all taken from ``sample``) ``pattern`` finds something in."""
    if pattern.search(sample) is None:
        return 0
    return len(list(filter(pattern.search, words)))


_DOUBLES = ("аа", "оо", "уу", "ээ", "өө", "үү", "ыы")


def _doubled(words: list[str], sample: str, at_least: float) -> bool:
    """Do at least ``at_least`` of ``words`` (all from ``sample``) double a vowel?

    Counted by substring search on the lower-cased sample first (ᲂ is the old form of о,
    which re.IGNORECASE equates with it): every such word holds at least one of these
    occurrences, so too few occurrences settle it without looking at any word."""
    low = sample.lower()
    if "ᲂ" in low:
        low = low.replace("ᲂ", "о")
    if sum(low.count(d) for d in _DOUBLES) < at_least:
        return False
    return len(list(filter(_DOUBLE_VOWEL.search, words))) >= at_least


def detect(text: str, title: str = "") -> str:
    """Return "ru", "kk" or "other" for an article's title and text."""
    sample = f"{title}\n{text}"[:_SAMPLE_CHARS]
    words = _WORD.findall(sample)
    if not words:
        return "other"
    # Words are counted by filters that run in C; a letter absent from the whole sample is
    # absent from every word, so most texts skip most counts.
    cyr_words = list(filter(_CYRILLIC_OR_KK.search, words))
    if len(cyr_words) < 0.3 * len(words):
        # Mostly Latin script: neither Russian nor (Cyrillic) Kazakh news.
        return "other"
    foreign = _count(_NOT_RU_KK, cyr_words, sample)
    if foreign >= max(1, 0.03 * len(cyr_words)):
        # Letters of neither Russian nor Kazakh in more than a stray quoted name.
        return "other"
    if _doubled(cyr_words, sample, max(2, 0.12 * len(cyr_words))):
        return "other"  # Kyrgyz or Mongolian long vowels
    kk_words = _count(_KK_LETTERS, cyr_words, sample)
    share = kk_words / len(cyr_words)
    # Kazakh running text has a Kazakh-specific letter in roughly every third word; Russian
    # text with Kazakh names has very few. Between the two, ask the model.
    if share >= 0.1:
        # ... but those letters are shared with Kyrgyz, Mongolian (ө ү ң) and Tatar (ә ө ү ң
        # һ): Kazakh shows its own і or ұ, or қ ғ, which those three lack. Uzbek or Tajik
        # text without its own letters (only қ ғ) cannot be told from Kazakh here.
        joined = " ".join(cyr_words)
        if _KK_OWN.search(joined):
            return "kk"
        ends_i = sum(1 for w in cyr_words if w.lower().endswith("и"))
        if _KK_QG.search(joined):
            # Uzbek (and Tajik) words end in -и where Kazakh has -ы/-і: янги, қилди.
            return "other" if ends_i >= max(2, 0.2 * len(cyr_words)) else "kk"
        # Only ә ң ө ү һ: Kazakh in a short sentence, or Tatar (Bashkir), which put ә after
        # the first syllable (мәктәп, хөкүмәт) where Kazakh writes е (мектеп, үкімет); or
        # Kyrgyz or Mongolian, which double their long vowels even once here.
        tatar = _LATE_AE.search(joined)
        return "other" if tatar or _DOUBLE_VOWEL.search(joined) else "kk"
    # Cyrillic with no letter foreign to Russian is Russian or Kazakh: a long text is Russian,
    # a short one is put to the model as Russian-or-Kazakh only, since with all Cyrillic
    # languages it takes short Russian headlines for Bulgarian («Apple и Samsung нарушали
    # патенты друг друга»). Bulgarian news is outside what is monitored.
    if share < 0.02 and not _NOT_RU.search(sample):
        if not _RU_ONLY.search(sample) and _south_slavic(cyr_words):
            # No ы or э, and Bulgarian or Macedonian articles and small words: the full
            # model decides (it knows both).
            step = -(-len(cyr_words) // _MODEL_WORDS)
            found = _detector().detect_language_of(" ".join(cyr_words[::step]))
            return _CODES.get(found, "other")
        if len(cyr_words) >= 8:
            return "ru"
        found = _pair_detector().detect_language_of(" ".join(cyr_words))
        if found == Language.KAZAKH and kk_words == 0:
            return "other"  # "Kazakh" without one Kazakh letter: a Kyrgyz-like sentence
        return _CODES.get(found, "ru")
    step = -(-len(cyr_words) // _MODEL_WORDS)  # ceil: every step-th word
    found = _detector().detect_language_of(" ".join(cyr_words[::step]))
    return _CODES.get(found, "other")

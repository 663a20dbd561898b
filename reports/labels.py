"""Display names of the things a digest counts: topics, partners, languages, outlet groups.

Topic and partner names come from the seed profile (which has en/ru/kk names); the digest
library does not load the profile itself, the caller passes ``labels_from_profile(...)``, so
that building a digest stays a pure function of the database and the settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GROUPS = {
    "en": {"kz_state": "Kazakh state", "kz_independent": "Kazakh independent",
           "ru_state": "Russian state", "ru_nationalist": "Russian nationalist",
           "international": "International", "telegram": "Telegram"},
    "ru": {"kz_state": "Казахстанские государственные", "kz_independent": "Казахстанские независимые",
           "ru_state": "Российские государственные", "ru_nationalist": "Российские националистические",
           "international": "Международные", "telegram": "Telegram"},
}
LANGS = {
    "en": {"kk": "Kazakh", "ru": "Russian", "en": "English", "other": "other"},
    "ru": {"kk": "казахский", "ru": "русский", "en": "английский", "other": "другие"},
}


@dataclass(frozen=True, kw_only=True)
class Labels:
    language: str = "en"
    topics: dict[str, str] = field(default_factory=dict)
    partners: dict[str, str] = field(default_factory=dict)
    outlets: dict[str, str] = field(default_factory=dict)

    def name(self, kind: str, key: str) -> str:
        """The display name of series ``(kind, key)``; unknown keys show as themselves."""
        lang = self.language if self.language in GROUPS else "en"
        if kind == "all":
            return "all relevant coverage" if lang == "en" else "вся релевантная повестка"
        table: dict[str, str] = {
            "topic": self.topics, "partner": self.partners, "outlet": self.outlets,
            "group": GROUPS[lang], "lang": LANGS[lang],
        }.get(kind, {})
        return table.get(key, key)

    def with_outlets(self, outlets: dict[str, str]) -> Labels:
        return Labels(language=self.language, topics=self.topics, partners=self.partners,
                      outlets={**outlets, **self.outlets})


def labels_from_profile(profile: Any, language: str) -> Labels:
    """Names in the digest's language from a ``pipeline.profile.Profile``."""

    def pick(names: Any) -> str:
        return getattr(names, language, None) or names.en

    return Labels(language=language,
                  topics={t.id: pick(t.names) for t in profile.topics},
                  partners={p.id: pick(p.names) for p in profile.partners})

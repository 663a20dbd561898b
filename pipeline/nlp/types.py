"""The project's own records for language analysis; no third-party type leaks past ``nlp``."""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_TYPES = ("PER", "LOC", "ORG")


@dataclass(frozen=True, slots=True, kw_only=True)
class Token:
    start: int
    end: int
    text: str
    lemma: str  # Russian: natasha lemma; Kazakh: stem; always lower case
    pos: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EntitySpan:
    start: int
    end: int
    type: str  # PER | LOC | ORG
    text: str
    canonical: str | None = None  # the seed profile's entity id, when linked


@dataclass(frozen=True, slots=True, kw_only=True)
class GazetteerEntry:
    """One entity of the seed profile, as the NER correctors need it."""

    id: str  # canonical id, e.g. "CSTO", "KAZ", "tokayev"
    type: str  # PER | LOC | ORG
    aliases: tuple[str, ...] = field(default_factory=tuple)  # surface forms, any language


@dataclass(slots=True, kw_only=True)
class Parsed:
    """A text after language analysis: what the later scoring stages read."""

    text: str
    lang: str
    sentences: list[Sentence]
    tokens: list[Token]
    entities: list[EntitySpan]

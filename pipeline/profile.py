"""The seed profile: topics, entities, partners and term lists that the analysis matches.

The profile is hand-curated YAML (``seeds/profile.yaml``) reviewed by analysts in a diff, so
loading is strict: an unknown key, a duplicate id, an empty alias list or a dangling reference
is refused with a message that names the place to fix. ``Profile.version`` is a hash of the
normalised content, so every stored analysis can say which profile produced it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.nlp.types import ENTITY_TYPES, GazetteerEntry
from pipeline.yamlio import load_yaml

LANGS = ("ru", "kk", "en")
TERM_LISTS = (
    "defence_terms",
    "international_defence_terms",
    "relation_terms",
    "domestic_military_terms",
    "foreign_war_terms",
    "foreign_terms",
)
# Optional lists (an empty list when absent).
OPTIONAL_TERM_LISTS = ("civil_terms",)
FRAMINGS = ("alarm", "cooperative")
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "seeds" / "profile.yaml"

# One word of a pattern: letters/digits/punctuation, then optionally `*` (any ending) or
# `(a|b|)` (one of these endings). See the header of seeds/profile.yaml.
_WORD_PATTERN = re.compile(r"^[^\s*()|]+(\*|\([^\s()*]*\))?$")


class ProfileError(ValueError):
    """The profile cannot be used as written; the message says where and what to fix."""


@dataclass(frozen=True, kw_only=True)
class Terms:
    """Surface forms or patterns, by language."""

    ru: tuple[str, ...] = ()
    kk: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def all(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for term in (*self.ru, *self.kk, *self.en):
            seen.setdefault(term, None)
        return tuple(seen)

    def by_lang(self) -> dict[str, tuple[str, ...]]:
        return {"ru": self.ru, "kk": self.kk, "en": self.en}


@dataclass(frozen=True, kw_only=True)
class Names:
    ru: str
    kk: str
    en: str


@dataclass(frozen=True, kw_only=True)
class Topic:
    id: str
    names: Names
    anchors: tuple[str, ...]  # seed document stems in the profile's folder
    partners: tuple[str, ...]  # partner ids whose mentions speak for this topic
    terms: Terms


@dataclass(frozen=True, kw_only=True)
class Entity:
    id: str
    type: str  # PER | LOC | ORG
    aliases: Terms
    home: bool = False  # Kazakhstan's own state, officials, institutions
    partner: str | None = None  # the partner this person or body stands for
    military: bool = False  # an armed force, defence ministry or arms maker: a defence matter
    # Places matched only to see where something happens (relevance); not given to the NER
    # correctors, since in real text they often begin a facility's or company's name.
    venue: bool = False


@dataclass(frozen=True, kw_only=True)
class Partner:
    id: str
    type: str
    names: Names
    aliases: Terms
    member: bool = False  # a bloc Kazakhstan belongs to
    military: bool = False  # a defence alliance: its mention is itself a defence term
    standalone: bool = False  # its security side counts without Kazakhstan being named


@dataclass(frozen=True, kw_only=True)
class Profile:
    topics: tuple[Topic, ...]
    entities: tuple[Entity, ...]
    partners: tuple[Partner, ...]
    framing: dict[str, Terms]
    defence_terms: Terms
    international_defence_terms: Terms
    relation_terms: Terms
    domestic_military_terms: Terms
    foreign_war_terms: Terms
    foreign_terms: Terms
    version: str
    civil_terms: Terms = field(default_factory=lambda: Terms())
    source: Path | None = None
    _by_id: dict[str, Entity | Partner] = field(default_factory=dict, repr=False, compare=False)

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)

    def lookup(self, some_id: str) -> Entity | Partner | None:
        return self._by_id.get(some_id)

    def anchor_path(self, anchor: str) -> Path | None:
        if self.source is None:
            return None
        return self.source.parent / f"{anchor}.txt"

    def gazetteer_entries(self) -> list[GazetteerEntry]:
        """Entities and partners as the NER correctors need them: surface forms only.

        Patterns with ``*`` or ``(...)`` are stems for the matcher, not names, so they are left
        out; every entry keeps at least its canonical names.
        """
        entries = []
        items: list[Entity | Partner] = [*self.entities, *self.partners]
        for item in items:
            if isinstance(item, Entity) and item.venue:
                continue
            aliases = [a for a in item.aliases.all() if not _is_pattern(a)]
            if isinstance(item, Partner):
                aliases += [n for n in (item.names.ru, item.names.kk, item.names.en)
                            if n not in aliases]
            entries.append(GazetteerEntry(id=item.id, type=item.type, aliases=tuple(aliases)))
        return entries


def _is_pattern(alias: str) -> bool:
    return "*" in alias or "(" in alias


@lru_cache(maxsize=8)
def _load_cached(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(f"{path}: profile file not found") from None
    return parse_profile(text, source=path)


def load_profile(path: str | Path | None = None) -> Profile:
    """Load and validate the profile at ``path`` (default ``seeds/profile.yaml``), once per
    process: the analysis of a run must not change profile half-way through."""
    if path is None:
        return _load_cached(DEFAULT_PATH)
    return _load_cached(Path(path).resolve())


def parse_profile(text: str, *, source: Path | None = None) -> Profile:
    where = str(source) if source else "profile"
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: the top level must be a mapping")
    data = _normalise(raw)
    _keys(data, where, required={"topics", "entities", "partners", "framing", *TERM_LISTS},
          optional=frozenset(OPTIONAL_TERM_LISTS))

    partners = tuple(_partner(p, f"{where}: partners[{i}]") for i, p in
                     enumerate(_list(data["partners"], f"{where}: partners")))
    entities = tuple(_entity(e, f"{where}: entities[{i}]") for i, e in
                     enumerate(_list(data["entities"], f"{where}: entities")))
    topics = tuple(_topic(t, f"{where}: topics[{i}]") for i, t in
                   enumerate(_list(data["topics"], f"{where}: topics")))
    framing_raw = data["framing"]
    if not isinstance(framing_raw, dict):
        raise ProfileError(f"{where}: framing must be a mapping of {FRAMINGS}")
    _keys(framing_raw, f"{where}: framing", required=set(FRAMINGS))
    framing = {k: _terms(framing_raw[k], f"{where}: framing.{k}", langs=("ru", "kk"))
               for k in FRAMINGS}
    lists = {k: _terms(data[k], f"{where}: {k}", langs=("ru", "kk")) for k in TERM_LISTS}
    lists |= {k: _terms(data[k], f"{where}: {k}", langs=("ru", "kk"))
              for k in OPTIONAL_TERM_LISTS if k in data}

    by_id: dict[str, Entity | Partner] = {}
    named: list[Entity | Partner] = [*partners, *entities]
    for item in named:
        if item.id in by_id:
            raise ProfileError(f"{where}: duplicate id {item.id!r} (entities and partners share "
                               "one id space)")
        by_id[item.id] = item
    partner_ids = {p.id for p in partners}
    for entity in entities:
        if entity.partner and entity.partner not in partner_ids:
            raise ProfileError(f"{where}: entity {entity.id!r} names unknown partner "
                               f"{entity.partner!r}")
    topic_ids: set[str] = set()
    for topic in topics:
        if topic.id in topic_ids:
            raise ProfileError(f"{where}: duplicate topic id {topic.id!r}")
        topic_ids.add(topic.id)
        for pid in topic.partners:
            if pid not in partner_ids:
                raise ProfileError(f"{where}: topic {topic.id!r} names unknown partner {pid!r}")
        if source is not None:
            for anchor in topic.anchors:
                if not (source.parent / f"{anchor}.txt").is_file():
                    raise ProfileError(f"{where}: topic {topic.id!r} anchor {anchor!r} has no "
                                       f"file {anchor}.txt beside the profile")
    return Profile(topics=topics, entities=entities, partners=partners, framing=framing,
                   version=profile_version(data), source=source, _by_id=by_id, **lists)


def profile_version(data: dict[str, Any]) -> str:
    """First 12 hex chars of sha256 over canonical JSON: comments, key order and layout of
    the YAML do not change it; any change of content does."""
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


def _normalise(value: Any) -> Any:
    # NFC and stripped strings, so an editor that re-encodes Cyrillic or Kazakh letters (or
    # adds stray spaces) changes neither matching nor the version.
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split())
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def _keys(d: dict[str, Any], where: str, *, required: set[str],
          optional: frozenset[str] = frozenset()) -> None:
    unknown = set(d) - required - optional
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: "
                           f"{sorted(required | optional)}")
    missing = required - set(d)
    if missing:
        raise ProfileError(f"{where}: missing key(s) {sorted(missing)}")


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ProfileError(f"{where}: must be a non-empty list")
    return value


def _id(d: dict[str, Any], where: str) -> str:
    value = d.get("id")
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", value):
        raise ProfileError(f"{where}: id must be a word of letters, digits or _ (got {value!r})")
    return value


def _type(d: dict[str, Any], where: str) -> str:
    if d.get("type") not in ENTITY_TYPES:
        raise ProfileError(f"{where}: type must be one of {ENTITY_TYPES} (got {d.get('type')!r})")
    return d["type"]


def _names(value: Any, where: str) -> Names:
    if not isinstance(value, dict):
        raise ProfileError(f"{where}: names must be a mapping of ru/kk/en")
    _keys(value, where, required=set(LANGS))
    for lang in LANGS:
        if not isinstance(value[lang], str) or not value[lang]:
            raise ProfileError(f"{where}.{lang}: empty name")
    return Names(**value)


def _terms(value: Any, where: str, *, langs: tuple[str, ...] = LANGS) -> Terms:
    if not isinstance(value, dict):
        raise ProfileError(f"{where}: must be a mapping of language -> list")
    _keys(value, where, required={"ru", "kk"}, optional=frozenset(langs) - {"ru", "kk"})
    out: dict[str, tuple[str, ...]] = {}
    for lang, items in value.items():
        if not isinstance(items, list) or not items:
            raise ProfileError(f"{where}.{lang}: empty list; give at least one term")
        for term in items:
            if not isinstance(term, str) or not term:
                raise ProfileError(f"{where}.{lang}: empty or non-text term {term!r}")
            words = term.replace("-", " ").split()
            for word in words:
                if not _WORD_PATTERN.match(word):
                    raise ProfileError(f"{where}.{lang}: bad pattern {term!r}: `*` and `(a|b)` "
                                       "may only close a word")
            # The matcher indexes patterns by the first three letters of their first word.
            if words[0].endswith("*") and len(words[0]) < 4:
                raise ProfileError(f"{where}.{lang}: stem too short in {term!r}: give at "
                                   "least 3 letters before `*`")
        out[lang] = tuple(dict.fromkeys(items))
    return Terms(**out)


def _topic(d: Any, where: str) -> Topic:
    if not isinstance(d, dict):
        raise ProfileError(f"{where}: must be a mapping")
    _keys(d, where, required={"id", "names", "anchors", "terms"},
          optional=frozenset({"partners"}))
    tid = _id(d, where)
    where = f"{where} ({tid})"
    anchors = d["anchors"]
    if not isinstance(anchors, list) or not all(isinstance(a, str) for a in anchors):
        raise ProfileError(f"{where}: anchors must be a list of seed document names")
    return Topic(id=tid, names=_names(d["names"], f"{where}.names"), anchors=tuple(anchors),
                 partners=tuple(d.get("partners") or ()),
                 terms=_terms(d["terms"], f"{where}.terms", langs=("ru", "kk")))


def _entity(d: Any, where: str) -> Entity:
    if not isinstance(d, dict):
        raise ProfileError(f"{where}: must be a mapping")
    _keys(d, where, required={"id", "type", "aliases"},
          optional=frozenset({"home", "partner", "military", "venue"}))
    eid = _id(d, where)
    where = f"{where} ({eid})"
    return Entity(id=eid, type=_type(d, where), aliases=_terms(d["aliases"], f"{where}.aliases"),
                  home=bool(d.get("home", False)), partner=d.get("partner"),
                  military=bool(d.get("military", False)), venue=bool(d.get("venue", False)))


def _partner(d: Any, where: str) -> Partner:
    if not isinstance(d, dict):
        raise ProfileError(f"{where}: must be a mapping")
    _keys(d, where, required={"id", "type", "names", "aliases"},
          optional=frozenset({"member", "military", "standalone"}))
    pid = _id(d, where)
    where = f"{where} ({pid})"
    return Partner(id=pid, type=_type(d, where), names=_names(d["names"], f"{where}.names"),
                   aliases=_terms(d["aliases"], f"{where}.aliases"),
                   member=bool(d.get("member", False)),
                   military=bool(d.get("military", False)),
                   standalone=bool(d.get("standalone", False)))

"""Build the replay corpus deterministically: which outlet publishes what, when, at which URL.

Steps, in order: per week, spread the planned relevant stories over the outlets' slots
(weighted by each outlet's focus and bias), fill the other slots with hard negatives, compose
the texts, then add syndicated copies, exact duplicate URLs, undated and future-dated pages,
and number every outlet's pieces chronologically to give them URLs.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import lru_cache

from replayweb import compose, plan
from replayweb.banks import kk as kk_bank
from replayweb.banks import ru_relevant
from replayweb.outlets import ALMATY, BY_ID, OUTLETS, OutletDef
from replayweb.slugs import section_of, slugify


@dataclass(kw_only=True)
class Piece:
    id: str
    outlet: str
    lang: str
    published: datetime                 # the true publication time, in the outlet's zone
    title: str
    paragraphs: tuple[str, ...]
    relevant: bool
    bank: str                           # partner bank (TUR, RUS ...) or negative category
    partners: tuple[str, ...] = ()
    tone: str = "neutral"               # positive | neutral | negative | alarm
    author: str | None = None
    seq: int = 0
    path: str = ""                      # canonical path on the replay host
    aliases: tuple[str, ...] = ()       # other URLs serving the very same page
    alias_kind: str | None = None       # utm | amp | mobile
    story: str = ""                     # id of the story's original piece
    copy_of: str | None = None
    date_mode: str = "page"             # page | url | none | future
    robots_blocked: bool = False

    @property
    def week(self) -> str:
        return plan.week_of(self.published)

    @property
    def shown_date(self) -> datetime | None:
        """The date the page itself shows (None when it shows none)."""
        if self.date_mode == "none":
            return None
        if self.date_mode == "future":
            return self.published.replace(year=plan.FUTURE_YEAR)
        return self.published

    @property
    def listed_date(self) -> datetime | None:
        """The date feeds and sitemaps give for it."""
        return None if self.date_mode == "none" else self.published

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(kw_only=True)
class Corpus:
    pieces: list[Piece]
    blocked: list[Piece] = field(default_factory=list)   # listed but disallowed by robots.txt
    by_path: dict[str, Piece] = field(default_factory=dict)

    def of(self, outlet: str, lang: str | None = None) -> list[Piece]:
        return [p for p in self.pieces if p.outlet == outlet and (lang is None or p.lang == lang)]


def _slots(rng: random.Random) -> list[tuple[OutletDef, str]]:
    slots = [(o, lang) for o in OUTLETS for lang, n in o.weekly.items() for _ in range(n)]
    rng.shuffle(slots)
    return slots


def _weight(outlet: OutletDef, lang: str, bank: str, tone: str) -> float:
    w = outlet.focus * (2.0 if bank in outlet.bias else 1.0)
    if tone == "alarm" and outlet.group in ("ru_nationalist", "telegram", "ru_state"):
        w *= 3.0  # alarm about the alliance is loudest in Russian nationalist media
    return w * (1.3 if lang == "kk" else 1.0)


def _moment(rng: random.Random, week: int, outlet: OutletDef) -> datetime:
    # Drawn on the Almaty clock (the product's week boundaries) between 07:00 and 18:59, so
    # neither an outlet's own zone nor a copy republished hours later leaves the day.
    day = plan.week_start(week) + timedelta(days=rng.randrange(7))
    clock = time(rng.randint(7, 18), rng.randrange(60), rng.randrange(60))
    return datetime.combine(day, clock, ALMATY).astimezone(outlet.tz)


def _originals(rng: random.Random) -> list[Piece]:
    pieces: list[Piece] = []
    for week in range(len(plan.WEEKS)):
        slots = _slots(rng)
        items = sorted(plan.weekly_items(week), key=lambda it: it[1] != "alarm")
        for bank, tone in items:
            weights = [_weight(o, lang, bank, tone) for o, lang in slots]
            k = rng.choices(range(len(slots)), weights=weights)[0]
            outlet, lang = slots.pop(k)
            pieces.append(_relevant(rng, week, outlet, lang, bank, tone))
        for outlet, lang in slots:
            pieces.append(_negative(rng, week, outlet, lang))
    return pieces


def _relevant(rng: random.Random, week: int, outlet: OutletDef, lang: str, bank: str,
              tone: str) -> Piece:
    when = _moment(rng, week, outlet)
    short = outlet.template == "telegram"
    make = compose.relevant_kk if lang == "kk" else compose.relevant_ru
    text = make(rng, when, bank, tone, short=short)
    return Piece(id="", outlet=outlet.id, lang=lang, published=when, title=text.title,
                 paragraphs=text.paragraphs, relevant=True, bank=bank,
                 partners=tuple(ru_relevant.PARTNER_IDS[bank]), tone=tone,
                 author=rng.choice(outlet.authors) if outlet.authors else None)


def _negative(rng: random.Random, week: int, outlet: OutletDef, lang: str) -> Piece:
    when = _moment(rng, week, outlet)
    cats = [c for c in outlet.categories if lang == "ru" or c in kk_bank.CATEGORIES]
    category = rng.choice(cats)
    text = compose.negative(rng, when, lang, category, short=outlet.template == "telegram")
    return Piece(id="", outlet=outlet.id, lang=lang, published=when, title=text.title,
                 paragraphs=text.paragraphs, relevant=False, bank=category,
                 author=rng.choice(outlet.authors) if outlet.authors else None)


def _syndicate(rng: random.Random, pieces: list[Piece]) -> list[Piece]:
    copies: list[Piece] = []
    for key, n in plan.SYNDICATED.items():
        outlet_id, lang = key.split(":")
        source = [p for p in pieces if p.outlet == outlet_id and p.lang == lang
                  and p.date_mode == "page"]
        # A quarter of the republished stories are relevant ones: agencies lead on them.
        rel = [p for p in source if p.relevant]
        neg = [p for p in source if not p.relevant]
        k_rel = min(len(rel), max(1, n // 4))
        chosen = rng.sample(rel, k_rel) + rng.sample(neg, n - k_rel)
        targets = plan.SYNDICATED_TO[key]
        name = BY_ID[outlet_id].name.split(" (")[0].split(" / ")[-1 if lang == "kk" else 0]
        for original in chosen:
            k = 2 if len(targets) > 1 and rng.random() < 0.4 else 1
            for target in rng.sample(targets, k):
                out = BY_ID[target]
                text = compose.syndicated_copy(
                    rng, compose.Text(title=original.title, paragraphs=original.paragraphs),
                    source_name=name, lang=lang)
                when = original.published + timedelta(minutes=rng.randint(40, 300))
                copies.append(Piece(
                    id="", outlet=target, lang=lang, published=when.astimezone(out.tz),
                    title=text.title, paragraphs=text.paragraphs, relevant=original.relevant,
                    bank=original.bank, partners=original.partners, tone=original.tone,
                    author=None, copy_of=original.id or f"@{id(original)}"))
                copies[-1].story = f"@{id(original)}"
    return copies


def _number(rng: random.Random, pieces: list[Piece]) -> None:
    for outlet in OUTLETS:
        mine = sorted((p for p in pieces if p.outlet == outlet.id), key=lambda p: p.published)
        seq = {"telegram": 4100}.get(outlet.template, 18000 + rng.randrange(900))
        for p in mine:
            seq += 1 if outlet.template == "telegram" else rng.randint(1, 4)
            p.seq = seq
            p.id = f"{outlet.id}-{seq}"
            p.path = _path(outlet, p)


def _path(outlet: OutletDef, p: Piece) -> str:
    pre, slug, d = outlet.prefix, slugify(p.title), p.published
    match outlet.template:
        case "kazwire":
            return f"{pre}/{'kz' if p.lang == 'kk' else 'ru'}/{section_of(p)}/{slug}-a{p.seq}"
        case "dalanews":
            return f"{pre}/{section_of(p)}/{p.seq}-{slug}/"
        case "anasozi":
            return f"{pre}/kk/article/{p.seq}"
        case "rosvestnik":
            return f"{pre}/{d:%Y%m%d}/{slug}-{p.seq}.html"
        case "rubezh":
            return f"{pre}/news/{d:%Y-%m-%d}/{slug}-{p.seq}"
        case "efir":
            return f"{pre}/russian/articles/c{hashlib.sha1(p.id.encode()).hexdigest()[:10]}"
        case "aziaregion":
            return f"{pre}/news/{p.seq}-{slug}.html"
        case "telegram":
            return f"{pre}/{outlet.telegram_channel}/{p.seq}"
    raise ValueError(outlet.template)


def _alias(outlet: OutletDef, p: Piece) -> tuple[str, str]:
    match outlet.template:
        case "rosvestnik":
            return p.path.replace(f"{outlet.prefix}/", f"{outlet.prefix}/amp/", 1), "amp"
        case "aziaregion":
            return p.path.replace(f"{outlet.prefix}/", f"{outlet.prefix}/m/", 1), "mobile"
        case "kazwire":
            return p.path + "?utm_source=telegram&utm_medium=social&utm_campaign=share", "utm"
    return p.path + "?utm_source=main&utm_medium=teaser", "utm"


def _mark(rng: random.Random, pieces: list[Piece]) -> None:
    """Undated, future-dated and exact-duplicate pages: always negatives, never copies, so the
    relevant counts per week stay exact whatever the crawler does with them."""
    def pool(outlet_id: str) -> list[Piece]:
        return [p for p in pieces if p.outlet == outlet_id and not p.relevant
                and p.copy_of is None and p.date_mode == "page" and not p.aliases
                and p.story == p.id]

    for outlet_id, n in plan.UNDATED.items():
        for p in rng.sample(pool(outlet_id), n):
            p.date_mode = "none"
    for outlet_id, n in plan.FUTURE_DATED.items():
        for p in rng.sample(pool(outlet_id), n):
            p.date_mode = "future"
    for outlet_id, n in plan.EXACT_DUPLICATES.items():
        for p in rng.sample(pool(outlet_id), n):
            alias, kind = _alias(BY_ID[outlet_id], p)
            p.aliases, p.alias_kind = (alias,), kind
    for p in pieces:
        if p.date_mode == "page" and BY_ID[p.outlet].date_in == "url":
            p.date_mode = "url"


def _blocked(rng: random.Random) -> list[Piece]:
    outlet = BY_ID["sim_rubezh"]
    out = []
    for k in range(plan.ROBOTS_BLOCKED):
        p = _negative(rng, 4 + 3 * k, outlet, "ru")
        p.seq = 90001 + k
        p.id = f"sim_rubezh-private-{p.seq}"
        p.path = f"{outlet.prefix}/private/{slugify(p.title)}-{p.seq}"
        p.story, p.robots_blocked, p.date_mode = p.id, True, "url"
        out.append(p)
    return out


@lru_cache(maxsize=4)
def build_corpus(seed: int = plan.SEED) -> Corpus:
    rng = random.Random(seed)
    originals = _originals(rng)
    for p in originals:
        p.story = f"@{id(p)}"
    copies = _syndicate(rng, originals)
    pieces = originals + copies
    _number(rng, pieces)
    by_token = {f"@{id(p)}": p.id for p in originals}
    for p in pieces:
        p.story = by_token[p.story]
        if p.copy_of is not None:
            p.copy_of = by_token[p.copy_of]
    _mark(rng, pieces)
    pieces.sort(key=lambda p: (p.published, p.id))
    corpus = Corpus(pieces=pieces, blocked=_blocked(rng))
    for p in [*pieces, *corpus.blocked]:
        corpus.by_path[p.path] = p
        for alias in p.aliases:
            corpus.by_path[alias] = p
    return corpus

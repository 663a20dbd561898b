"""Synthetic articles, analyses and crawl runs written into a real database, followed by the
real ``pipeline.aggregates.rebuild``: the digest reads exactly what production would store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Engine, insert

from pipeline import aggregates
from pipeline.store.db import session_scope
from pipeline.store.models import (
    Analysis,
    AnalysisEntity,
    AnalysisPartner,
    AnalysisTopic,
    Article,
    CrawlRun,
    Outlet,
)
from reports.weeks import IsoWeek

PV = "test-v1"
TZ = ZoneInfo("Asia/Almaty")
WEEK = IsoWeek(year=2025, week=24)  # 2025-06-09 .. 2025-06-15 local

OUTLETS = [
    ("kazinform", "Казинформ", "KZ", "kz_state"),
    ("vlast", "Vlast.kz", "KZ", "kz_independent"),
    ("ria", "РИА Новости", "RU", "ru_state"),
    ("tsargrad", "Царьград", "RU", "ru_nationalist"),
    ("eurasianet", "Eurasianet", "US", "international"),
    ("tg-kz", "Telegram KZ", "KZ", "telegram"),
    ("orda", "Orda.kz", "KZ", "kz_independent"),
]


@dataclass(kw_only=True)
class Story:
    """One story: its first copy in ``outlet`` and further copies in ``copies``."""

    outlet: str
    lang: str
    published_at: datetime
    title: str
    polarity: float = 0.0
    alarm: float = 0.0
    topics: dict[str, float] = field(default_factory=dict)
    partners: dict[str, float] = field(default_factory=dict)  # partner -> tone toward it
    entities: list[tuple[str, str, str]] = field(default_factory=list)  # (key, type, text)
    terms: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    relevant: bool = True
    date_source: str = "page"


@dataclass(kw_only=True)
class Run:
    outlet: str
    started_at: datetime
    status: str = "ok"
    newest_published_at: datetime | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def write_outlets(engine: Engine, outlets=OUTLETS) -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    with session_scope(engine) as s:
        s.execute(insert(Outlet), [
            {"id": oid, "name": name, "country": c, "languages": ["ru", "kk"], "group": g,
             "endpoints": {}, "active": True, "updated_at": now}
            for oid, name, c, g in outlets])


def write(engine: Engine, stories: list[Story], runs: list[Run] = (), *,
          version: str = PV, rebuild: bool = True) -> dict[int, Story]:
    """Insert the stories (copies get cluster_id = the first copy's id) and rebuild aggregates."""
    articles, analyses, topics, partners, entities = [], [], [], [], []
    by_id: dict[int, Story] = {}
    next_id = 1
    for n, st in enumerate(stories):
        first = next_id
        by_id[first] = st
        for k, outlet in enumerate([st.outlet, *st.copies]):
            aid = next_id
            next_id += 1
            when = st.published_at + timedelta(minutes=30 * k)
            url = f"https://{outlet}.example/{n}/{k}"
            articles.append({
                "id": aid, "canonical_url": url, "url": url, "outlet_id": outlet,
                "source_kind": "feed", "lang": st.lang, "title": st.title, "text": st.title,
                "published_at": when, "date_source": st.date_source,
                "fetched_at": when + timedelta(hours=1), "content_hash": f"h{n}",
                "cluster_id": first if st.copies else None, "extra": {}})
            analyses.append({
                "article_id": aid, "profile_version": version, "content_hash": f"h{n}",
                "lang": st.lang, "relevant": st.relevant, "relevance": 0.9 if st.relevant else 0.1,
                "tone_label": "neutral", "polarity": st.polarity, "alarm": st.alarm,
                "evidence": {"terms": st.terms, "sentences": st.sentences or [st.title]},
                "analyzed_at": when})
            topics += [{"article_id": aid, "profile_version": version, "topic_id": t,
                        "score": sc} for t, sc in st.topics.items()]
            partners += [{"article_id": aid, "profile_version": version, "partner_id": p,
                          "mentions": 1, "tone": tone} for p, tone in st.partners.items()]
            entities += [{"article_id": aid, "profile_version": version, "entity_key": key,
                          "type": et, "canonical": None, "text": text, "mentions": 1}
                         for key, et, text in st.entities]
    with session_scope(engine) as s:
        for model, rows in ((Article, articles), (Analysis, analyses), (AnalysisTopic, topics),
                            (AnalysisPartner, partners), (AnalysisEntity, entities)):
            if rows:
                s.execute(insert(model), rows)
        if runs:
            s.execute(insert(CrawlRun), [
                {"run_key": f"r{i}", "outlet_id": r.outlet, "started_at": r.started_at,
                 "finished_at": r.started_at + timedelta(minutes=5), "status": r.status,
                 "counts": r.counts, "errors": r.errors,
                 "newest_published_at": r.newest_published_at}
                for i, r in enumerate(runs)])
        if rebuild:
            aggregates.rebuild(s, profile_version=version, days=aggregates.all_days(s, TZ), tz=TZ)
    return by_id


def local(week: IsoWeek, day: int, hour: int = 12) -> datetime:
    """A UTC instant on local ``day`` (0 = Monday) of ``week``."""
    d = week.monday + timedelta(days=day)
    return datetime(d.year, d.month, d.day, hour, tzinfo=TZ).astimezone(UTC)


# The scenario of the digest tests: steady baseline weeks, then in WEEK a 3x rise of Turkey
# coverage (with copies), a drop in tone toward Russia, China as a new partner, and broken
# sources. Counts are fixed; only tone carries seeded noise.
BASE = {"TUR": 10, "RUS": 12, "GBR": 8}
TOPIC_OF = {"TUR": "turkey", "RUS": "csto_russia", "GBR": "uk_cooperation"}
TONE = {"TUR": 0.3, "RUS": 0.1, "GBR": 0.4}
STORY_OUTLETS = ["kazinform", "vlast", "ria", "eurasianet", "tg-kz"]


def scenario(week: IsoWeek = WEEK, seed: int = 7) -> tuple[list[Story], list[Run]]:
    rng = np.random.default_rng(seed)
    stories: list[Story] = []
    weeks = [*week.baseline(8), week]
    for wi, w in enumerate(weeks):
        current = w == week
        for partner, n in BASE.items():
            count = n * 3 if (current and partner == "TUR") else n
            level = TONE[partner] - (0.5 if (current and partner == "RUS") else 0.0)
            for i in range(count):
                tone = float(np.clip(rng.normal(level, 0.2), -1, 1))
                lang = "kk" if i % 3 == 0 else "ru"
                outlet = STORY_OUTLETS[i % len(STORY_OUTLETS)]
                copies = ["tsargrad"] if (current and partner == "TUR") else []
                stories.append(Story(
                    outlet=outlet, lang=lang, published_at=local(w, i % 7, 8 + i % 10),
                    title=f"{partner} {w} №{i}: " + ("Қазақстан және Түркия" if lang == "kk"
                                                     else "Казахстан и партнёр"),
                    polarity=tone, alarm=max(0.0, -tone), topics={TOPIC_OF[partner]: 0.8},
                    partners={partner: tone}, entities=[(f"org:{partner.lower()}", "ORG", partner)],
                    terms=["военное сотрудничество"],
                    sentences=[f"Предложение-доказательство {partner} {i}: «цитата»."],
                    copies=copies))
        # Orda publishes every baseline week and falls silent in the digest's week.
        if not current:
            stories += [Story(outlet="orda", lang="ru", published_at=local(w, d),
                              title=f"irrelevant {w} {d}", relevant=False) for d in range(4)]
        del wi
    # New partner, entity and term in the week: first mention of China.
    for i in range(2):
        stories.append(Story(
            outlet="vlast", lang="ru", published_at=local(week, 2 + i), title=f"Китай и дроны {i}",
            polarity=-0.1, topics={"drones": 0.7}, partners={"CHN": -0.1},
            entities=[("org:cetc", "ORG", "CETC")], terms=["Wing Loong"],
            sentences=["Казахстан закупит китайские беспилотники Wing Loong."]))
    # An article with only a crawl date: kept out of trends, shown under source health.
    stories.append(Story(outlet="eurasianet", lang="en", published_at=local(week, 3),
                         title="undated", date_source="crawl", partners={"TUR": 0.5}))
    runs = [
        Run(outlet="kazinform", started_at=local(week, 1), newest_published_at=local(week, 1)),
        Run(outlet="vlast", started_at=local(week, 1), status="failed",
            errors=[{"url": "https://vlast.example/rss", "kind": "http", "message": "HTTP 503"}]),
        Run(outlet="vlast", started_at=local(week, 5), newest_published_at=local(week, 5)),
        Run(outlet="ria", started_at=local(week, 6), newest_published_at=local(week, 1, 0)
            - timedelta(days=3)),
        Run(outlet="eurasianet", started_at=local(week, 4), newest_published_at=local(week, 4),
            counts={"saved": 40, "duplicate": 3}),
        # A feed unreadable in any encoding: nothing stored from it, the run only partial.
        Run(outlet="tsargrad", started_at=local(week, 4), newest_published_at=local(week, 4),
            status="partial", errors=[{"url": "https://tsargrad.example/rss",
                                       "kind": "bad_encoding", "message": "no encoding"}]),
        Run(outlet="orda", started_at=local(week, 4), newest_published_at=local(week, 0, 3)),
    ]  # tg-kz: no run at all this week
    return stories, runs

"""The per-article reads of the digest, bounded to the weeks it covers.

The numbers come from ``daily_aggregates``; three things need article rows: the tone tests
(Welch needs every polarity, not just sums), the articles that drove a flagged shift, and
what is new this week. Every query here is a range on ``published_at`` (indexed) over the
window of the digest only, joined to the analyses of one profile version.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, or_, select

from pipeline.aggregates import counted_topics, topics_and_partners
from pipeline.nlp.names import term_key
from pipeline.store.db import id_chunks
from pipeline.store.models import (
    Analysis,
    AnalysisEntity,
    Article,
    first_copy,
    story_of,
)
from reports.series import SeriesKey


@dataclass(kw_only=True)
class WeekArticle:
    """A relevant, dated article of the digest's week (a first copy or a copy)."""

    id: int
    cluster_id: int | None
    outlet_id: str
    lang: str
    title: str
    url: str
    published_at: datetime
    polarity: float
    alarm: float
    evidence: dict[str, Any]
    topics: list[str] = field(default_factory=list)
    partners: dict[str, float] = field(default_factory=dict)  # partner -> tone toward it

    @property
    def first_copy(self) -> bool:
        return first_copy(self.id, self.cluster_id)

    @property
    def story(self) -> int:
        return story_of(self.id, self.cluster_id)


@dataclass(kw_only=True)
class ToneSamples:
    """Per-article polarity and alarm of each series (first copies only, like the
    aggregates). A partner's polarity is the tone toward that partner; its alarm is the
    article's, since threat framing is scored per article."""

    week: dict[SeriesKey, list[float]] = field(default_factory=lambda: defaultdict(list))
    baseline: dict[SeriesKey, list[float]] = field(default_factory=lambda: defaultdict(list))
    alarm_week: dict[SeriesKey, list[float]] = field(default_factory=lambda: defaultdict(list))
    alarm_baseline: dict[SeriesKey, list[float]] = field(
        default_factory=lambda: defaultdict(list))
    baseline_ids: list[int] = field(default_factory=list)  # the baseline's stories


def _relevant_dated(version: str, start: datetime, end: datetime) -> tuple[Any, ...]:
    return (Analysis.article_id == Article.id, Analysis.profile_version == version,
            Analysis.relevant.is_(True), Article.published_at >= start,
            Article.published_at < end, Article.date_source != "crawl")


def _first_copy() -> Any:
    return or_(Article.cluster_id.is_(None), Article.cluster_id == Article.id)


def tone_samples(engine: Engine, *, profile_version: str, window_start: datetime,
                 week_start: datetime, week_end: datetime) -> ToneSamples:
    """Polarity and alarm per article for "all", each topic and each partner, week vs
    baseline."""
    out = ToneSamples()
    with engine.connect() as conn:
        rows = conn.execute(
            select(Article.id, Article.published_at, Analysis.polarity, Analysis.alarm)
            .select_from(Article).join(Analysis, and_(
                *_relevant_dated(profile_version, window_start, week_end)))
            .where(_first_copy())).all()
        topics, partners = topics_and_partners(conn, profile_version, [r[0] for r in rows])
    for aid, published, polarity, alarm in rows:
        in_week = published >= week_start
        side = out.week if in_week else out.baseline
        alarms = out.alarm_week if in_week else out.alarm_baseline
        if not in_week:
            out.baseline_ids.append(aid)
        keys = [("all", ""), *(("topic", t) for t in counted_topics(topics.get(aid, {})))]
        for key in keys:
            side[key].append(polarity)
            alarms[key].append(alarm)
        for pid, tone in partners.get(aid, {}).items():
            # The partner series carries the tone toward that partner, as in the aggregates.
            side[("partner", pid)].append(tone)
            alarms[("partner", pid)].append(alarm)
    return out


def week_articles(engine: Engine, *, profile_version: str, week_start: datetime,
                  week_end: datetime) -> list[WeekArticle]:
    """Every relevant dated article of the week, copies included, with topics and partners."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Article.id, Article.cluster_id, Article.outlet_id, Analysis.lang,
                   Article.title, Article.url, Article.published_at, Analysis.polarity,
                   Analysis.alarm, Analysis.evidence)
            .select_from(Article).join(Analysis, and_(
                *_relevant_dated(profile_version, week_start, week_end)))).all()
        topics, partners = topics_and_partners(conn, profile_version, [r[0] for r in rows])
    out = []
    for aid, cluster, outlet, lang, title, url, published, polarity, alarm, evidence in rows:
        out.append(WeekArticle(
            id=aid, cluster_id=cluster, outlet_id=outlet, lang=lang or "other", title=title,
            url=url, published_at=published, polarity=polarity, alarm=alarm,
            evidence=evidence or {}, topics=counted_topics(topics.get(aid, {})),
            partners=partners.get(aid, {})))
    return out


def baseline_terms(engine: Engine, *, profile_version: str, start: datetime,
                   end: datetime) -> set[str]:
    """Evidence terms of the baseline's relevant articles, by ``names.term_key``."""
    seen: set[str] = set()
    with engine.connect() as conn:
        for (evidence,) in conn.execute(
                select(Analysis.evidence).select_from(Article).join(Analysis, and_(
                    *_relevant_dated(profile_version, start, end)))):
            seen.update(term_key(str(t)) for t in (evidence or {}).get("terms", []))
    return seen


@dataclass(frozen=True, kw_only=True)
class WeekEntity:
    key: str
    type: str
    canonical: str | None
    text: str
    article_ids: tuple[int, ...]


def new_entities(engine: Engine, *, profile_version: str, week_ids: list[int],
                 baseline_ids: list[int]) -> list[WeekEntity]:
    """Entities of the week's stories that no baseline story mentioned.

    Both sides are read by article id (the primary key): filtering by entity key instead
    makes the database walk every mention of a common entity across all history.
    """
    found: dict[str, dict[str, Any]] = {}
    known: set[str] = set()
    with engine.connect() as conn:
        for chunk in id_chunks(week_ids):
            for aid, key, etype, canonical, text in conn.execute(
                    select(AnalysisEntity.article_id, AnalysisEntity.entity_key,
                           AnalysisEntity.type, AnalysisEntity.canonical, AnalysisEntity.text)
                    .where(AnalysisEntity.profile_version == profile_version,
                           AnalysisEntity.article_id.in_(chunk))):
                item = found.setdefault(key, {"type": etype, "canonical": canonical,
                                              "texts": defaultdict(int), "ids": set()})
                item["texts"][text] += 1
                item["ids"].add(aid)
        for chunk in id_chunks(baseline_ids):
            known.update(conn.execute(
                select(AnalysisEntity.entity_key)
                .where(AnalysisEntity.profile_version == profile_version,
                       AnalysisEntity.article_id.in_(chunk))).scalars())
    return [WeekEntity(key=k, type=v["type"], canonical=v["canonical"],
                       text=max(v["texts"], key=v["texts"].get), article_ids=tuple(sorted(v["ids"])))
            for k, v in found.items() if k not in known]

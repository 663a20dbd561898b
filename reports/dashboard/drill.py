"""The articles behind one point or bar: relevant, dated articles of the clicked period that
match the filters, syndicated copies folded under their story.

The counts shown on top are those of the chart by construction: a story is counted where its
first copy is, every other copy counts as a copy, topics count by the aggregates' rule
(``counted_topics``). The reads are a range on ``published_at`` (indexed) joined to the
analyses by primary key; titles, links and evidence are read for the shown page only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, exists, func, select
from sqlalchemy.engine import Connection

from pipeline.aggregates import TOPIC_MIN_SCORE, counted_topics
from pipeline.store.db import id_chunks
from pipeline.store.models import (
    Analysis,
    AnalysisPartner,
    AnalysisTopic,
    Article,
    first_copy,
    story_of,
)
from reports.dashboard.params import Filters
from reports.dashboard.vocab import Vocabulary
from reports.weeks import span_bounds

PAGE_SIZE = 50
MAX_SENTENCES = 3


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """A matching article before its text is read."""

    id: int
    cluster_id: int | None
    published_at: datetime

    @property
    def first_copy(self) -> bool:
        return first_copy(self.id, self.cluster_id)

    @property
    def story(self) -> int:
        return story_of(self.id, self.cluster_id)


@dataclass(kw_only=True)
class ArticleRow:
    id: int
    story: int
    first_copy: bool
    title: str
    url: str | None  # None when the stored link is not http(s): never a javascript: href
    outlet_id: str
    outlet: str
    lang: str
    published: str  # local date and time
    tone_label: str
    polarity: float
    alarm: float
    topics: list[str]
    partners: dict[str, float]  # partner label -> tone toward it
    sentences: list[str]


@dataclass(kw_only=True)
class Story:
    head: ArticleRow
    copies: list[ArticleRow] = field(default_factory=list)

    @property
    def earlier(self) -> bool:
        """The story's first copy lies outside this selection (only copies are here)."""
        return not self.head.first_copy


@dataclass(kw_only=True)
class Drill:
    first_day: date
    last_day: date
    pieces: int  # first copies in the selection: the chart's number
    copies: int
    stories: list[Story]  # this page
    page: int
    pages: int


def candidates(conn: Connection, f: Filters, vocab: Vocabulary, profile_version: str,
               tz: ZoneInfo, *, first_copies_only: bool = False) -> list[Candidate]:
    """Relevant dated articles of ``f``'s range matching every filter, oldest first."""
    start, end = span_bounds(f.start, f.end, tz)
    # The range on published_at must drive the query. Without statistics SQLite prefers any
    # equality on an indexed column (the index on ``relevant`` walks every relevant analysis
    # of all time: 330 ms against 5 ms at a million articles), so the other indexed columns
    # are wrapped in coalesce(), which no index serves, on both databases.
    outlet = func.coalesce(Article.outlet_id, "")
    where: list[Any] = [Article.published_at >= start, Article.published_at < end,
                        Article.date_source != "crawl",
                        func.coalesce(Analysis.relevant, False).is_(True)]
    if f.outlet:
        where.append(outlet == f.outlet)
    if f.group:
        where.append(outlet.in_(vocab.outlets_of(f.group) or [""]))
    if f.lang:
        where.append(Analysis.lang == f.lang)
    if f.tone:
        where.append(Analysis.tone_label == f.tone)
    if f.topic:
        # The floor narrows in SQL; the exact rule (share of the best topic) is applied below.
        where.append(exists().where(
            AnalysisTopic.article_id == Article.id,
            AnalysisTopic.profile_version == profile_version,
            AnalysisTopic.topic_id == f.topic, AnalysisTopic.score >= TOPIC_MIN_SCORE))
    if f.partner:
        where.append(exists().where(
            AnalysisPartner.article_id == Article.id,
            AnalysisPartner.profile_version == profile_version,
            AnalysisPartner.partner_id == f.partner))
    if first_copies_only:
        where.append((Article.cluster_id.is_(None)) | (Article.cluster_id == Article.id))
    rows = conn.execute(
        select(Article.id, Article.cluster_id, Article.published_at)
        .join(Analysis, and_(Analysis.article_id == Article.id,
                             Analysis.profile_version == profile_version))
        .where(*where).order_by(Article.published_at, Article.id)).all()
    found = [Candidate(id=r[0], cluster_id=r[1], published_at=r[2]) for r in rows]
    if f.topic and found:
        topics = topic_scores(conn, profile_version, [c.id for c in found])
        found = [c for c in found if f.topic in counted_topics(topics.get(c.id, {}))]
    return found


def load_drill(engine: Engine, f: Filters, vocab: Vocabulary, profile_version: str,
               tz: ZoneInfo) -> Drill | None:
    scope = f.drill_scope()
    if scope is None:
        return None
    with engine.connect() as conn:
        found = candidates(conn, scope, vocab, profile_version, tz)
        by_story: dict[int, list[Candidate]] = defaultdict(list)
        for c in found:
            by_story[c.story].append(c)
        # Stories that spread most first: they are what moved the number.
        groups = sorted(by_story.values(),
                        key=lambda g: (not any(c.first_copy for c in g), -len(g),
                                       g[0].published_at, g[0].id))
        pages = max(1, -(-len(groups) // PAGE_SIZE))
        shown = groups[(f.page - 1) * PAGE_SIZE:f.page * PAGE_SIZE]
        rows = _rows(conn, [c.id for g in shown for c in g], vocab, profile_version, tz)
    stories = []
    for g in shown:
        members = sorted((rows[c.id] for c in g), key=lambda r: (not r.first_copy, r.published))
        stories.append(Story(head=members[0], copies=members[1:]))
    pieces = sum(c.first_copy for c in found)
    return Drill(first_day=scope.start, last_day=scope.end, pieces=pieces,
                 copies=len(found) - pieces, stories=stories, page=f.page, pages=pages)


def topic_scores(conn: Connection, profile_version: str, ids: list[int]
                 ) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = defaultdict(dict)
    for chunk in id_chunks(ids):
        for aid, tid, score in conn.execute(
                select(AnalysisTopic.article_id, AnalysisTopic.topic_id, AnalysisTopic.score)
                .where(AnalysisTopic.profile_version == profile_version,
                       AnalysisTopic.article_id.in_(chunk))):
            out[aid][tid] = score
    return out


def safe_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _rows(conn: Connection, ids: list[int], vocab: Vocabulary, profile_version: str,
          tz: ZoneInfo) -> dict[int, ArticleRow]:
    if not ids:
        return {}
    topics = topic_scores(conn, profile_version, ids)
    partners: dict[int, dict[str, float]] = defaultdict(dict)
    for aid, pid, tone in conn.execute(
            select(AnalysisPartner.article_id, AnalysisPartner.partner_id, AnalysisPartner.tone)
            .where(AnalysisPartner.profile_version == profile_version,
                   AnalysisPartner.article_id.in_(ids))):
        partners[aid][vocab.name("partner", pid)] = round(tone, 3)
    out: dict[int, ArticleRow] = {}
    for (aid, cluster, outlet, title, url, published, lang, label, polarity, alarm,
         evidence) in conn.execute(
            select(Article.id, Article.cluster_id, Article.outlet_id, Article.title,
                   Article.url, Article.published_at, Analysis.lang, Analysis.tone_label,
                   Analysis.polarity, Analysis.alarm, Analysis.evidence)
            .join(Analysis, and_(Analysis.article_id == Article.id,
                                 Analysis.profile_version == profile_version))
            .where(Article.id.in_(ids))):
        out[aid] = ArticleRow(
            id=aid, story=cluster if cluster is not None else aid,
            first_copy=cluster is None or cluster == aid, title=title or "", url=safe_url(url),
            outlet_id=outlet, outlet=vocab.name("outlet", outlet), lang=lang or "other",
            published=published.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            tone_label=label, polarity=round(polarity, 3), alarm=round(alarm, 3),
            topics=[vocab.name("topic", t) for t in counted_topics(topics.get(aid, {}))],
            partners=partners.get(aid, {}), sentences=_sentences(evidence))
    return out


def _sentences(evidence: Any) -> list[str]:
    if not isinstance(evidence, dict):
        return []
    raw = evidence.get("sentences") or []
    return [str(s) for s in list(raw)[:MAX_SENTENCES]] if isinstance(raw, list) else []

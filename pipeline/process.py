"""The process stage: analyse stored articles that have no result for the current profile
version (or whose text changed since), store the results, and rebuild the daily aggregates
of the days they touch. Batches commit one at a time, so an interrupted run loses at most
one batch of work and a rerun picks up exactly what is missing. Each batch marks its days
dirty in its own transaction (``aggregate_dirty_days``) and the final rebuild clears the
marks, so after a crash at any point the rerun rebuilds every day left stale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, delete, func, or_, select

from pipeline import aggregates
from pipeline.analyze import AnalysisResult, Analyzer
from pipeline.store.db import session_scope
from pipeline.store.models import (
    Analysis,
    AnalysisEntity,
    AnalysisPartner,
    AnalysisTopic,
    Article,
    Outlet,
)
from pipeline.store.upsert import upsert
from pipeline.stories import share_story_relevance

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(kw_only=True)
class ProcessSummary:
    analysed: int = 0
    relevant: int = 0
    failed: int = 0
    days_rebuilt: int = 0
    errors: list[str] = field(default_factory=list)


def _pending(version: str):
    """Articles with no analysis of ``version`` or one made from different text."""
    return (select(Article.id)
            .outerjoin(Analysis, and_(Analysis.article_id == Article.id,
                                      Analysis.profile_version == version))
            .where(or_(Analysis.article_id.is_(None),
                       Analysis.content_hash != Article.content_hash)))


def count_pending(engine: Engine, version: str) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(_pending(version).subquery())) or 0


def process(engine: Engine, analyzer: Analyzer, *, tz: ZoneInfo, batch_size: int = 200,
            limit: int | None = None, progress: Progress | None = None) -> ProcessSummary:
    version = analyzer.profile.version
    summary = ProcessSummary()
    with engine.connect() as conn:  # a channel's own name or signature is not an entity
        analyzer.not_entities.update(n.lower() for n in conn.scalars(select(Outlet.name)))
    total = count_pending(engine, version)
    if limit is not None:
        total = min(total, limit)
    touched: set[date] = set()
    last_id = 0
    while summary.analysed + summary.failed < total:
        want = min(batch_size, total - summary.analysed - summary.failed)
        with session_scope(engine) as s:
            ids = s.scalars(_pending(version).where(Article.id > last_id)
                            .order_by(Article.id).limit(want)).all()
            if not ids:
                break
            articles = s.scalars(select(Article).where(Article.id.in_(ids))
                                 .order_by(Article.id)).all()
            results: list[tuple[Article, AnalysisResult]] = []
            for art in articles:
                last_id = art.id
                try:
                    results.append((art, analyzer.analyze(text=art.text, title=art.title,
                                                          lang_hint=art.lang)))
                except Exception as exc:  # one bad article must not stop the batch
                    summary.failed += 1
                    summary.errors.append(f"article {art.id} ({art.canonical_url}): {exc!r}")
                    log.exception("analysis failed for article %s", art.id)
            _store(s, version, results)
            # One decision per story: copies take their best copy's relevance.
            shared = share_story_relevance(s, version, [a.id for a, _ in results])
            days = {aggregates.local_day(art.published_at, tz) for art, _ in results}
            days |= {aggregates.local_day(art.published_at, tz) for art in shared}
            # Same transaction as the analyses: a crash after this commit leaves the days
            # marked, and the next run rebuilds them even if nothing is left to analyse.
            aggregates.mark_dirty(s, profile_version=version, days=days)
            touched |= days
            for _, res in results:
                summary.analysed += 1
                summary.relevant += res.relevant
        if progress:
            progress(summary.analysed + summary.failed, total)
    with session_scope(engine) as s:
        summary.days_rebuilt = aggregates.rebuild_dirty(s, profile_version=version, tz=tz,
                                                         also=touched)
    return summary


def rebuild_aggregates(engine: Engine, version: str, tz: ZoneInfo) -> int:
    """Recompute every day's aggregates (after a time-zone change or for a repair)."""
    with session_scope(engine) as s:
        days = aggregates.all_days(s, tz)
        aggregates.rebuild(s, profile_version=version, days=days, tz=tz)
        aggregates.rebuild_dirty(s, profile_version=version, tz=tz)
    return len(days)


def _store(session, version: str, results: list[tuple[Article, AnalysisResult]]) -> None:
    if not results:
        return
    now = datetime.now(UTC)
    ids = [art.id for art, _ in results]
    for child in (AnalysisTopic, AnalysisPartner, AnalysisEntity):
        session.execute(delete(child).where(child.profile_version == version,
                                            child.article_id.in_(ids)))
    upsert(session, Analysis, [{
        "article_id": art.id, "profile_version": version, "content_hash": art.content_hash,
        "lang": r.lang, "relevant": r.relevant, "relevance": r.relevance,
        "tone_label": r.tone.label, "polarity": r.tone.polarity, "alarm": r.tone.alarm,
        "evidence": r.evidence_dict(), "analyzed_at": now,
    } for art, r in results], key=["article_id", "profile_version"],
        update=["content_hash", "lang", "relevant", "relevance", "tone_label", "polarity",
                "alarm", "evidence", "analyzed_at"])
    topics, partners, entities = [], [], []
    for art, r in results:
        topics += [{"article_id": art.id, "profile_version": version, "topic_id": t.id,
                    "score": t.score} for t in r.topics]
        partners += [{"article_id": art.id, "profile_version": version, "partner_id": p.id,
                      "mentions": p.mentions, "tone": p.tone} for p in r.partners]
        entities += [{"article_id": art.id, "profile_version": version, **e}
                     for e in r.entity_rows()]
    upsert(session, AnalysisTopic, topics, key=["article_id", "profile_version", "topic_id"],
           update=["score"])
    upsert(session, AnalysisPartner, partners,
           key=["article_id", "profile_version", "partner_id"], update=["mentions", "tone"])
    upsert(session, AnalysisEntity, entities,
           key=["article_id", "profile_version", "entity_key"],
           update=["type", "canonical", "text", "mentions"])

"""One relevance decision per story: the story is relevant when its best copy is.

Copies of one story (a cluster: syndicated, near-duplicate or same-event copies) are analysed
one by one and can be judged differently, a flash dropped while its near-identical copy from
another channel is kept. After each batch of analyses, every cluster touched gets its best
copy's decision: members judged irrelevant become relevant with the best copy's relevance
score, topics and partners (their own tone and entities stay theirs), and say so in
``evidence["story"]``. Idempotent: a rerun finds every member already agreeing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from pipeline.store.models import Analysis, AnalysisPartner, AnalysisTopic, Article, story_of
from pipeline.store.upsert import upsert


def share_story_relevance(session: Session, version: str,
                          article_ids: Iterable[int]) -> list[Article]:
    """Give every cluster of these articles its best copy's decision; returns the articles
    whose decision changed (their days need new aggregates)."""
    ids = list(article_ids)
    if not ids:
        return []
    clusters = set(session.scalars(select(Article.cluster_id).where(
        Article.id.in_(ids), Article.cluster_id.is_not(None))))
    if not clusters:
        return []
    rows = session.execute(
        select(Article.id, Article.cluster_id, Analysis.relevant, Analysis.relevance,
               Analysis.evidence)
        .join(Analysis, and_(Analysis.article_id == Article.id,
                             Analysis.profile_version == version))
        .where(Article.cluster_id.in_(list(clusters)))).all()
    by_story: dict[int, list] = defaultdict(list)
    for row in rows:
        by_story[story_of(row.id, row.cluster_id)].append(row)
    changed: list[int] = []
    for members in by_story.values():
        best = max(members, key=lambda r: (r.relevant, r.relevance, -r.id))
        if not best.relevant:
            continue
        for m in members:
            if m.relevant:
                continue
            session.execute(update(Analysis).where(
                Analysis.article_id == m.id, Analysis.profile_version == version).values(
                relevant=True, relevance=best.relevance,
                evidence={**(m.evidence or {}), "story": {"relevant_by": best.id}}))
            _copy_children(session, version, best.id, m.id)
            changed.append(m.id)
    if not changed:
        return []
    return list(session.scalars(select(Article).where(Article.id.in_(changed))))


def _copy_children(session: Session, version: str, source: int, target: int) -> None:
    topics = session.execute(select(AnalysisTopic.topic_id, AnalysisTopic.score).where(
        AnalysisTopic.article_id == source, AnalysisTopic.profile_version == version)).all()
    upsert(session, AnalysisTopic, [{"article_id": target, "profile_version": version,
                                     "topic_id": t, "score": s} for t, s in topics],
           key=["article_id", "profile_version", "topic_id"], update=["score"])
    partners = session.execute(select(AnalysisPartner.partner_id, AnalysisPartner.mentions,
                                      AnalysisPartner.tone).where(
        AnalysisPartner.article_id == source, AnalysisPartner.profile_version == version)).all()
    upsert(session, AnalysisPartner, [{"article_id": target, "profile_version": version,
                                       "partner_id": p, "mentions": n, "tone": t}
                                      for p, n, t in partners],
           key=["article_id", "profile_version", "partner_id"], update=["mentions", "tone"])

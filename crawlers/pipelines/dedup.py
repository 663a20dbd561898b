"""Dedup: exact copies by canonical URL and content hash, near copies by SimHash + Jaccard.

Same outlet, same URL or same content: a duplicate, dropped. Another outlet's identical or
nearly identical text: a syndicated copy, kept as reach and put in the story's cluster so the
story counts once.
"""

from __future__ import annotations

from sqlalchemy import select

from crawlers.items import ArticleItem
from crawlers.neardup import JACCARD_MIN, jaccard, shingles, simhash
from crawlers.pipelines import StepPipeline, drop
from pipeline.store.articles import content_hash
from pipeline.store.models import Article


class DedupPipeline(StepPipeline):

    def process_item(self, item: ArticleItem) -> ArticleItem:
        ctx = self.crawler.spider.ctx
        digest = content_hash(item.title, item.text)
        with ctx.engine.connect() as conn:
            if conn.execute(select(Article.id).where(
                    Article.canonical_url == item.canonical_url)).first():
                raise drop(self.stats, "duplicate_url", item.canonical_url)
            same = conn.execute(
                select(Article.id, Article.outlet_id, Article.cluster_id)
                .where(Article.content_hash == digest).order_by(Article.id)).all()
        if any(row.outlet_id == item.outlet_id for row in same):
            raise drop(self.stats, "duplicate_content", f"{item.url} repeats a stored article")
        item.simhash = simhash(item.text)
        if same:
            first = same[0]
            item.cluster_id = first.cluster_id or first.id
            item.extra["dedup"] = {"kind": "syndicated", "of": first.id}
            return item
        if item.simhash is not None:
            match = self._near(item)
            if match is not None:
                article_id, cluster_id, score = match
                item.cluster_id = cluster_id or article_id
                item.extra["dedup"] = {"kind": "near_duplicate", "of": article_id,
                                       "jaccard": round(score, 3)}
        return item

    def _near(self, item: ArticleItem) -> tuple[int, int | None, float] | None:
        ctx = self.crawler.spider.ctx
        assert item.simhash is not None
        ids = ctx.simhashes.candidates(item.simhash)
        if not ids:
            return None
        with ctx.engine.connect() as conn:
            rows = conn.execute(select(Article.id, Article.cluster_id, Article.text)
                                .where(Article.id.in_(ids))).all()
        mine = shingles(item.text)
        best: tuple[int, int | None, float] | None = None
        for row in rows:
            score = jaccard(mine, shingles(row.text))
            if score >= JACCARD_MIN and (best is None or score > best[2]):
                best = (row.id, row.cluster_id, score)
        return best

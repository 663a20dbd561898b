"""Store: write the article in its own transaction and settle its near-duplicate cluster.

One transaction per article means a crawl killed at any moment leaves only whole articles
behind, and the rerun fetches exactly what is missing. ``cluster_id`` is the id of the
story's earliest copy (by trusted publication date), its own id for a first copy.
"""

from __future__ import annotations

from sqlalchemy import select, update

from crawlers.items import ArticleItem
from crawlers.pipelines import StepPipeline
from pipeline.store.articles import ArticleRecord, save_articles
from pipeline.store.db import session_scope
from pipeline.store.models import Article


class StorePipeline(StepPipeline):

    def process_item(self, item: ArticleItem) -> ArticleItem:
        spider = self.crawler.spider
        ctx = spider.ctx
        assert item.published_at is not None
        record = ArticleRecord(
            canonical_url=item.canonical_url, url=item.url, outlet_id=item.outlet_id,
            source_kind=item.source_kind, title=item.title, text=item.text,
            published_at=item.published_at, date_source=item.date_source,
            fetched_at=item.fetched_at, lang=item.lang, author=item.author, html=item.html,
            simhash=item.simhash, cluster_id=item.cluster_id, extra=item.extra)
        with session_scope(ctx.engine) as session:
            save_articles(session, [record])
            article_id = session.execute(select(Article.id).where(
                Article.canonical_url == item.canonical_url)).scalar_one()
            item.cluster_id = self._settle_cluster(session, article_id, item)
        if item.simhash is not None:
            ctx.simhashes.add(article_id, item.simhash)
        kind = item.extra.get("dedup", {}).get("kind", "new")
        self.stats.inc_value(f"steppewatch/stored/{kind}")
        ctx.emit({"event": "stored", "outlet": item.outlet_id, "kind": kind})
        return item

    def _settle_cluster(self, session, article_id: int, item: ArticleItem) -> int:
        root_id = item.cluster_id
        if root_id is None:
            session.execute(update(Article).where(Article.id == article_id)
                            .values(cluster_id=article_id))
            return article_id
        root = session.execute(select(Article.published_at, Article.date_source)
                               .where(Article.id == root_id)).first()
        earlier = (root is not None and item.date_source != "crawl"
                   and root.date_source != "crawl" and item.published_at < root.published_at)
        if earlier:
            # The new copy is the story's earliest: it becomes the cluster's root.
            session.execute(update(Article).where(Article.cluster_id == root_id)
                            .values(cluster_id=article_id))
            root_id = article_id
        session.execute(update(Article).where(Article.id == article_id).values(cluster_id=root_id))
        return root_id

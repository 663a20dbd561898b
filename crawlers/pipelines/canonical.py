"""Canonicalise: the key the article is stored under, from the address its listing gave
(the one incremental crawls check before fetching)."""

from __future__ import annotations

from crawlers.items import ArticleItem
from pipeline.ingest import steps


class CanonicalPipeline:
    def process_item(self, item: ArticleItem) -> ArticleItem:
        steps.canonicalise(item)
        return item

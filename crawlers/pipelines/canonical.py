"""Canonicalise: the key the article is stored under, from the address its listing gave
(the one incremental crawls check before fetching)."""

from __future__ import annotations

from crawlers.items import ArticleItem
from crawlers.urls import canonical_url


class CanonicalPipeline:
    def process_item(self, item: ArticleItem) -> ArticleItem:
        item.canonical_url = canonical_url(item.listed_url)
        return item

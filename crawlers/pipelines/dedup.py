"""Dedup: exact copies by canonical URL and content hash, near copies by SimHash + Jaccard,
reworded flashes of one event by their shared names and numbers
(``pipeline.ingest.steps.dedup``).

Same outlet, same URL or same content: a duplicate, dropped. Another outlet's identical or
nearly identical text: a syndicated copy, kept as reach and put in the story's cluster so the
story counts once.
"""

from __future__ import annotations

from crawlers.items import ArticleItem
from crawlers.pipelines import StepPipeline
from pipeline.ingest import Discard, steps


class DedupPipeline(StepPipeline):

    def process_item(self, item: ArticleItem) -> ArticleItem:
        try:
            steps.dedup(item, self.spider.ctx)
        except Discard as discard:
            raise self.dropped(discard) from None
        return item

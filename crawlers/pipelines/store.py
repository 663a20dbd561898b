"""Store: write the article in its own transaction and settle its near-duplicate cluster
(``pipeline.ingest.steps.store``)."""

from __future__ import annotations

from crawlers.items import ArticleItem
from crawlers.pipelines import StepPipeline
from pipeline.ingest import steps


class StorePipeline(StepPipeline):

    def process_item(self, item: ArticleItem) -> ArticleItem:
        ctx = self.spider.ctx
        kind = steps.store(item, ctx)
        self.stats.inc_value(f"steppewatch/stored/{kind}")
        ctx.emit({"event": "stored", "outlet": item.outlet_id, "kind": kind})
        return item

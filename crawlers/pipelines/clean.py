"""Clean: tidy whitespace and fill what extraction missed (``pipeline.ingest.steps.clean``)."""

from __future__ import annotations

from crawlers.items import ArticleItem
from crawlers.pipelines import StepPipeline
from pipeline.ingest import Discard, steps


class CleanPipeline(StepPipeline):

    def process_item(self, item: ArticleItem) -> ArticleItem:
        try:
            steps.clean(item, self.count)
        except Discard as discard:
            raise self.dropped(discard) from None
        return item

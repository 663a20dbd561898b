"""Date: pick the publication date by precedence (page > feed > text > URL > crawl), set aside
future dates with their reason, and drop articles dated outside the crawl's range
(``pipeline.ingest.steps.date``)."""

from __future__ import annotations

from crawlers.items import ArticleItem
from crawlers.pipelines import StepPipeline
from pipeline.ingest import Discard, steps


class DatePipeline(StepPipeline):

    def process_item(self, item: ArticleItem) -> ArticleItem:
        spider = self.spider
        try:
            steps.date(item, self.count, spider.ctx.in_range)
        except Discard as discard:
            raise self.dropped(discard) from None
        assert item.published_at is not None
        spider.saw_date(item.published_at)
        return item

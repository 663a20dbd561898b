"""Date: pick the publication date by precedence (page > feed > text > URL > crawl), set aside
future dates with their reason, and drop articles dated outside the crawl's range."""

from __future__ import annotations

from crawlers.dates import choose_date
from crawlers.items import ArticleItem
from crawlers.pipelines import StepPipeline, drop
from crawlers.urls import date_from_url


class DatePipeline(StepPipeline):

    def process_item(self, item: ArticleItem) -> ArticleItem:
        spider = self.crawler.spider
        choice = choose_date(page=item.page_date, feed=item.listing_date,
                             url=date_from_url(item.listed_url), fetched_at=item.fetched_at,
                             text=item.text_date)
        item.published_at = choice.published_at
        item.date_source = choice.date_source
        self.stats.inc_value(f"steppewatch/date/{choice.date_source}")
        if choice.rejected:
            self.stats.inc_value("steppewatch/date/future_rejected")
            item.extra["date_rejected"] = choice.rejected
        if choice.date_source != "crawl" and not spider.ctx.in_range(choice.published_at):
            raise drop(self.stats, "out_of_range",
                       f"{item.url} dated {choice.published_at:%Y-%m-%d} ({choice.date_source})")
        spider.saw_date(choice.published_at)
        return item

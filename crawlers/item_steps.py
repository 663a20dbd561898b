"""The crawl's item steps, as Scrapy item pipelines, in the order written once in ``ORDER``.

Each is a thin Scrapy wrapper over a plain function of ``crawlers.ingest.steps`` (which
``steppewatch import`` calls too):

* clean: tidy whitespace and fill what extraction missed;
* date: pick the publication date by precedence (page > feed > text > URL > crawl), set
  aside future dates with their reason, drop articles dated outside the crawl's range;
* canonical: the key the article is stored under, from the address its listing gave (the
  one incremental crawls check before fetching);
* dedup: exact copies by canonical URL and content hash are dropped; another outlet's
  identical or nearly identical text (SimHash + Jaccard) or a reworded flash of one event is
  kept as reach and put in the story's cluster, so the story counts once;
* store: write the article in its own transaction and settle its near-duplicate cluster.

Every discard raises ``DropItem`` after counting itself under ``steppewatch/drop/<reason>``,
so the crawl_runs record shows why each listed article did not arrive.
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawlers.ingest import Discard, steps
from crawlers.items import ArticleItem
from crawlers.spiders.base import OutletSpiderBase

ORDER = (
    "crawlers.item_steps.CleanPipeline",
    "crawlers.item_steps.DatePipeline",
    "crawlers.item_steps.CanonicalPipeline",
    "crawlers.item_steps.DedupPipeline",
    "crawlers.item_steps.StorePipeline",
)
ITEM_PIPELINES = {path: 100 * (i + 1) for i, path in enumerate(ORDER)}


def drop(stats: StatsCollector, reason: str, message: str) -> DropItem:
    """Count a discard under its reason and return the exception to raise."""
    stats.inc_value(f"steppewatch/drop/{reason}")
    return DropItem(f"{reason}: {message}")


class StepPipeline:
    """What every step shares: the crawler (for its spider) and the stats it counts into."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def spider(self) -> OutletSpiderBase:
        """The outlet spider the items come from (these steps serve no other)."""
        spider = self.crawler.spider
        if not isinstance(spider, OutletSpiderBase):
            raise TypeError(f"the steppewatch item steps need an outlet spider, not {spider!r}")
        return spider

    def count(self, name: str) -> None:
        self.stats.inc_value(f"steppewatch/{name}")

    def dropped(self, discard: Discard) -> DropItem:
        return drop(self.stats, discard.reason, discard.message)


class CleanPipeline(StepPipeline):

    def process_item(self, item: ArticleItem) -> ArticleItem:
        try:
            steps.clean(item, self.count)
        except Discard as discard:
            raise self.dropped(discard) from None
        return item


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


class CanonicalPipeline:

    def process_item(self, item: ArticleItem) -> ArticleItem:
        steps.canonicalise(item)
        return item


class DedupPipeline(StepPipeline):

    def process_item(self, item: ArticleItem) -> ArticleItem:
        try:
            steps.dedup(item, self.spider.ctx)
        except Discard as discard:
            raise self.dropped(discard) from None
        return item


class StorePipeline(StepPipeline):

    def process_item(self, item: ArticleItem) -> ArticleItem:
        ctx = self.spider.ctx
        kind = steps.store(item, ctx)
        self.stats.inc_value(f"steppewatch/stored/{kind}")
        ctx.emit({"event": "stored", "outlet": item.outlet_id, "kind": kind})
        return item

"""The item pipelines, one job each, in the order written once in ``ORDER``.

Each is a thin Scrapy wrapper over a plain function of ``pipeline.ingest.steps`` (which
``steppewatch import`` calls too). Every discard raises ``DropItem`` after counting itself
under ``steppewatch/drop/<reason>``, so the crawl_runs record shows why each listed article
did not arrive.
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawlers.spiders.base import OutletSpiderBase
from pipeline.ingest import Discard

ORDER = (
    "crawlers.pipelines.clean.CleanPipeline",
    "crawlers.pipelines.dates.DatePipeline",
    "crawlers.pipelines.canonical.CanonicalPipeline",
    "crawlers.pipelines.dedup.DedupPipeline",
    "crawlers.pipelines.store.StorePipeline",
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
        """The outlet spider the items come from (these pipelines serve no other)."""
        spider = self.crawler.spider
        if not isinstance(spider, OutletSpiderBase):
            raise TypeError(f"the steppewatch pipelines need an outlet spider, not {spider!r}")
        return spider

    def count(self, name: str) -> None:
        self.stats.inc_value(f"steppewatch/{name}")

    def dropped(self, discard: Discard) -> DropItem:
        return drop(self.stats, discard.reason, discard.message)

"""Per-outlet run records: opens the outlet's crawl_runs row when its spider starts and
closes it with the counts by outcome and the errors seen. Spider errors (an exception in a
parse callback) are recorded with their URL too, so a site's redesign is never silent."""

from __future__ import annotations

from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawlers.runs import close_run, counts_from_stats, open_run, status_of


class CrawlRunRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.spider_error, signal=signals.spider_error)
        return ext

    def spider_opened(self, spider: Any) -> None:
        ctx = spider.ctx
        open_run(ctx.engine, run_key=ctx.run_key, outlet_id=spider.outlet.id, since=ctx.since,
                 until=ctx.until)
        ctx.emit({"event": "started", "outlet": spider.outlet.id})

    def spider_error(self, failure: Failure, response: Response, spider: Any) -> None:
        spider.record_error(response.url, "parse_error",
                            f"{type(failure.value).__name__}: {failure.value}")

    def spider_closed(self, spider: Any, reason: str) -> None:
        ctx = spider.ctx
        counts = counts_from_stats(self.crawler.stats.get_stats())
        status = status_of(counts, spider.errors, spider.listings_ok)
        if reason not in ("finished",):
            spider.errors.append({"url": "", "kind": "closed", "message": reason})
            status = "partial" if status == "ok" else status
        close_run(ctx.engine, run_key=ctx.run_key, outlet_id=spider.outlet.id, counts=counts,
                  errors=spider.errors, status=status, newest=spider.newest)
        ctx.emit({"event": "finished", "outlet": spider.outlet.id, "status": status,
                  "counts": counts, "errors": len(spider.errors)})

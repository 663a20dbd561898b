"""One spider class per registry entry, named by outlet id, for ``scrapy crawl ID``.

Scrapy's spider loader finds classes in this module; each is ``OutletSpider`` with its
outlet fixed, and builds its crawl context from the steppewatch settings when Scrapy, not
``steppewatch crawl``, starts it. ``-a since=YYYY-MM-DD -a until=YYYY-MM-DD`` bound it.
Like the crawl worker, it does not migrate: a database whose schema is behind is refused.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Self

from scrapy.crawler import Crawler

from crawlers.context import CrawlContext, default_range
from crawlers.dates import parse_date
from crawlers.registry import load_registry
from crawlers.spiders.outlet import OutletSpider
from pipeline.config import load_settings
from pipeline.store.articles import save_outlets
from pipeline.store.db import make_engine, session_scope
from pipeline.store.migrate import require_schema


class RegisteredOutletSpider(OutletSpider):
    """An outlet spider started by ``scrapy crawl``: builds its own context."""

    name = ""  # not itself a spider Scrapy should list; its per-outlet subclasses are

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        since = kwargs.pop("since", None)
        until = kwargs.pop("until", None)
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.context is None:
            settings = load_settings()
            engine = make_engine(settings.effective_database_url)
            require_schema(engine)  # migrating is left to 'steppewatch db upgrade'
            with session_scope(engine) as session:
                save_outlets(session, [spider.outlet.to_record()])
            low, high = default_range()
            spider.context = CrawlContext(
                engine=engine, crawl=settings.crawl,
                run_key=f"scrapy-{datetime.now(UTC):%Y%m%dT%H%M%S}",
                since=parse_date(since) or low, until=parse_date(until) or high)
        return spider


def _build() -> dict[str, type[RegisteredOutletSpider]]:
    classes = {}
    for spec in load_registry():
        cls_name = "Spider_" + spec.id
        classes[cls_name] = type(cls_name, (RegisteredOutletSpider,),
                                 {"name": spec.id, "outlet": spec, "__module__": __name__})
    return classes


globals().update(_build())

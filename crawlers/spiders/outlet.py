"""The spider of one outlet: every endpoint kind of its registry entry."""

from __future__ import annotations

from crawlers.spiders.archive import ArchiveSpider
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.sitemap import SitemapSpider
from crawlers.spiders.telegram import TelegramSpider


class OutletSpider(FeedSpider, SitemapSpider, ArchiveSpider, TelegramSpider):
    """Built from a registry entry: ``OutletSpider(outlet=spec, context=ctx)``."""

    name = "outlet"

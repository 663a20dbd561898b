"""Responses whose headers name Content-Type without a value (Scrapy's ``Headers.get`` then
gives None, default or not): the spiders read them as having no content type."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy.http import Request, Response, XmlResponse
from scrapy.utils.test import get_crawler
from sqlalchemy import create_engine
from twisted.python.failure import Failure

from crawlers.context import CrawlContext
from crawlers.items import Listing
from crawlers.registry import parse_registry
from crawlers.spiders.outlet import OutletSpider
from pipeline.store.migrate import ensure_schema

FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>t</title>
<item><title>One</title><link>https://example.kz/news/1</link>
<pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate></item>
</channel></rss>"""


def _spider(kind: str = "feed") -> OutletSpider:
    spec = parse_registry([{"id": "example", "name": "Example", "country": "KZ",
                            "languages": ["ru"], "group": "international",
                            "endpoints": {kind: [{"url": "https://example.kz/rss",
                                                  "evidence": "tested"}]}}],
                          where="test")[0]
    engine = create_engine("sqlite://")
    ensure_schema(engine)
    ctx = CrawlContext(engine=engine, run_key="test", since=datetime(1990, 1, 1, tzinfo=UTC),
                       until=datetime(2100, 1, 1, tzinfo=UTC))
    crawler = get_crawler(OutletSpider)
    spider = OutletSpider(outlet=spec, context=ctx)
    spider._set_crawler(crawler)
    crawler.spider = spider
    return spider


def test_feed_with_an_empty_content_type_header_is_still_listed() -> None:
    spider = _spider()
    endpoint = spider.outlet.endpoints[0]
    response = XmlResponse("https://example.kz/rss", body=FEED, headers={"Content-Type": []})
    assert response.headers.get("Content-Type", b"") is None  # what used to crash
    results = list(spider.parse_feed(response, endpoint))
    urls = [r.url for r in results if isinstance(r, Request)]
    assert urls == ["https://example.kz/news/1"]
    assert not spider.errors


def test_non_html_article_with_an_empty_content_type_header_is_recorded() -> None:
    spider = _spider()
    response = Response("https://example.kz/news/1", body=b"\x00", headers={"Content-Type": []})
    assert list(spider.parse_article(response, Listing(url=response.url,
                                                       source_kind="feed"))) == []
    assert spider.errors == [{"url": response.url, "kind": "not_html",
                              "message": "content type "}]


def test_listing_failure_without_a_request_is_recorded() -> None:
    spider = _spider()
    assert list(spider.listing_failed(Failure(ValueError("boom")))) == []
    assert [e["url"] for e in spider.errors] == [""]

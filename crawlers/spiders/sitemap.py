"""Sitemaps: sitemap indexes, Google News sitemaps and plain sitemaps with lastmod, bounded
by the crawl's date range (how backfills reach the past)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

from lxml import etree
from scrapy.http import Request, Response
from scrapy.utils.gz import gunzip

from crawlers.dates import parse_date
from crawlers.items import Listing
from crawlers.registry import Endpoint
from crawlers.spiders.base import OutletSpiderBase

_PARSER = etree.XMLParser(recover=True, remove_comments=True, resolve_entities=False,
                          no_network=True, huge_tree=False)
MAX_CHILD_SITEMAPS = 50


class SitemapSpider(OutletSpiderBase):
    def start_sitemap(self, endpoint: Endpoint) -> Iterator[Request]:
        yield self.listing_request(endpoint, endpoint.url, self.parse_sitemap)

    def parse_sitemap(self, response: Response, endpoint: Endpoint) -> Iterator[Request]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body)
        root = etree.fromstring(body, parser=_PARSER) if body.strip() else None
        if root is None or not isinstance(root.tag, str):
            self.record_error(response.url, "parse_error", "sitemap: not XML")
            yield from self.fallbacks(endpoint)
            return
        kind = etree.QName(root).localname
        if kind == "sitemapindex":
            yield from self._children(response, endpoint, root)
        elif kind == "urlset":
            self.listing_succeeded(endpoint)
            yield from self.article_requests(endpoint, self._entries(response, endpoint, root))
        else:
            self.record_error(response.url, "parse_error", f"sitemap: unexpected root <{kind}>")
            yield from self.fallbacks(endpoint)

    def _children(self, response: Response, endpoint: Endpoint,
                  root: etree._Element) -> Iterator[Request]:
        self.listing_succeeded(endpoint)
        taken = 0
        for node in root.iterchildren("{*}sitemap"):
            loc = _text(node, "loc")
            if not loc:
                continue
            if endpoint.include and endpoint.include not in loc:
                self.stat("skip/sitemap_not_included")
                continue
            lastmod = parse_date(_text(node, "lastmod"))
            # A child map last changed before the range cannot list articles inside it.
            if lastmod is not None and lastmod < self.ctx.since:
                self.stat("skip/sitemap_out_of_range")
                continue
            if taken >= MAX_CHILD_SITEMAPS:
                self.stat("skip/sitemap_over_limit")
                continue
            taken += 1
            yield self.listing_request(endpoint, urljoin(response.url, loc), self.parse_sitemap)

    def _entries(self, response: Response, endpoint: Endpoint,
                 root: etree._Element) -> Iterator[Listing]:
        for node in root.iterchildren("{*}url"):
            loc = _text(node, "loc")
            if not loc:
                continue
            news = node.find("{*}news")
            title = _text(news, "title") if news is not None else None
            when = parse_date(_text(news, "publication_date")) if news is not None else None
            when = when or parse_date(_text(node, "lastmod"))
            if when is not None:
                self.saw_date(when)
            yield Listing(url=urljoin(response.url, loc), source_kind="sitemap",
                          lang=endpoint.lang, title=title, published_at=when)


def _text(node: etree._Element, name: str) -> str | None:
    child = node.find(f"{{*}}{name}")
    if child is None or child.text is None:
        return None
    return child.text.strip() or None

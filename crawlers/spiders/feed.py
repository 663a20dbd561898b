"""Feeds (RSS 0.9x/1.0/2.0, Atom) read with feedparser, fetched with conditional GET."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import feedparser
from scrapy.http import Request, Response
from w3lib.encoding import http_content_type_encoding
from w3lib.html import remove_tags

from crawlers.dates import parse_date
from crawlers.items import Listing
from crawlers.registry import Endpoint
from crawlers.spiders.base import OutletSpiderBase, header_text
from crawlers.state import Validators, load_validators, save_validators


class FeedSpider(OutletSpiderBase):
    def start_feed(self, endpoint: Endpoint) -> Iterator[Request]:
        validators = load_validators(self.ctx.engine, endpoint.url)
        yield self.listing_request(endpoint, endpoint.url, self.parse_feed,
                                   headers=validators.headers(),
                                   meta={"handle_httpstatus_list": [304]})

    def parse_feed(self, response: Response, endpoint: Endpoint) -> Iterator[Request]:
        if response.status == 304:
            # Unchanged since the last run: one small request, nothing to list.
            self.stat("feed/not_modified")
            self.listing_succeeded(endpoint)
            save_validators(self.ctx.engine, url=endpoint.url, outlet_id=self.outlet.id,
                            status=304, validators=Validators())
            return
        content_type = header_text(response, "Content-Type")
        header = http_content_type_encoding(content_type)
        choice = self.choose_encoding(response, declared=_declared(response.body),
                                      current=header)
        if choice is None:  # garbage in every encoding: reported, nothing listed
            yield from self.fallbacks(endpoint)
            return
        if choice.reason != "kept" or header is None:
            # feedparser follows the HTTP header over the XML declaration (RFC 3023); hand it
            # the encoding that was found to read right.
            content_type = f"{content_type.split(';')[0] or 'application/xml'}; " \
                           f"charset={choice.encoding}"
        parsed = feedparser.parse(response.body, response_headers={"content-type": content_type})
        listings = [listing for entry in parsed.entries
                    if (listing := _listing(entry, endpoint, response.url)) is not None]
        damage = parsed.get("bozo_exception") if parsed.bozo else None
        if isinstance(damage, feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType):
            damage = None  # the encoding was settled above (choose_encoding)
        if not listings:
            self.record_error(response.url, "parse_error" if damage else "empty_feed",
                              f"feed: {damage or 'no entries with a link'}")
            yield from self.fallbacks(endpoint)
            return
        if damage is not None:
            # Recoverable damage (a bad character, a truncated tail): keep what parsed.
            self.stat("feed/recovered_malformed")
        self.listing_succeeded(endpoint)
        save_validators(self.ctx.engine, url=endpoint.url, outlet_id=self.outlet.id,
                        status=response.status, validators=_validators(response))
        for listing in listings:
            if listing.published_at:
                self.saw_date(listing.published_at)
        yield from self.article_requests(endpoint, listings)


_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")


def _declared(body: bytes) -> str | None:
    """The encoding the feed's XML declaration names (after a BOM or a comment)."""
    m = _XML_DECLARATION.search(body.lstrip(b"\xef\xbb\xbf")[:500])
    return m.group(1).decode("ascii") if m else None


def _validators(response: Response) -> Validators:
    def header(name: str) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1") if value else None
    return Validators(etag=header("ETag"), last_modified=header("Last-Modified"))


def _listing(entry: Any, endpoint: Endpoint, base: str) -> Listing | None:
    link = entry.get("link")
    if not link:
        return None
    summary = ""
    if entry.get("content"):
        summary = entry["content"][0].get("value", "")
    summary = summary or entry.get("summary", "")
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    if when is None:
        when = entry.get("published") or entry.get("updated")
    return Listing(url=urljoin(base, link.strip()), source_kind="feed", lang=endpoint.lang,
                   title=(entry.get("title") or "").strip() or None,
                   author=(entry.get("author") or "").strip() or None,
                   summary=remove_tags(summary).strip() or None,
                   published_at=parse_date(when))

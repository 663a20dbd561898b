"""The shared base of every outlet spider: endpoints in, article requests and items out.

Each endpoint kind (feed, sitemap, archive, telegram) adds its own listing parser in its own
module; this base turns listings into article requests (skipping what is stored, listed
twice or out of range), fetches and extracts article pages, records every failure with its
URL, and starts an outlet's fallback endpoints of a kind when its primaries fail.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import scrapy
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

from crawlers.context import CrawlContext
from crawlers.dates import outlet_zone, parse_date
from crawlers.encoding import Choice, choose_encoding, codec_name
from crawlers.errors import classify_failure
from crawlers.extract import extract_article
from crawlers.items import ArticleItem, Listing
from crawlers.registry import Endpoint, OutletSpec
from crawlers.urls import canonical_url, date_from_url

log = logging.getLogger(__name__)
STAT = "steppewatch"


class OutletSpiderBase(scrapy.Spider):
    """One outlet, all its endpoints. ``outlet`` comes from the registry entry."""

    name = "outlet"
    # The registry entry: passed to the constructor, or a class attribute of the per-outlet
    # subclasses that ``scrapy crawl`` starts (crawlers.spiders.registered).
    outlet: OutletSpec
    max_articles_per_endpoint: ClassVar[int] = 500

    def __init__(self, *args: Any, outlet: OutletSpec | None = None,
                 context: CrawlContext | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spec = outlet if outlet is not None else getattr(type(self), "outlet", None)
        if spec is None:
            raise ValueError("an outlet spider needs an outlet (a registry entry)")
        self.outlet = spec
        self.name = spec.id
        self.context: CrawlContext | None = context
        self.errors: list[dict[str, Any]] = []
        self.listings_ok = 0
        self.newest: datetime | None = None
        self._seen: set[str] = set()
        self._started: set[str] = set()
        self._kind_ok: dict[str, bool] = {}
        self._per_endpoint: dict[str, int] = {}

    @property
    def default_lang(self) -> str | None:
        """An endpoint without a declared language speaks the outlet's only language."""
        return self.outlet.languages[0] if len(self.outlet.languages) == 1 else None

    @property
    def ctx(self) -> CrawlContext:
        assert self.context is not None, "the crawl context is attached before the crawl starts"
        return self.context

    # --- starting ------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        for endpoint in self.outlet.endpoints:
            if endpoint.primary:
                for request in self.start_endpoint(endpoint):
                    yield request

    def start_endpoint(self, endpoint: Endpoint) -> Iterator[Request]:
        if endpoint.url in self._started:
            return
        self._started.add(endpoint.url)
        self.stat(f"endpoint/{endpoint.kind}")
        yield from getattr(self, f"start_{endpoint.kind}")(endpoint)

    def listing_succeeded(self, endpoint: Endpoint) -> None:
        self.listings_ok += 1
        self._kind_ok[endpoint.kind] = True

    def listing_failed(self, failure: Failure) -> Iterator[Request]:
        """Errback of listing requests: record, then try the fallbacks of that kind once."""
        # Scrapy sets ``request`` on the failures it hands to errbacks (Failure does not
        # declare it).
        request: Request | None = getattr(failure, "request", None)
        if request is None:
            self.record_failure(failure)
            return
        endpoint: Endpoint = request.cb_kwargs["endpoint"]
        page = request.cb_kwargs.get("page") or 1
        if page > 1 and isinstance(failure.value, HttpError) \
                and failure.value.response.status == 404:
            self.stat("archive/end_of_pages")  # paged past the last archive page
            return
        self.record_failure(failure)
        yield from self.fallbacks(endpoint)

    def fallbacks(self, endpoint: Endpoint) -> Iterator[Request]:
        if self._kind_ok.get(endpoint.kind):
            return
        for other in self.outlet.by_kind(endpoint.kind):
            if not other.primary and other.url not in self._started:
                self.stat("endpoint/fallback_used")
                yield from self.start_endpoint(other)

    # --- articles ------------------------------------------------------------------------

    def article_requests(self, endpoint: Endpoint, listings: Iterable[Listing]) -> Iterator[Request]:
        """Requests for the listed articles not stored yet, inside the date range, each once."""
        fresh: list[tuple[str, Listing]] = []
        for listing in listings:
            self.stat("listed")
            canonical = canonical_url(listing.url)
            if canonical in self._seen:
                self.stat("skip/listed_twice")
                continue
            when = listing.published_at or date_from_url(listing.url)
            if not self.ctx.in_range(when):
                # Not marked seen: another listing may date it inside the range.
                self.stat("skip/out_of_range")
                continue
            self._seen.add(canonical)
            fresh.append((canonical, listing))
        known = self.ctx.known_urls(c for c, _ in fresh)
        for canonical, listing in fresh:
            if canonical in known:
                self.stat("skip/known_url")
                continue
            taken = self._per_endpoint.get(endpoint.url, 0)
            if taken >= self.max_articles_per_endpoint:
                self.stat("skip/over_endpoint_limit")
                self.stat("incomplete/endpoint_limit")
                continue
            self._per_endpoint[endpoint.url] = taken + 1
            yield Request(listing.url, callback=self.parse_article, errback=self.record_failure,
                          cb_kwargs={"listing": listing}, dont_filter=True)

    def parse_article(self, response: Response, listing: Listing) -> Iterator[ArticleItem]:
        self.stat("fetched")
        if not isinstance(response, TextResponse):
            self.record_error(response.url, "not_html",
                              f"content type {header_text(response, 'Content-Type', 'utf-8')}")
            return
        decoded = self.decoded(response)
        if decoded is None:
            return
        response = decoded
        html = response.text
        zone = outlet_zone(self.outlet)
        extracted = extract_article(html, zone=zone)
        text, found = extracted.text, extracted.date
        no_text = extracted.no_text
        extra: dict[str, Any] = {}
        hints = self.outlet.article
        if hints.text_selector:
            hinted = "\n".join(t.strip() for t in response.css(hints.text_selector).css("::text")
                               .getall() if t.strip())
            if hinted:
                text, no_text = hinted, None
        page_date = found.when if found and found.origin == "markup" else None
        text_date = found.when if found and found.origin == "text" else None
        if hints.date_selector:
            page_date = parse_date(response.css(hints.date_selector).get(), zone=zone) or page_date
        if found is not None:
            extra["date_zone"] = found.zone
        if extracted.lead_restored:
            self.stat("extract/lead_restored")
        if extracted.title_from == "h1":
            self.stat("extract/title_from_h1")
        yield ArticleItem(
            outlet_id=self.outlet.id, source_kind=listing.source_kind, listed_url=listing.url,
            url=response.url, fetched_at=datetime.now(UTC), lang=listing.lang or self.default_lang,
            title=extracted.title, text=text, author=extracted.author, html=html,
            page_date=page_date, text_date=text_date, description=extracted.description,
            no_text=no_text, listing_date=listing.published_at,
            listing_title=listing.title, listing_author=listing.author,
            listing_summary=listing.summary, extra=extra)

    # --- encodings -----------------------------------------------------------------------

    def choose_encoding(self, response: Response, *, declared: str | None,
                        current: str | None) -> Choice | None:
        """Settle the encoding of a page or feed between the server's charset and the
        document's own declaration; None (after recording ``bad_encoding``) when no
        candidate yields readable Cyrillic."""
        header = http_content_type_encoding(header_text(response, "Content-Type"))
        choice = choose_encoding(response.body, header=header, declared=declared,
                                 current=current)
        if choice.garbage:
            self.record_error(response.url, "bad_encoding",
                              f"no encoding yields readable text (header {header}, "
                              f"declared {declared}, score {choice.score:.2f})")
            return None
        if choice.reason != "kept":
            self.stat(f"encoding/{choice.reason}")
            log.warning("%s: %s decoded as %s (header %s, declared %s, score %.2f)", self.name,
                        response.url, choice.encoding, header, declared, choice.score or 0.0)
        return choice

    def decoded(self, response: TextResponse) -> TextResponse | None:
        """The page decoded with the encoding that reads as language."""
        choice = self.choose_encoding(response, declared=html_body_declared_encoding(
            response.body), current=response.encoding)
        if choice is None:
            return None
        if codec_name(response.encoding) != choice.encoding:
            return response.replace(encoding=choice.encoding)
        return response

    # --- bookkeeping ---------------------------------------------------------------------

    def stat(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"{STAT}/{key}", count)

    def record_failure(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        kind, message = classify_failure(failure)
        self.record_error(request.url if request is not None else "", kind, message)

    def record_error(self, url: str, kind: str, message: str) -> None:
        self.stat(f"error/{kind}")
        self.errors.append({"url": url, "kind": kind, "message": message[:300]})
        log.info("%s: %s %s (%s)", self.name, kind, url, message[:200])

    def saw_date(self, when: datetime) -> None:
        if self.newest is None or when > self.newest:
            self.newest = when

    def listing_request(self, endpoint: Endpoint, url: str, callback: Any,
                        **kwargs: Any) -> Request:
        cb_kwargs = {"endpoint": endpoint, **kwargs.pop("cb_kwargs", {})}
        return Request(url, callback=callback, errback=self.listing_failed, cb_kwargs=cb_kwargs,
                       dont_filter=True, **kwargs)


def header_text(response: Response, name: str, encoding: str = "latin-1") -> str:
    """A response header as text; "" when it is missing or present without a value
    (Scrapy's ``Headers.get`` gives None then, even with a default)."""
    value = response.headers.get(name)
    return value.decode(encoding) if value is not None else ""

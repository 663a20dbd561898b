"""Date archives: listing pages by day (``{date:%Y/%m/%d}`` in the URL) or by page number
(``{page}``), article links picked with the CSS selector declared in the registry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from scrapy.http import Request, Response, TextResponse

from crawlers.items import Listing
from crawlers.registry import Endpoint
from crawlers.spiders.base import OutletSpiderBase
from crawlers.urls import canonical_url, date_from_url

MAX_DAYS = 3660  # the requested range bounds the walk; this only stops a typo of a century


class ArchiveSpider(OutletSpiderBase):
    def start_archive(self, endpoint: Endpoint) -> Iterator[Request]:
        if endpoint.paging == "date":
            day = self.ctx.until.date()
            first = self.ctx.since.date()
            for _ in range(MAX_DAYS):
                if day < first:
                    break
                yield self.listing_request(endpoint, endpoint.url.format(date=day),
                                           self.parse_archive)
                day -= timedelta(days=1)
        else:
            yield self.listing_request(endpoint, endpoint.url.format(page=1), self.parse_archive,
                                       cb_kwargs={"page": 1})

    def parse_archive(self, response: Response, endpoint: Endpoint,
                      page: int | None = None) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            self.record_error(response.url, "parse_error", "archive: not an HTML page")
            return
        links = [response.urljoin(href.strip())
                 for href in response.css(endpoint.link_selector or "a::attr(href)").getall()
                 if href.strip()]
        if not links:
            self.stat("archive/empty_page")
        else:
            self.listing_succeeded(endpoint)
        listings = [Listing(url=link, source_kind="archive", lang=endpoint.lang) for link in links]
        known = self.ctx.known_urls(canonical_url(link) for link in links)
        yield from self.article_requests(endpoint, listings)
        # Paging goes back while pages still bring unknown articles inside the range (an
        # incremental run stops at the first page it has fully seen) or only articles after
        # it (a backfill of an older period pages past them), and the depth allows.
        unknown = [link for link in links if canonical_url(link) not in known
                   and self.ctx.in_range(date_from_url(link))]
        newer = [link for link in links if (d := date_from_url(link)) is not None
                 and d > self.ctx.until]
        if page is not None and (unknown or newer):
            if page < endpoint.max_pages:
                yield self.listing_request(endpoint, endpoint.url.format(page=page + 1),
                                           self.parse_archive, cb_kwargs={"page": page + 1})
            else:  # the range may go on past the deepest page: not complete
                self.stat("incomplete/archive_depth")

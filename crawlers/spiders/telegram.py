"""Public Telegram channels through their web preview (``t.me/s/NAME``), paginated back with
``?before=ID``. Each post is an article: its text, date, view count and link; no second
request is needed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

import parsel
from scrapy.http import Request, Response, TextResponse
from scrapy.selector import Selector

from crawlers.dates import parse_date
from crawlers.items import ArticleItem
from crawlers.registry import Endpoint
from crawlers.spiders.base import OutletSpiderBase
from crawlers.urls import canonical_url

MAX_PAGES = 50
TITLE_CHARS = 200
_VIEWS = re.compile(r"^([\d.,]+)\s*([KkMm]?)$")


class TelegramSpider(OutletSpiderBase):
    def start_telegram(self, endpoint: Endpoint) -> Iterator[Request]:
        yield self.listing_request(endpoint, endpoint.url, self.parse_telegram,
                                   cb_kwargs={"page": 1})

    def parse_telegram(self, response: Response, endpoint: Endpoint,
                       page: int) -> Iterator[ArticleItem | Request]:
        if not isinstance(response, TextResponse):
            self.record_error(response.url, "parse_error", "telegram: not an HTML page")
            return
        posts = response.css(".tgme_widget_message[data-post]")
        if not posts and page > 1:
            self.stat("telegram/end_of_channel")  # paged back past the first post
            return
        if not posts:
            self.record_error(response.url, "parse_error", "telegram: no posts on the page")
            yield from self.fallbacks(endpoint)
            return
        self.listing_succeeded(endpoint)
        items = [item for post in posts if (item := self._post(response, endpoint, post))]
        fresh_ids: list[int] = []
        newer = 0  # posts after the range: a backfill pages back past them
        known = self.ctx.known_urls(item.canonical_url for item in items)
        oldest: datetime | None = None
        for item in items:
            self.stat("listed")
            if item.page_date is not None:
                self.saw_date(item.page_date)
                oldest = item.page_date if oldest is None else min(oldest, item.page_date)
            if item.canonical_url in known:
                self.stat("skip/known_url")
                continue
            if not self.ctx.in_range(item.page_date):
                self.stat("skip/out_of_range")
                newer += item.page_date is not None and item.page_date > self.ctx.until
                continue
            fresh_ids.append(int(item.extra["post_id"]))
            yield item
        ids = [int(post.attrib["data-post"].rsplit("/", 1)[-1]) for post in posts
               if post.attrib["data-post"].rsplit("/", 1)[-1].isdigit()]
        older_needed = oldest is None or oldest >= self.ctx.since
        # Page back while older posts are still wanted and this page was not all known
        # already (an incremental crawl stops at the first page it has seen).
        if ids and (fresh_ids or newer) and older_needed and min(ids) > 1:
            if page < MAX_PAGES:
                yield self.listing_request(endpoint, _before(endpoint.url, min(ids)),
                                           self.parse_telegram, cb_kwargs={"page": page + 1})
            else:  # older posts are wanted past the deepest page: not complete
                self.stat("incomplete/telegram_depth")

    def _post(self, response: Response, endpoint: Endpoint, post: parsel.Selector) -> ArticleItem | None:
        data_post = post.attrib["data-post"]
        post_id = data_post.rsplit("/", 1)[-1]
        link = post.css("a.tgme_widget_message_date::attr(href)").get() \
            or f"https://t.me/{data_post}"
        link = response.urljoin(link)
        text_node = post.css(".tgme_widget_message_text")
        text = _text(text_node[0]) if text_node else ""
        when = parse_date(post.css("a.tgme_widget_message_date time::attr(datetime)").get()
                          or post.css("time::attr(datetime)").get())
        views = _views(post.css(".tgme_widget_message_views::text").get())
        title = text.split("\n", 1)[0][:TITLE_CHARS] if text else ""
        return ArticleItem(
            outlet_id=self.outlet.id, source_kind="telegram", listed_url=link, url=link,
            fetched_at=datetime.now(UTC), lang=endpoint.lang or self.default_lang, title=title, text=text,
            html=post.get(), page_date=when, canonical_url=canonical_url(link),
            extra={"post_id": post_id, "views": views, "channel": data_post.rsplit("/", 1)[0]})


def _text(node: parsel.Selector) -> str:
    """The post's text with its line breaks (``<br>``) kept."""
    html = re.sub(r"<br\s*/?>", "\n", node.get())
    parts = Selector(text=html).css("::text").getall()
    lines = "".join(parts).split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


def _views(raw: str | None) -> int | None:
    if not raw:
        return None
    m = _VIEWS.match(raw.strip())
    if not m:
        return None
    number = float(m[1].replace(",", "."))
    return int(number * {"": 1, "k": 1_000, "m": 1_000_000}[m[2].lower()])


def _before(url: str, post_id: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode({"before": post_id}), ""))

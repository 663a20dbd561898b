"""The record a spider hands to the item pipelines.

Scrapy responses and feedparser entries stop at the spiders: what travels on is this
dataclass of plain values, turned into an ``ArticleRecord`` by the store step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(kw_only=True)
class Listing:
    """What a feed entry, sitemap entry or archive link says about an article before it is
    fetched; it fills what extraction misses."""

    url: str
    source_kind: str
    lang: str | None = None
    title: str | None = None
    author: str | None = None
    summary: str | None = None
    published_at: datetime | None = None


@dataclass(kw_only=True)
class ArticleItem:
    outlet_id: str
    source_kind: str
    listed_url: str                    # the address the listing gave (basis of the canonical URL)
    url: str                           # the address finally fetched (after redirects)
    fetched_at: datetime
    lang: str | None = None
    title: str = ""
    text: str = ""
    author: str | None = None
    html: str | None = None
    page_date: datetime | None = None      # from the page's markup
    text_date: datetime | None = None      # written only in the page's visible text
    description: str = ""                  # the page's own description (og/meta)
    no_text: str | None = None             # why the extracted text is not an article
    listing_date: datetime | None = None
    listing_title: str | None = None
    listing_author: str | None = None
    listing_summary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Filled by the pipelines, in order.
    canonical_url: str = ""
    published_at: datetime | None = None
    date_source: str = ""
    simhash: int | None = None
    cluster_id: int | None = None

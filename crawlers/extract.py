"""Article extraction with trafilatura, wrapped so its types never leave this module.

The page's own date is read separately with htmldate limited to the markup (no URL, no
extensive text search): trafilatura would otherwise fill a date from the URL and label it as
page metadata, which would hide where the date really came from.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from htmldate import find_date
from lxml.etree import ParserError

from crawlers.dates import parse_date

log = logging.getLogger(__name__)
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "max_date": "2100-12-31",
                "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


@dataclass(frozen=True, kw_only=True)
class Extracted:
    title: str
    text: str
    author: str | None
    page_date: datetime | None


def extract_article(html: str) -> Extracted:
    """Title, main text, author and the page's declared publication date of one page."""
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False, date_extraction_params=_DATE_PARAMS)
    except (ParserError, ValueError) as exc:
        log.debug("trafilatura failed: %s", exc)
        doc = None
    title = (getattr(doc, "title", None) or "").strip() if doc is not None else ""
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    author = (getattr(doc, "author", None) or None) if doc is not None else None
    return Extracted(title=title, text=text, author=author, page_date=page_date(html))


def page_date(html: str) -> datetime | None:
    try:
        found = find_date(html, extensive_search=False, original_date=True, url=None,
                          outputformat=_DATE_PARAMS["outputformat"], max_date="2100-12-31")
    except (ParserError, ValueError):
        return None
    return parse_date(found)

"""Article extraction with trafilatura, wrapped so its types never leave this module.

trafilatura gives the main text; the page's own markup (``crawlers.pagemeta``) corrects what
it gets wrong on real pages: the lead paragraph it drops is put back once, the ``h1`` wins
over a shorter SEO title, and a text that is a menu is judged ``no_text``
(``crawlers.textgate``).

The date is read separately, never from the URL (trafilatura would fill one from the URL and
label it page metadata, hiding where it came from): machine-readable markup first (JSON-LD,
meta tags, ``<time>``), then the visible text (htmldate's extensive search, then Russian and
Kazakh month names near the headline), labelled ``text``. A date without a time zone is read
in the outlet's zone and labelled so.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import trafilatura
from htmldate import find_date
from lxml.etree import ParserError

from crawlers.dates import is_zoneless, parse_date
from crawlers.pagemeta import clean, headline, lead, read_meta
from crawlers.textdate import find_text_date
from crawlers.textgate import judge_text

log = logging.getLogger(__name__)
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "max_date": "2100-12-31",
                "outputformat": _DATE_FORMAT}
UTC_ZONE = ZoneInfo("UTC")
_BARE_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(T00:00(:00)?)?$")


@dataclass(frozen=True, kw_only=True)
class PageDate:
    when: datetime
    origin: str        # markup | text
    zone: str          # page (the value carried its zone) | outlet:<IANA zone>


@dataclass(frozen=True, kw_only=True)
class Extracted:
    title: str
    text: str
    author: str | None
    page_date: datetime | None
    date: PageDate | None = None
    description: str = ""
    no_text: str | None = None      # why the text is not an article (textgate), else None
    lead_restored: bool = False
    title_from: str = "meta"        # meta | h1


def extract_article(html: str, *, zone: ZoneInfo | None = None) -> Extracted:
    """Title, main text (lead included), author and publication date of one page; ``zone``
    is the outlet's, for dates the page gives without one."""
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False, date_extraction_params=_DATE_PARAMS)
    except (ParserError, ValueError) as exc:
        log.debug("trafilatura failed: %s", exc)
        doc = None
    title = (getattr(doc, "title", None) or "").strip() if doc is not None else ""
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    author = (getattr(doc, "author", None) or None) if doc is not None else None
    meta = read_meta(html)
    title, title_from = headline(meta, title)
    text = _drop_headline(text, title)
    no_text = judge_text(text, meta.description)
    restored = False
    if no_text:
        text = ""
    else:
        opening = lead(meta, title)
        if opening and not _holds(text, opening):
            text = f"{opening}\n{text}" if text else opening
            restored = True
    found = page_date(html, zone=zone, meta_dates=meta.dates, headline=title, tree=meta.tree)
    return Extracted(title=title, text=text, author=author,
                     page_date=found.when if found else None, date=found,
                     description=meta.description, no_text=no_text, lead_restored=restored,
                     title_from=title_from)


def _drop_headline(text: str, title: str) -> str:
    """trafilatura often starts the text with the headline; the title field holds it."""
    first, _, rest = text.partition("\n")
    if title and clean(first) == clean(title):
        return rest.strip()
    return text


def _holds(text: str, opening: str) -> bool:
    probe = clean(opening)[:80].lower()
    return probe in clean(text).lower()


def page_date(html: str, *, zone: ZoneInfo | None = None, meta_dates: tuple[str, ...] = (),
              headline: str = "", tree: object = None) -> PageDate | None:
    """The page's publication date: markup with a zone, markup without one (read in the
    outlet's zone), htmldate's markup rules, then the visible text."""
    local = zone or UTC_ZONE
    outlet = f"outlet:{local.key}"
    for value in meta_dates:
        if not is_zoneless(value) and (when := parse_date(value)) is not None:
            return PageDate(when=when, origin="markup", zone="page")
    for value in meta_dates:
        if (when := _local(value, local)) is not None:
            return PageDate(when=when, origin="markup", zone=outlet)
    found = _htmldate(html, extensive=False)
    if found and (when := _local(found, local)) is not None:
        return PageDate(when=when, origin="markup", zone=outlet if is_zoneless(found) else "page")
    # Visible text: the date printed nearest the headline (Russian or Kazakh months), else
    # htmldate's extensive search when it found a time of day. A bare day from htmldate is
    # not taken: that is how a footer's "© 2025" becomes 2025-01-01 and fakes a spike.
    visible = find_text_date(_body_text(tree), headline) if tree is not None else None
    if visible is not None:
        if visible.hour == visible.minute == 0:
            visible = visible.replace(hour=12)  # a bare day: see _local
        return PageDate(when=visible.replace(tzinfo=local).astimezone(UTC), origin="text",
                        zone=outlet)
    found = _htmldate(html, extensive=True)
    if found and not _BARE_DAY.match(found) and (when := _local(found, local)) is not None:
        return PageDate(when=when, origin="text", zone=outlet)
    return None


def _local(value: str, local: ZoneInfo) -> datetime | None:
    """A zone-less value read in the outlet's zone. A bare day (htmldate writes one as
    midnight) is taken at local noon, so that the day stays the same in UTC and in any zone
    of the region and a crawl range starting at midnight keeps the day's articles."""
    text = value.strip()
    if _BARE_DAY.match(text):
        text = text[:10] + "T12:00:00"
    return parse_date(text, zone=local)


def _htmldate(html: str, *, extensive: bool) -> str | None:
    try:
        return find_date(html, extensive_search=extensive, original_date=True, url=None,
                         outputformat=_DATE_FORMAT, max_date="2100-12-31")
    except (ParserError, ValueError):
        return None


def _body_text(tree: object) -> str:
    nodes = tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")  # type: ignore[attr-defined]
    return clean(" ".join(nodes))

"""Publication dates: parsing the forms found in feeds and pages, and choosing one.

Precedence is page metadata, then the feed or post, then the page's visible text, then the
URL. A date later than now plus
one day is not trusted (a typo or a scheduled post would fake a spike): it is set aside with
its reason and the next source is tried. Without any trusted date the fetch time stands in
with ``date_source='crawl'``, which the trends never count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from time import struct_time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from crawlers.registry import OutletSpec

FUTURE_TOLERANCE = timedelta(days=1)
_ISO_Z = re.compile(r"Z$")
_TZ_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")
_HAS_ZONE = re.compile(r"(Z|[+-]\d{2}:?\d{2}|GMT|UTC|[A-Z]{3,4})$")


# The zone an outlet's own clock runs in, by country (capital's zone); a registry entry's
# ``timezone`` overrides it (western Kazakhstan, Russia beyond Moscow).
COUNTRY_ZONES = {"KZ": "Asia/Almaty", "RU": "Europe/Moscow", "UA": "Europe/Kyiv",
                 "BY": "Europe/Minsk", "KG": "Asia/Bishkek", "UZ": "Asia/Tashkent",
                 "TJ": "Asia/Dushanbe", "TM": "Asia/Ashgabat", "MN": "Asia/Ulaanbaatar",
                 "AZ": "Asia/Baku", "GE": "Asia/Tbilisi", "AM": "Asia/Yerevan",
                 "TR": "Europe/Istanbul", "CN": "Asia/Shanghai", "BG": "Europe/Sofia",
                 "CZ": "Europe/Prague", "DE": "Europe/Berlin", "FR": "Europe/Paris",
                 "GB": "Europe/London", "US": "America/New_York"}


def outlet_zone(outlet: OutletSpec | None) -> ZoneInfo:
    """The zone a zone-less date of this outlet is read in (UTC when nothing is known)."""
    if outlet is None:
        return ZoneInfo("UTC")
    return ZoneInfo(outlet.timezone or COUNTRY_ZONES.get(outlet.country, "UTC"))


def is_zoneless(value: str | None) -> bool:
    """True for a date string without an offset, Z or zone name (a bare day included)."""
    if not value:
        return False
    return not _HAS_ZONE.search(value.strip())


def parse_date(value: str | struct_time | datetime | None, *,
               zone: ZoneInfo | None = None) -> datetime | None:
    """An aware UTC datetime from ISO 8601, RFC 822 or a feedparser time tuple; None when the
    value is missing or unreadable. A value without a zone is read in ``zone`` (the outlet's
    own, see ``outlet_zone``) or, without one, as UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, struct_time):
        dt = datetime(*value[:6], tzinfo=UTC)
    else:
        text = value.strip()
        parsed = _iso(text) or _rfc822(text)
        if parsed is None:
            return None
        dt = parsed
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone or UTC)
    # Publication times are kept to the second: JSON-LD's milliseconds would make the same
    # instant from a meta tag look different.
    return dt.astimezone(UTC).replace(microsecond=0)


def _iso(text: str) -> datetime | None:
    text = _TZ_NO_COLON.sub(r"\1:\2", _ISO_Z.sub("+00:00", text))
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


@dataclass(frozen=True, kw_only=True)
class DateChoice:
    published_at: datetime
    date_source: str                      # page | feed | text | url | crawl
    rejected: list[dict[str, str]] = field(default_factory=list)


def choose_date(*, page: datetime | None, feed: datetime | None, url: datetime | None,
                fetched_at: datetime, text: datetime | None = None) -> DateChoice:
    """Apply the precedence page > feed > text > url > crawl, refusing dates in the future.
    A date read from the page's visible text ranks below the feed's machine-readable one
    and above the URL's bare day."""
    limit = fetched_at + FUTURE_TOLERANCE
    rejected: list[dict[str, str]] = []
    for source, value in (("page", page), ("feed", feed), ("text", text), ("url", url)):
        if value is None:
            continue
        if value > limit:
            rejected.append({"source": source, "value": value.isoformat(), "reason": "future"})
            continue
        return DateChoice(published_at=value, date_source=source, rejected=rejected)
    return DateChoice(published_at=fetched_at, date_source="crawl", rejected=rejected)

"""Publication dates: parsing the forms found in feeds and pages, and choosing one.

Precedence is page metadata, then the feed or post, then the URL. A date later than now plus
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

FUTURE_TOLERANCE = timedelta(days=1)
_ISO_Z = re.compile(r"Z$")
_TZ_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_date(value: str | struct_time | datetime | None) -> datetime | None:
    """An aware UTC datetime from ISO 8601, RFC 822 or a feedparser time tuple; None when the
    value is missing or unreadable (naive values are taken as UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, struct_time):
        dt = datetime(*value[:6], tzinfo=UTC)
    else:
        text = value.strip()
        dt = _iso(text) or _rfc822(text)
        if dt is None:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


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
    date_source: str                      # page | feed | url | crawl
    rejected: list[dict[str, str]] = field(default_factory=list)


def choose_date(*, page: datetime | None, feed: datetime | None, url: datetime | None,
                fetched_at: datetime) -> DateChoice:
    """Apply the precedence page > feed > url > crawl, refusing dates in the future."""
    limit = fetched_at + FUTURE_TOLERANCE
    rejected: list[dict[str, str]] = []
    for source, value in (("page", page), ("feed", feed), ("url", url)):
        if value is None:
            continue
        if value > limit:
            rejected.append({"source": source, "value": value.isoformat(), "reason": "future"})
            continue
        return DateChoice(published_at=value, date_source=source, rejected=rejected)
    return DateChoice(published_at=fetched_at, date_source="crawl", rejected=rejected)

"""Canonical URLs, dates, near-duplicates and the retry delay: tables of real-looking inputs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawlers.dates import choose_date, parse_date
from crawlers.middlewares import retry_after_seconds
from crawlers.neardup import JACCARD_MIN, SimhashIndex, jaccard, shingles, simhash
from crawlers.urls import canonical_url, date_from_url
from tests.crawlers.fixtures import STORY, story, variant


@pytest.mark.parametrize("url, expected", [
    ("https://www.tengrinews.kz/kazakhstan_news/ucheniya-123/?utm_source=tg&utm_medium=x#top",
     "https://tengrinews.kz/kazakhstan_news/ucheniya-123"),
    ("http://m.lenta.ru/news/2025/06/14/drony/", "https://lenta.ru/news/2025/06/14/drony"),
    ("https://ria.ru/20250614/kazakhstan-1234.html?fbclid=abc&yclid=1&gclid=2",
     "https://ria.ru/20250614/kazakhstan-1234.html"),
    ("https://www.inform.kz/ru/article/amp/", "https://inform.kz/ru/article"),
    ("https://amp.rbc.ru/rbcnews/politics/a.amp.html", "https://rbc.ru/rbcnews/politics/a.html"),
    ("https://t.me/s/tengrinews/123", "https://t.me/tengrinews/123"),
    ("https://t.me/tengrinews/123", "https://t.me/tengrinews/123"),
    ("https://24.kz/ru/news?format=feed&b=2&a=1", "https://24.kz/ru/news?a=1&b=2&format=feed"),
    ("http://127.0.0.1:8123/a/b.html?utm_campaign=x", "http://127.0.0.1:8123/a/b.html"),
])
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize("url, day", [
    ("https://lenta.ru/news/2025/06/14/drony/", "2025-06-14"),
    ("https://ria.ru/20250614/kazakhstan-1234.html", "2025-06-14"),
    ("https://kz.kursiv.media/2025-06-14/voennye-rashody/", "2025-06-14"),
    ("https://tengrinews.kz/kazakhstan_news/ucheniya-123/", None),
    ("https://example.kz/2025/13/40/x", None),
])
def test_date_from_url(url: str, day: str | None) -> None:
    found = date_from_url(url)
    assert (found.strftime("%Y-%m-%d") if found else None) == day


@pytest.mark.parametrize("raw, iso", [
    ("Sat, 14 Jun 2025 10:20:00 +0500", "2025-06-14T05:20:00+00:00"),
    ("2025-06-14T10:20:00+05:00", "2025-06-14T05:20:00+00:00"),
    ("2025-06-14T10:20:00Z", "2025-06-14T10:20:00+00:00"),
    ("2025-06-14T10:20:00+0500", "2025-06-14T05:20:00+00:00"),
    ("2025-06-14", "2025-06-14T00:00:00+00:00"),
    ("вчера", None),
    ("", None),
])
def test_parse_date(raw: str, iso: str | None) -> None:
    found = parse_date(raw)
    assert (found.isoformat() if found else None) == iso


def test_date_precedence_and_future_dates() -> None:
    now = datetime(2025, 6, 14, 12, tzinfo=UTC)
    page, feed, url = now - timedelta(hours=3), now - timedelta(hours=5), now - timedelta(days=1)
    assert choose_date(page=page, feed=feed, url=url, fetched_at=now).date_source == "page"
    assert choose_date(page=None, feed=feed, url=url, fetched_at=now).date_source == "feed"
    assert choose_date(page=None, feed=None, url=url, fetched_at=now).date_source == "url"
    none = choose_date(page=None, feed=None, url=None, fetched_at=now)
    assert (none.date_source, none.published_at) == ("crawl", now)
    future = choose_date(page=now + timedelta(days=30), feed=feed, url=None, fetched_at=now)
    assert future.date_source == "feed"
    assert future.rejected == [{"source": "page", "value": (now + timedelta(days=30)).isoformat(),
                                "reason": "future"}]
    # Tomorrow morning is still "today" somewhere: within a day is tolerated.
    assert choose_date(page=now + timedelta(hours=20), feed=None, url=None,
                       fetched_at=now).date_source == "page"


def test_near_duplicates_found_and_unrelated_texts_kept_apart() -> None:
    a, b, c = simhash(STORY), simhash(variant(STORY)), simhash(story(1))
    index = SimhashIndex()
    index.add(1, a)
    index.add(2, c)
    assert index.candidates(b)[0] == 1
    assert jaccard(shingles(STORY), shingles(variant(STORY))) >= JACCARD_MIN
    assert jaccard(shingles(STORY), shingles(story(1))) < 0.1
    assert simhash("Коротко.") is None  # too short to compare: exact matching only


def test_retry_after_forms() -> None:
    now = datetime(2025, 6, 14, 12, tzinfo=UTC)
    assert retry_after_seconds(b"7") == 7
    assert retry_after_seconds(b"Sat, 14 Jun 2025 12:00:30 GMT", now) == 30
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None

"""What every spider and pipeline of one crawl shares: the database, the run key, the date
range and the progress sink. One object per crawl process, passed to each spider."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select

from crawlers.neardup import SimhashIndex
from pipeline.config import CrawlSettings
from pipeline.store.models import Article

log = logging.getLogger(__name__)
# Stories are matched against copies stored up to this long before the crawl's range.
NEARDUP_WINDOW = timedelta(days=30)


def print_event(event: dict[str, Any]) -> None:
    """The worker's progress channel: one JSON object per line on stdout."""
    sys.stdout.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


@dataclass(kw_only=True)
class CrawlContext:
    engine: Engine
    run_key: str
    since: datetime
    until: datetime
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    emit: Callable[[dict[str, Any]], None] = lambda event: log.debug("event %s", event)
    _simhashes: SimhashIndex | None = None

    def in_range(self, when: datetime | None) -> bool:
        """Inside [since, until + 1 day]; an unknown date is given the benefit of the doubt."""
        if when is None:
            return True
        return self.since <= when <= self.until + timedelta(days=1)

    def known_urls(self, canonical_urls: Iterable[str]) -> set[str]:
        """Which of these canonical URLs are already stored (by any outlet)."""
        urls = list(dict.fromkeys(canonical_urls))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(urls), 500):
                chunk = urls[start:start + 500]
                found.update(conn.execute(
                    select(Article.canonical_url).where(Article.canonical_url.in_(chunk))).scalars())
        return found

    @property
    def simhashes(self) -> SimhashIndex:
        """The simhashes of recent stored articles, loaded once per crawl process."""
        if self._simhashes is None:
            index = SimhashIndex()
            floor = self.since - NEARDUP_WINDOW
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(Article.id, Article.simhash)
                    .where(Article.simhash.is_not(None), Article.published_at >= floor)
                    .order_by(Article.id))
                for article_id, value in rows:
                    if value is not None:  # never: the query keeps only set simhashes
                        index.add(article_id, value)
            self._simhashes = index
        return self._simhashes


def default_range(now: datetime | None = None, days: int = 7) -> tuple[datetime, datetime]:
    now = now or datetime.now(UTC)
    return now - timedelta(days=days), now

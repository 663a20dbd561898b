"""Ingest: clean, date, canonicalise, de-duplicate and store one collected piece.

The same plain functions serve the crawler (``crawlers/item_steps.py`` wraps them as Scrapy
item pipelines) and ``steppewatch import`` (``crawlers.ingest.archive``), so an archive
loaded from a file and a crawled page become exactly the same rows. Every discard raises
``Discard`` with a named reason; every step counts what it did through ``count`` (the crawl's
stats, or the import's summary).
"""

from __future__ import annotations

from collections.abc import Callable

Count = Callable[[str], None]  # a counter name, e.g. "clean/text_from_feed"


class Discard(Exception):
    """The piece is not stored; ``reason`` names why (counted as ``drop/<reason>``)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message

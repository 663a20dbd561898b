"""Crawl throughput: pages/s through crawl + extract + store (the real spiders, pipelines and
SQLite, in the crawl subprocess) against a local web, next to a bare loop that only extracts
the same pages with the same extractor, in one run. Also the crawl process's peak memory.

Politeness delays are switched off here (a local server): the figure is the cost of the
machinery, not of waiting. The local web is tests/crawlers/fixtures.py (the replay web in
replayweb/ can replace it once it serves pages); pages carry ~50 KB of site chrome
around the article, like real news pages.
"""

from __future__ import annotations

import os
import random
import resource
import tempfile
import time
from pathlib import Path

from crawlers.extract import extract_article
from crawlers.runner import crawl
from tests.crawlers.fixtures import (
    DAY,
    FAST,
    NOW,
    Site,
    article_html,
    migrated,
    registry,
    rss,
    serve,
    settings_for,
    story,
)

N = int(os.environ.get("BENCH_CRAWL_N", "300"))
CHROME = "".join(f"<li><a href='/section/{i}'>Раздел новостей номер {i}</a></li>" for i in range(600))


_WORDS = " ".join(story(i, 30) for i in range(3)).replace(".", "").split()


def _text(i: int) -> str:
    """Distinct stories, as most of a real crawl is (few near-duplicate candidates)."""
    rng = random.Random(i)
    words = rng.sample(_WORDS, 200)
    return ". ".join(" ".join(words[k:k + 12]).capitalize() for k in range(0, 200, 12)) + "."


def _page(i: int) -> str:
    html = article_html(f"Статья номер {i}", _text(i), date=NOW - DAY)
    return html.replace("<nav>", f"<nav><ul>{CHROME}</ul>").replace(
        "<footer>", f"<aside><ul>{CHROME[: len(CHROME) // 3]}</ul></aside><footer>")


def _bare(pages: list[str]) -> float:
    t0 = time.perf_counter()
    for html in pages:
        extract_article(html)
    return len(pages) / (time.perf_counter() - t0)


def run() -> list[tuple[str, str, str, str]]:
    pages = [_page(i) for i in range(N)]
    # The bare loop runs before and after the crawl and is averaged: the machine is shared,
    # and a load change during the run should not land on one side only.
    bare_before = _bare(pages[: N // 2])
    site = Site()
    with serve(site), tempfile.TemporaryDirectory() as tmp:
        site.add("/feed.xml", rss([(f"{site.url}/a/{i}.html", f"Статья {i}", NOW - DAY)
                                   for i in range(N)]), content_type="application/rss+xml")
        for i, html in enumerate(pages):
            site.add(f"/a/{i}.html", html)
        specs = registry(site, [{"id": "bench", "endpoints": {"feed": [{"url": "/feed.xml"}]}}])
        marks: dict[str, float] = {}

        def clock(event) -> None:
            marks.setdefault(event.kind, time.perf_counter())
            if event.kind == "finished":
                marks["finished"] = time.perf_counter()

        db = f"sqlite:///{Path(tmp) / 'bench.db'}"
        summary = crawl(settings_for(migrated(db), tmp), specs, NOW - 2 * DAY, NOW, progress=clock,
                        scrapy_overrides={**FAST, "LOG_LEVEL": "WARNING"})
        stored = summary.total("stored/")
        crawl_rate = stored / (marks["finished"] - marks["started"])
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    bare_rate = (bare_before + _bare(pages[N // 2:])) / 2
    ratio = crawl_rate / bare_rate
    kb = sum(len(p.encode()) for p in pages) / N / 1024
    return [
        (f"crawl+extract+store, {N} pages of {kb:.0f} KB", "pages/s", f"{crawl_rate:,.1f}", ""),
        ("bare extract loop, same pages", "pages/s", f"{bare_rate:,.1f}", ""),
        ("crawl / bare", "ratio", f"{ratio:.2f}", ">= 0.80"),
        ("crawl process", "peak RSS MB", f"{peak_mb:,.0f}", ""),
        ("stored", "articles", str(stored), str(N)),
    ]

"""The crawler on real markup: every file of ``../shared/realweb/`` through the spiders' own
callbacks and the item pipelines, scored against what a person read in it (its manifest).

    python -m tests.crawlers.realweb            # per-kind accuracy and every wrong check
    python -m tests.crawlers.realweb --write    # pin the current figures in realweb_baseline.json

Nothing is fetched: each saved file becomes a Scrapy response and is handed to the callback
a crawl would call (``parse_article``, ``parse_feed``, ``parse_sitemap``, ``parse_telegram``);
articles then pass the clean and date pipelines, and their language is what the analysis
(``pipeline.nlp.lang``) says. tests/crawlers/test_realweb.py fails when a figure drops below
its floor.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request, Response, XmlResponse
from scrapy.utils.test import get_crawler
from sqlalchemy import create_engine

from crawlers.context import CrawlContext
from crawlers.dates import outlet_zone, parse_date
from crawlers.item_steps import CleanPipeline, DatePipeline
from crawlers.items import ArticleItem, Listing
from crawlers.registry import Endpoint, parse_registry
from crawlers.spiders.outlet import OutletSpider
from pipeline.nlp.lang import detect
from pipeline.store.migrate import ensure_schema

ROOT = Path(__file__).resolve().parents[2]
REALWEB = Path(os.environ.get("STEPPEWATCH_REALWEB", ROOT.parent / "shared" / "realweb"))
BASELINE = Path(__file__).resolve().parent / "realweb_baseline.json"

# The country each outlet publishes from (what its registry entry would say): zone-less
# dates are read in that country's zone. Kazakh, Russian, Ukrainian and Bulgarian outlets.
COUNTRY = {"inform.kz": "KZ", "ukrinform.ru": "UA", "unn.com.ua": "UA", "football.ua": "UA",
           "pravda.com.ua": "UA", "24tv.ua": "UA", "zaxid.net": "UA", "epravda.com.ua": "UA",
           "actualno.com": "BG"}
# How the feeds are served: a Russian server's usual header, windows-1251, also in front of
# the KOI8-R files (the disagreement between header and XML declaration the crawler must
# settle); the UTF-8 feed with its own charset.
FEED_CHARSET = {"lenta.ru": "utf-8"}
FEED_CHARSET_DEFAULT = "windows-1251"
EPOCH = datetime(1990, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)


@dataclass(kw_only=True)
class Check:
    file: str
    kind: str
    field: str
    ok: bool
    got: Any
    want: Any


@dataclass(kw_only=True)
class Report:
    checks: list[Check] = field(default_factory=list)
    stats: Counter[str] = field(default_factory=Counter)

    def by_kind(self) -> dict[str, tuple[int, int]]:
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for c in self.checks:
            out[c.kind][0] += c.ok
            out[c.kind][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    @property
    def wrong(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def figures(self) -> dict[str, float]:
        figs = {kind: round(ok / n, 4) for kind, (ok, n) in self.by_kind().items()}
        figs["all"] = round(sum(c.ok for c in self.checks) / max(len(self.checks), 1), 4)
        return figs


def available() -> bool:
    return (REALWEB / "manifest.jsonl").is_file()


def manifest() -> list[dict[str, Any]]:
    with open(REALWEB / "manifest.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --- normalising what is compared ---------------------------------------------------------

_QUOTES = str.maketrans({"«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "\u00a0": " ",
                         "–": "-", "—": "-", "ё": "е"})
_WS = re.compile(r"\s+")


def norm(text: str | None) -> str:
    return _WS.sub(" ", (text or "").translate(_QUOTES)).strip()


# --- running the spiders ------------------------------------------------------------------

def _endpoint_url(entry: dict[str, Any], kind: str) -> str:
    if kind == "telegram":  # the registry takes Telegram channels as their public preview
        return "https://t.me/s/" + entry["outlet"].split("/")[-1]
    return entry["url"]


class _Harness:
    """One outlet spider with a crawler, an in-memory database and a range wide open."""

    def __init__(self, entry: dict[str, Any]) -> None:
        outlet = entry["outlet"]
        country = COUNTRY.get(outlet, "RU")
        kind = {"article": "feed"}.get(entry["kind"], entry["kind"])
        oid = re.sub(r"[^a-z0-9]+", "_", outlet.lower()).strip("_")
        spec = parse_registry([{"id": oid, "name": outlet, "country": country,
                                "languages": ["ru"], "group": "international",
                                "endpoints": {kind: [{"url": _endpoint_url(entry, kind),
                                                      "evidence": "tested"}]}}],
                              where="realweb")[0]
        engine = create_engine("sqlite://")
        ensure_schema(engine)
        self.ctx = CrawlContext(engine=engine, run_key="realweb", since=EPOCH, until=FAR)
        self.crawler = get_crawler(OutletSpider)
        self.spider = OutletSpider(outlet=spec, context=self.ctx)
        self.spider._set_crawler(self.crawler)
        self.crawler.spider = self.spider
        self.endpoint: Endpoint = spec.endpoints[0]
        self.zone = outlet_zone(spec)

    def stats(self) -> dict[str, int]:
        return {k.removeprefix("steppewatch/"): v for k, v in self.crawler.stats.get_stats().items()
                if k.startswith("steppewatch/")}


def _listings(results: list[Any]) -> list[Listing]:
    return [r.cb_kwargs["listing"] for r in results
            if isinstance(r, Request) and "listing" in r.cb_kwargs]


def run_article(entry: dict[str, Any], body: bytes) -> tuple[ArticleItem | None, str, _Harness]:
    """The stored item (None when discarded) and the discard reason."""
    h = _Harness(entry)
    response = HtmlResponse(entry["url"], body=body, headers={"Content-Type": "text/html"})
    listing = Listing(url=entry["url"], source_kind="feed")
    items = [i for i in h.spider.parse_article(response, listing) if isinstance(i, ArticleItem)]
    if not items:
        return None, "not_extracted", h
    item = items[0]
    try:
        item = CleanPipeline(h.crawler).process_item(item)
        item = DatePipeline(h.crawler).process_item(item)
    except DropItem as exc:
        return None, str(exc).split(":", 1)[0], h
    return item, "", h


def _same_instant(got: datetime | None, want: str | None, zone) -> bool:
    if want is None:
        return got is None
    expected = parse_date(want, zone=zone)
    return got is not None and expected is not None and got == expected


def score_article(entry: dict[str, Any], body: bytes, report: Report) -> None:
    want = entry["expect"]
    item, reason, h = run_article(entry, body)
    report.stats.update(h.stats())

    def check(name: str, ok: bool, got: Any, expected: Any) -> None:
        report.checks.append(Check(file=entry["file"], kind="article", field=name, ok=ok,
                                   got=got, want=expected))

    if want["body_start"] is None:
        # Nothing of the article is in the saved page: the right outcome is a discard as
        # no_text (its headline and date are then not stored, so they are not judged).
        check("body_start", item is None and reason == "no_text", reason or "stored",
              "no_text")
        return
    if item is None:
        for name in ("headline", "date", "lang", "body_start"):
            check(name, False, f"discarded: {reason}", want.get(name))
        return
    check("headline", norm(item.title) == norm(want["headline"]), item.title, want["headline"])
    day = item.published_at.astimezone(h.zone).date().isoformat() \
        if item.published_at and item.date_source != "crawl" else None
    check("date", day == want["date"], f"{day} ({item.date_source})", want["date"])
    if want.get("date_iso"):
        check("date_iso", _same_instant(item.published_at, want["date_iso"], h.zone),
              item.published_at.isoformat() if item.published_at else None, want["date_iso"])
    lang = detect(item.text, item.title)
    expected_lang = want["lang"] if want["lang"] in ("ru", "kk") else "other"
    check("lang", lang == expected_lang, lang, expected_lang)
    text = norm(item.text)
    at = text.find(norm(want["body_start"]))
    # The body's first words open the text, after at most a subtitle or lead kept before them.
    check("body_start", 0 <= at <= 400, text[:120], want["body_start"])


def score_listing(entry: dict[str, Any], body: bytes, report: Report) -> None:
    want, kind = entry["expect"], entry["kind"]
    h = _Harness(entry)
    response: Response
    if kind == "feed":
        charset = FEED_CHARSET.get(entry["outlet"], FEED_CHARSET_DEFAULT)
        response = Response(entry["url"], body=body, headers={
            "Content-Type": f"application/rss+xml; charset={charset}"})
        results = list(h.spider.parse_feed(response, endpoint=h.endpoint))
    else:
        response = XmlResponse(entry["url"], body=body,
                               headers={"Content-Type": "application/xml"})
        results = list(h.spider.parse_sitemap(response, endpoint=h.endpoint))
    report.stats.update(h.stats())
    requested = _listings(results)
    stats = h.stats()
    first = requested[0] if requested else None

    def check(name: str, ok: bool, got: Any, expected: Any) -> None:
        report.checks.append(Check(file=entry["file"], kind=kind, field=name, ok=ok, got=got,
                                   want=expected))

    check("items", stats.get("listed", 0) == want["items"], stats.get("listed", 0), want["items"])
    if "unique_urls" in want:
        check("unique_urls", len(requested) == want["unique_urls"], len(requested),
              want["unique_urls"])
    check("first_url", first is not None and first.url == want["first_url"],
          first and first.url, want["first_url"])
    if want.get("first_title") is not None:
        check("first_title", first is not None and norm(first.title) == norm(want["first_title"]),
              first and first.title, want["first_title"])
    got_date = first.published_at if first else None
    if kind == "sitemap":
        ok = (got_date.date().isoformat() if got_date else None) == want["first_date"]
    else:
        ok = _same_instant(got_date, want["first_date"], h.zone)
    check("first_date", ok, got_date.isoformat() if got_date else None, want["first_date"])


def score_telegram(entry: dict[str, Any], body: bytes, report: Report) -> None:
    want = entry["expect"]
    h = _Harness(entry)
    response = HtmlResponse(entry["url"], body=body,
                            headers={"Content-Type": "text/html; charset=utf-8"})
    items = [i for i in h.spider.parse_telegram(response, endpoint=h.endpoint, page=1)
             if isinstance(i, ArticleItem)]
    report.stats.update(h.stats())
    first = items[0] if items else None

    def check(name: str, ok: bool, got: Any, expected: Any) -> None:
        report.checks.append(Check(file=entry["file"], kind="telegram", field=name, ok=ok,
                                   got=got, want=expected))

    check("posts", len(items) == want["posts"], len(items), want["posts"])
    check("first_date", first is not None and _same_instant(first.page_date, want["first_date"], UTC),
          first and first.page_date and first.page_date.isoformat(), want["first_date"])
    text = norm(first.text if first else "")
    if want["first_text"] is None:
        check("first_text", first is not None and not text, text[:80], None)
    else:
        check("first_text", text.startswith(norm(want["first_text"])), text[:80],
              want["first_text"])


def evaluate() -> Report:
    report = Report()
    for entry in manifest():
        body = (REALWEB / entry["file"]).read_bytes()
        if entry["kind"] == "article":
            score_article(entry, body, report)
        elif entry["kind"] == "telegram":
            score_telegram(entry, body, report)
        else:
            score_listing(entry, body, report)
    return report


def _print(report: Report) -> None:
    print(f"{'kind':<10}{'right':>7}{'checks':>8}{'accuracy':>10}")
    for kind, (ok, n) in report.by_kind().items():
        print(f"{kind:<10}{ok:>7}{n:>8}{ok / n:>10.3f}")
    total = len(report.checks)
    right = total - len(report.wrong)
    print(f"{'all':<10}{right:>7}{total:>8}{right / max(total, 1):>10.3f}")
    for c in report.wrong:
        print(f"WRONG {c.file} {c.field}: got {str(c.got)[:100]!r}, want {str(c.want)[:100]!r}")
    crawl = {k: v for k, v in sorted(report.stats.items())
             if k.split("/")[0] in ("encoding", "no_text", "drop", "date", "error", "extract")}
    print("crawl stats:", json.dumps(crawl, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="pin the figures as floors")
    args = parser.parse_args(argv)
    if not available():
        print(f"no real material at {REALWEB}: nothing to score", file=sys.stderr)
        return 2
    report = evaluate()
    _print(report)
    if args.write:
        BASELINE.write_text(json.dumps(report.figures(), indent=2) + "\n", encoding="utf-8")
        print(f"floors written to {BASELINE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

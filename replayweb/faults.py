"""The fault outlet ``sim_faulty``: every failure a crawler meets on the real web, under
``/faults/``. These routes are always served; ``--faults`` only adds the outlet to the
manifest so that a crawl meets them through its feeds and sitemap. ``expectations()`` says
what each URL must produce (the ground truth of the fault mode)."""

from __future__ import annotations

import gzip
import random
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from replayweb import compose
from replayweb.corpus import build_corpus
from replayweb.outlets import ALMATY
from replayweb.render.common import GENERATOR, esc, note
from replayweb.reply import Reply, html, not_found, redirect, xml

PREFIX = "/faults"
WHEN = datetime(2025, 6, 20, 11, 30, tzinfo=ALMATY)
PHRASE = "Съешь же ещё этих мягких французских булок, да выпей чаю"
HUGE_BYTES = 12 * 1024 * 1024
RETRY_AFTER = 1

# path -> what a crawler should make of it. `outcome`: article (a new piece), duplicate (same
# page as another URL), near_duplicate (a syndicated copy of a corpus story), error (recorded,
# not fatal), skipped (never fetched: robots.txt), partial (broken document, recover or record).
_EXPECT: dict[str, dict[str, Any]] = {
    "/faults/status/404": {"kind": "http_404", "status": 404, "outcome": "error"},
    "/faults/status/500": {"kind": "http_500", "status": 500, "outcome": "error"},
    "/faults/status/503": {"kind": "http_503_retry_after", "status": 503, "outcome": "error",
                           "retry_after": RETRY_AFTER, "note": "always 503; retries honour Retry-After then give up"},
    "/faults/flaky/503-once": {"kind": "http_503_then_ok", "status": 503, "outcome": "article",
                               "retry_after": RETRY_AFTER, "note": "503 on the first request, 200 after"},
    "/faults/slow": {"kind": "slow", "status": 200, "outcome": "error",
                     "note": "answers after the server's slow_delay (or ?delay=S): a timeout"},
    "/faults/feed/malformed.xml": {"kind": "malformed_xml_feed", "status": 200, "outcome": "partial",
                                   "note": "bozo feed; a lenient parser recovers its 2 links"},
    "/faults/feed/truncated.xml": {"kind": "truncated_xml_feed", "status": 200, "outcome": "partial",
                                   "note": "cut inside the second item"},
    "/faults/sitemap/truncated.xml": {"kind": "truncated_xml_sitemap", "status": 200, "outcome": "partial"},
    "/faults/sitemap/missing.xml": {"kind": "sitemap_404", "status": 404, "outcome": "error"},
    "/faults/sitemap-news.xml.gz": {"kind": "gzipped_sitemap_file", "status": 200, "outcome": "partial",
                                    "note": "a .xml.gz file (application/x-gzip), not Content-Encoding"},
    "/faults/html/truncated": {"kind": "truncated_html", "status": 200, "outcome": "partial",
                               "note": "the page stops mid-paragraph; text up to there is usable"},
    "/faults/html/short-read": {"kind": "short_read", "status": 200, "outcome": "error",
                                "note": "Content-Length larger than the body, then the connection closes"},
    "/faults/cp1251/header": {"kind": "cp1251_charset_header", "status": 200, "outcome": "article", "phrase": PHRASE},
    "/faults/cp1251/meta-only": {"kind": "cp1251_meta_only", "status": 200, "outcome": "article", "phrase": PHRASE},
    "/faults/cp1251/no-charset": {"kind": "cp1251_no_charset", "status": 200, "outcome": "article", "phrase": PHRASE,
                                  "note": "no charset anywhere: must be detected"},
    "/faults/cp1251/wrong-header": {"kind": "cp1251_wrong_header", "status": 200, "outcome": "article", "phrase": PHRASE,
                                    "note": "header says utf-8, body and <meta> are windows-1251"},
    "/faults/gzip/article": {"kind": "gzip_forced", "status": 200, "outcome": "article",
                             "note": "Content-Encoding: gzip even without Accept-Encoding"},
    "/faults/redirect/chain": {"kind": "redirect_chain", "status": 301, "outcome": "article",
                               "final_url": "/faults/articles/redirect-target", "hops": 3},
    "/faults/redirect/loop": {"kind": "redirect_loop", "status": 302, "outcome": "error"},
    "/faults/huge": {"kind": "oversized", "status": 200, "outcome": "error", "bytes": HUGE_BYTES,
                     "note": "streamed; abort past the download size limit"},
    "/faults/articles/dup": {"kind": "exact_duplicate_original", "status": 200, "outcome": "article"},
    "/faults/articles/dup?utm_source=rss&utm_medium=feed": {
        "kind": "exact_duplicate", "status": 200, "outcome": "duplicate",
        "duplicate_of": "/faults/articles/dup"},
    "/faults/articles/syndicated": {"kind": "syndicated_copy", "status": 200, "outcome": "near_duplicate"},
    "/faults/articles/no-date": {"kind": "missing_date", "status": 200, "outcome": "article",
                                 "date_source": "crawl"},
    "/faults/articles/future-date": {"kind": "future_date", "status": 200, "outcome": "article",
                                     "date_in_page": WHEN.replace(year=2052).isoformat(),
                                     "note": "page date in 2052; the feed gives the true date"},
    "/faults/robots/blocked": {"kind": "robots_disallowed", "status": 200, "outcome": "skipped"},
}
# Linked from the fault feed (article-like URLs); the rest are feeds and sitemaps themselves.
FEED_LINKS = [p for p in _EXPECT if not p.startswith(("/faults/feed/", "/faults/sitemap"))]


class FaultState:
    """Per-server memory for faults that change over time (the 503-once URL)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: set[str] = set()

    def first_time(self, key: str) -> bool:
        with self._lock:
            fresh = key not in self._seen
            self._seen.add(key)
            return fresh


def expectations(base: str = "") -> dict[str, Any]:
    urls = {base + path: dict(spec) for path, spec in _EXPECT.items()}
    for spec in urls.values():
        if "final_url" in spec:
            spec["final_url"] = base + spec["final_url"]
        if "duplicate_of" in spec:
            spec["duplicate_of"] = base + spec["duplicate_of"]
    syndicated = _syndicated_source()
    urls[base + "/faults/articles/syndicated"]["copy_of"] = syndicated.id
    return {"outlet": "sim_faulty", "urls": urls,
            "feeds": [base + "/faults/feed/rss.xml", base + "/faults/feed/malformed.xml",
                      base + "/faults/feed/truncated.xml"],
            "sitemaps": [base + "/faults/sitemap.xml"],
            "articles_expected": sorted(base + p for p, s in _EXPECT.items()
                                        if s["outcome"] == "article")}


def _syndicated_source():
    return next(p for p in build_corpus().pieces
                if p.outlet == "sim_kazwire" and p.lang == "ru" and p.copy_of is None
                and not p.aliases and p.date_mode == "page")


def _article(title: str, *, seed: int, date: datetime | None = WHEN, charset: str = "utf-8",
             paragraphs: tuple[str, ...] | None = None) -> str:
    if paragraphs is None:
        paragraphs = compose.negative(random.Random(seed), WHEN, "ru", "economy",
                                      short=False).paragraphs
    meta = (f'<meta property="article:published_time" content="{date.isoformat()}">'
            if date else "")
    body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html>\n<html lang="ru"><head><meta charset="{charset}">'
            f"<title>{esc(title)}</title>{GENERATOR}{meta}</head><body>"
            f'<nav><a href="/faults/">Сбойный сайт</a></nav><article><h1>{esc(title)}</h1>'
            f'<div class="text">{body}</div></article>'
            f'<footer><p>{esc(note("ru"))}</p></footer></body></html>')


def _cp1251(path: str) -> Reply:
    variant = path.rsplit("/", 1)[-1]
    meta = variant in ("header", "meta-only", "wrong-header")
    page = _article(f"Кодировка windows-1251 ({variant})", seed=1251,
                    charset="windows-1251" if meta else "utf-8",
                    paragraphs=(PHRASE + ".", *compose.negative(
                        random.Random(1251), WHEN, "ru", "society", short=False).paragraphs))
    if not meta:
        page = page.replace('<meta charset="utf-8">', "")
    header = {"header": "text/html; charset=windows-1251", "meta-only": "text/html",
              "no-charset": "text/html", "wrong-header": "text/html; charset=utf-8"}[variant]
    return Reply(body=page.encode("cp1251"), content_type=header, last_modified=WHEN)


def _feed(base: str) -> bytes:
    items = []
    for k, path in enumerate(FEED_LINKS):
        date = "" if path.endswith("no-date") else f"<pubDate>{WHEN:%a, %d %b %Y %H:%M:%S +0500}</pubDate>"
        url = esc(base + path)
        items.append(f"<item><title>Сбой {k + 1}: {esc(path)}</title><link>{url}</link>"
                     f"<guid>{url}</guid>{date}</item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Сбойный сайт</title><link>{base}/faults/</link>"
            f"<description>{esc(note('ru'))}</description>{''.join(items)}</channel></rss>").encode()


def _huge() -> Iterator[bytes]:
    chunk = ("<p>" + "Очень длинная страница. " * 40 + "</p>\n").encode()
    head = b"<!DOCTYPE html><html><body>"
    yield head
    sent = len(head)
    while sent < HUGE_BYTES:
        piece = chunk[: HUGE_BYTES - sent]
        yield piece
        sent += len(piece)


def route(path: str, query: str, base: str, state: FaultState, slow_delay: float) -> Reply:
    full = f"{path}?{query}" if query else path
    if path.startswith("/faults/status/"):
        code = int(path.rsplit("/", 1)[-1]) if path.rsplit("/", 1)[-1].isdigit() else 404
        headers = {"Retry-After": str(RETRY_AFTER)} if code == 503 else {}
        return Reply(status=code, headers=headers, conditional=False,
                     body=f"<html><body><h1>{code}</h1></body></html>".encode())
    if path == "/faults/flaky/503-once":
        if state.first_time(full):
            return Reply(status=503, headers={"Retry-After": str(RETRY_AFTER)}, conditional=False,
                         body=b"<html><body>Service temporarily unavailable</body></html>")
        return html(_article("Статья после временного сбоя", seed=503))
    if path == "/faults/slow":
        delay = slow_delay
        for part in query.split("&"):
            if part.startswith("delay="):
                delay = float(part[6:])
        reply = html(_article("Медленная страница", seed=7))
        reply.delay = delay
        return reply
    if path.startswith("/faults/cp1251/"):
        return _cp1251(path)
    match path:
        case "/faults/feed/rss.xml":
            return xml(_feed(base), kind="application/rss+xml", last_modified=WHEN)
        case "/faults/feed/malformed.xml":
            body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                    "<title>Сломанная лента & без экранирования</title>"
                    f"<item><title>Первая <b>запись</title><link>{base}/faults/articles/dup</link></item>"
                    f"<item><title>Вторая</title><link>{base}/faults/articles/no-date</link>"
                    "</channel>")
            return xml(body.encode(), kind="application/rss+xml")
        case "/faults/feed/truncated.xml":
            full_feed = _feed(base)
            return xml(full_feed[: full_feed.index(b"<item>", full_feed.index(b"<item>") + 1) + 40],
                       kind="application/rss+xml")
        case "/faults/sitemap.xml":
            children = ["/faults/sitemap-news.xml.gz", "/faults/sitemap/missing.xml",
                        "/faults/sitemap/truncated.xml"]
            body = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                    'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    + "".join(f"<sitemap><loc>{base}{c}</loc></sitemap>" for c in children)
                    + "</sitemapindex>")
            return xml(body.encode())
        case "/faults/sitemap-news.xml.gz":
            body = ('<?xml version="1.0" encoding="UTF-8"?><urlset '
                    'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    + "".join(f"<url><loc>{base}{p}</loc><lastmod>{WHEN.isoformat()}</lastmod></url>"
                              for p in ("/faults/articles/dup", "/faults/gzip/article"))
                    + "</urlset>")
            return Reply(body=gzip.compress(body.encode(), mtime=0), compress=False,
                         content_type="application/x-gzip")
        case "/faults/sitemap/truncated.xml":
            body = ('<?xml version="1.0" encoding="UTF-8"?><urlset '
                    'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f"<url><loc>{base}/faults/articles/future-date</loc></url><url><loc>{base}/fau")
            return xml(body.encode())
        case "/faults/html/truncated":
            page = _article("Обрезанная страница", seed=11)
            return html(page[: int(len(page) * 0.6)])
        case "/faults/html/short-read":
            reply = html(_article("Оборванное соединение", seed=12))
            reply.declared_length = len(reply.body) * 3
            reply.compress = reply.conditional = False
            return reply
        case "/faults/gzip/article":
            reply = html(_article("Страница в gzip", seed=13))
            reply.force_gzip = True
            return reply
        case "/faults/redirect/chain":
            return redirect("/faults/redirect/chain/2", 301)
        case "/faults/redirect/chain/2":
            return redirect("/faults/redirect/chain/3", 302)
        case "/faults/redirect/chain/3":
            return redirect("/faults/articles/redirect-target", 307)
        case "/faults/articles/redirect-target":
            return html(_article("Статья в конце цепочки перенаправлений", seed=301))
        case "/faults/redirect/loop":
            return redirect("/faults/redirect/loop/b", 302)
        case "/faults/redirect/loop/b":
            return redirect("/faults/redirect/loop", 302)
        case "/faults/huge":
            return Reply(stream=_huge, stream_length=HUGE_BYTES, conditional=False, compress=False)
        case "/faults/articles/dup":
            return html(_article("Статья с дублем по другому адресу", seed=21))
        case "/faults/articles/syndicated":
            src = _syndicated_source()
            copy = compose.syndicated_copy(random.Random(5), compose.Text(
                title=src.title, paragraphs=src.paragraphs), source_name="KazWire", lang="ru")
            return html(_article(copy.title, seed=0, paragraphs=copy.paragraphs))
        case "/faults/articles/no-date":
            return html(_article("Материал без даты", seed=31, date=None))
        case "/faults/articles/future-date":
            return html(_article("Материал с датой из будущего", seed=32,
                                 date=WHEN.replace(year=2052)))
        case "/faults/robots/blocked":
            return html(_article("Страница, закрытая в robots.txt", seed=41))
        case "/faults/" | "/faults":
            links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in _EXPECT)
            return html(f"<!DOCTYPE html><html><head>{GENERATOR}<title>Faults</title></head>"
                        f"<body><h1>Fault routes</h1><ul>{links}</ul></body></html>")
    return not_found(f"no fault at {esc(path)}")

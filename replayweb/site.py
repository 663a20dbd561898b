"""Routes of the simulated outlets under ``/o/<id>/``: feeds, sitemaps, archives, Telegram
previews and article pages. Only pieces published by the replay clock (``now``) are shown,
so a test can move the clock and check that a second crawl fetches only what is new."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from replayweb.corpus import Corpus, Piece
from replayweb.outlets import BY_ID, OutletDef
from replayweb.render import articles, feeds, listings, sitemaps, telegram
from replayweb.reply import Reply, html, not_found, xml

FEED_SIZE = {"sim_kazwire": 40, "sim_rosvestnik": 40, "sim_rubezh": 20}
DEFAULT_FEED_SIZE = 30

# Endpoint paths per outlet (relative to /o/<id>), as the manifest lists them.
FEEDS = {
    "sim_kazwire": [("/rss/ru.xml", "ru"), ("/rss/kk.xml", "kk")],
    "sim_dalanews": [("/feed.atom", "ru")],
    "sim_anasozi": [("/rss.rdf", "kk")],
    "sim_rosvestnik": [("/export/rss2/index.xml", "ru")],
    "sim_rubezh": [("/rss.xml", "ru")],
    "sim_efir": [("/russian/index.xml", "ru")],
    "sim_aziaregion": [("/rss/", "ru")],
}
SITEMAPS = {
    "sim_kazwire": ("/sitemap.xml", "news-"),
    "sim_rosvestnik": ("/sitemap_index.xml", "sitemap-news"),
    "sim_efir": ("/sitemaps/news-index.xml", None),
    "sim_anasozi": ("/sitemap.xml", None),
    "sim_aziaregion": ("/sitemap.xml", None),
}


class Site:
    def __init__(self, corpus: Corpus, now: Callable[[], datetime]) -> None:
        self.corpus = corpus
        self.now = now

    # -- helpers -------------------------------------------------------------------------
    def visible(self, outlet: str, lang: str | None = None) -> list[Piece]:
        cut = self.now()
        return [p for p in self.corpus.of(outlet, lang) if p.published <= cut]

    def _months(self, pieces: list[Piece]) -> list[str]:
        return sorted({f"{p.published:%Y-%m}" for p in pieces})

    # -- dispatch ------------------------------------------------------------------------
    def route(self, path: str, query: str, base: str) -> Reply:
        parts = path.split("/", 3)  # '', 'o', id, rest
        outlet = BY_ID.get(parts[2]) if len(parts) > 2 else None
        if outlet is None:
            return not_found("unknown outlet")
        rest = "/" + parts[3] if len(parts) > 3 else "/"
        params = dict(kv.split("=", 1) for kv in query.split("&") if "=" in kv)
        for handler in (self._feed, self._sitemap, self._archive, self._telegram):
            reply = handler(outlet, rest, params, base)
            if reply is not None:
                return reply
        if rest == "/":
            return html(listings.home(outlet, self.visible(outlet.id)[-20:][::-1]))
        return self._article(path, query, base)

    def _feed(self, o: OutletDef, rest: str, params: dict[str, str], base: str) -> Reply | None:
        for feed_path, lang in FEEDS.get(o.id, []):
            if rest != feed_path:
                continue
            size = FEED_SIZE.get(o.id, DEFAULT_FEED_SIZE)
            items = self.visible(o.id, lang)[-size:][::-1]
            newest = max((p.published for p in items), default=None)
            self_url = o.prefix + feed_path
            if o.template in ("dalanews", "efir"):
                body = feeds.atom(o, items, base, self_url=self_url, updated=newest or self.now())
                return xml(body, kind="application/atom+xml", last_modified=newest)
            if o.template == "anasozi":
                return xml(feeds.rdf(o, items, base, self_url=self_url),
                           kind="application/rdf+xml", last_modified=newest)
            enc = "windows-1251" if o.template in ("rosvestnik", "rubezh") else "utf-8"
            body = feeds.rss2(o, items, base, lang=lang, self_url=self_url, encoding=enc)
            return xml(body, kind="application/rss+xml", charset=enc, last_modified=newest)
        return None

    def _sitemap(self, o: OutletDef, rest: str, params: dict[str, str],
                 base: str) -> Reply | None:
        if o.id not in SITEMAPS:
            return None
        index_path, _ = SITEMAPS[o.id]
        pieces = self.visible(o.id)
        pre = o.prefix
        if o.template in ("anasozi", "aziaregion") and rest == index_path:
            entries = [(path, p.listed_date) for p in pieces for path in (p.path, *p.aliases)]
            return xml(sitemaps.plain(entries, base), last_modified=_newest(pieces))
        monthly = {
            "kazwire": lambda m, lang: f"/sitemaps/news-{lang}-{m}.xml",
            "rosvestnik": lambda m, lang: f"/sitemap-news-{m}.xml",
            "efir": lambda m, lang: f"/sitemaps/news-{m}.xml",
        }.get(o.template)
        if monthly is None:
            return None
        langs = o.languages if o.template == "kazwire" else [None]
        if rest == index_path:
            children = [(pre + monthly(m, lang), _newest([p for p in pieces if
                                                          f"{p.published:%Y-%m}" == m]))
                        for lang in langs for m in self._months(pieces)]
            extra = {"kazwire": "/sitemaps/pages.xml", "rosvestnik": "/sitemap-tags.xml"}
            if o.template in extra:
                children.append((pre + extra[o.template], None))
            return xml(sitemaps.index(children, base), last_modified=_newest(pieces))
        for lang in langs:
            for m in self._months(pieces):
                if rest == monthly(m, lang):
                    mine = [p for p in pieces if f"{p.published:%Y-%m}" == m
                            and (lang is None or p.lang == lang)]
                    news = [(path, p) for p in mine for path in (p.path, *p.aliases)]
                    name = o.name.split(" (")[0]
                    return xml(sitemaps.news(news, base, publication=name),
                               last_modified=_newest(mine))
        if rest in ("/sitemaps/pages.xml", "/sitemap-tags.xml"):
            static: list[tuple[str, datetime | None]] = [(f"{pre}/{x}", None) for x in ("about", "contacts", "ads", "tag/army")]
            return xml(sitemaps.plain(static, base))
        return None

    def _archive(self, o: OutletDef, rest: str, params: dict[str, str],
                 base: str) -> Reply | None:
        if o.id == "sim_dalanews" and rest.startswith("/archive/"):
            try:
                y, m, d = (int(x) for x in rest.strip("/").split("/")[1:4])
                day = date(y, m, d)
            except ValueError:
                return not_found("bad archive date")
            pieces = self.visible(o.id)
            todays = [p for p in pieces if p.published.date() == day][::-1]
            return html(listings.dala_day(o, day, todays, pieces[-6:]))
        if o.id == "sim_rubezh" and rest == "/news":
            items = sorted(self.visible(o.id) + [p for p in self.corpus.blocked
                                                 if p.published <= self.now()],
                           key=lambda p: p.published, reverse=True)
            size = listings.RUBEZH_PAGE_SIZE
            last = max(1, -(-len(items) // size))
            page = int(params.get("page", "1")) if params.get("page", "1").isdigit() else 0
            if not 1 <= page <= last:
                return not_found("no such page")
            body = listings.rubezh_page(o, page, items[(page - 1) * size:page * size], last)
            return html(body, charset="windows-1251")
        return None

    def _telegram(self, o: OutletDef, rest: str, params: dict[str, str],
                  base: str) -> Reply | None:
        if not o.telegram_channel or rest != f"/s/{o.telegram_channel}":
            return None
        posts = self.visible(o.id)
        before = int(params["before"]) if params.get("before", "").isdigit() else None
        if before is not None:
            posts = [p for p in posts if p.seq < before]
        page = posts[-telegram.PAGE_SIZE:]
        lang = "kk" if o.languages == ["kk"] else "ru"
        return html(telegram.channel_page(o, page, base, lang=lang, before=before),
                    last_modified=_newest(page))

    def _article(self, path: str, query: str, base: str) -> Reply:
        piece = self.corpus.by_path.get(f"{path}?{query}" if query else path)
        piece = piece or self.corpus.by_path.get(path)  # unknown tracking parameters
        if piece is None or piece.published > self.now():
            return not_found("no such article")
        outlet = BY_ID[piece.outlet]
        if outlet.template == "telegram":
            return html(telegram.post_page(outlet, piece, base), last_modified=piece.published)
        if "/amp/" in path:
            return html(articles.amp_page(piece, base), last_modified=piece.listed_date)
        charset = "windows-1251" if outlet.template == "rubezh" else "utf-8"
        return html(articles.article_page(self.corpus, piece, base), charset=charset,
                    last_modified=piece.listed_date)


def _newest(pieces: list[Piece]) -> datetime | None:
    return max((p.published for p in pieces), default=None)

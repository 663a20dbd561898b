"""Sitemaps: indexes, monthly Google News sitemaps and plain sitemaps with lastmod."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from replayweb.corpus import Piece

_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_NEWS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def index(children: list[tuple[str, datetime | None]], base: str) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<sitemapindex {_NS}>"]
    for path, lastmod in children:
        out.append(f"<sitemap><loc>{escape(base + path)}</loc>"
                   + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "")
                   + "</sitemap>")
    out.append("</sitemapindex>")
    return "\n".join(out).encode()


def news(entries: list[tuple[str, Piece]], base: str, *, publication: str) -> bytes:
    """``entries`` pairs a URL path with its piece (an AMP alias shares the piece)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<urlset {_NS} {_NEWS}>"]
    for path, p in entries:
        out.append(f"<url><loc>{escape(base + path)}</loc><news:news>"
                   f"<news:publication><news:name>{escape(publication)}</news:name>"
                   f"<news:language>{p.lang}</news:language></news:publication>"
                   + (f"<news:publication_date>{p.listed_date.isoformat()}"
                      "</news:publication_date>" if p.listed_date else "")
                   + f"<news:title>{escape(p.title)}</news:title></news:news></url>")
    out.append("</urlset>")
    return "\n".join(out).encode()


def plain(entries: list[tuple[str, datetime | None]], base: str) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<urlset {_NS}>"]
    for path, lastmod in entries:
        out.append(f"<url><loc>{escape(base + path)}</loc>"
                   + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "")
                   + "<changefreq>never</changefreq></url>")
    out.append("</urlset>")
    return "\n".join(out).encode()

"""Feeds in the three flavours the crawler must read: RSS 2.0, Atom and RSS 1.0 (RDF).

Feeds list the newest items only (as real feeds do); the past is reached through sitemaps,
archives and Telegram pagination. Undated pieces appear without a date element.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from replayweb.corpus import Piece
from replayweb.outlets import OutletDef
from replayweb.render.common import note


def _x(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _summary(p: Piece) -> str:
    first = p.paragraphs[0]
    return first if len(first) < 300 else first[:297].rsplit(" ", 1)[0] + "…"


def rss2(outlet: OutletDef, items: list[Piece], base: str, *, lang: str, self_url: str,
         encoding: str = "utf-8") -> bytes:
    title = outlet.name.split(" (")[0]
    built = max((p.published for p in items), default=None)
    out = [f'<?xml version="1.0" encoding="{encoding}"?>',
           '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>',
           f"<title>{_x(title)}</title><link>{base}{outlet.prefix}/</link>",
           f"<description>{_x(note(lang))}</description><language>{lang}</language>",
           f'<atom:link href="{base}{self_url}" rel="self" type="application/rss+xml"/>',
           "<generator>steppewatch replay (synthetic)</generator>"]
    if built:
        out.append(f"<lastBuildDate>{format_datetime(built)}</lastBuildDate>")
    for p in items:
        out.append("<item>")
        out.append(f"<title>{_x(p.title)}</title><link>{base}{p.path}</link>")
        out.append(f'<guid isPermaLink="true">{base}{p.path}</guid>')
        out.append(f"<description>{_x(_summary(p))}</description>")
        if p.listed_date:
            out.append(f"<pubDate>{format_datetime(p.listed_date)}</pubDate>")
        if p.author:
            out.append(f"<dc:creator>{_x(p.author)}</dc:creator>")
        out.append("</item>")
    out.append("</channel></rss>")
    # Characters outside windows-1251 (Turkish letters in company names) become references.
    return "\n".join(out).encode(encoding, errors="xmlcharrefreplace")


def atom(outlet: OutletDef, items: list[Piece], base: str, *, self_url: str,
         updated: datetime) -> bytes:
    title = outlet.name.split(" (")[0]
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ru">',
           f"<title>{_x(title)}</title><subtitle>{_x(note('ru'))}</subtitle>",
           f'<link rel="self" href="{base}{self_url}"/>',
           f'<link rel="alternate" href="{base}{outlet.prefix}/"/>',
           f"<id>{base}{outlet.prefix}/</id><updated>{updated.isoformat()}</updated>",
           '<generator uri="https://github.com/steppewatch/steppewatch">steppewatch replay (synthetic)</generator>']
    for p in items:
        out.append("<entry>")
        out.append(f"<title>{_x(p.title)}</title>")
        out.append(f'<link rel="alternate" type="text/html" href="{base}{p.path}"/>')
        out.append(f"<id>tag:replay.steppewatch,2025:{p.id}</id>")
        if p.listed_date:
            out.append(f"<published>{p.listed_date.isoformat()}</published>")
            out.append(f"<updated>{p.listed_date.isoformat()}</updated>")
        if p.author:
            out.append(f"<author><name>{_x(p.author)}</name></author>")
        out.append(f'<summary type="text">{_x(_summary(p))}</summary>')
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out).encode("utf-8")


def rdf(outlet: OutletDef, items: list[Piece], base: str, *, self_url: str) -> bytes:
    title = outlet.name.split(" (")[0]
    seq = "".join(f'<rdf:li rdf:resource="{base}{p.path}"/>' for p in items)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
           f'<channel rdf:about="{base}{self_url}"><title>{_x(title)}</title>',
           f"<link>{base}{outlet.prefix}/</link><description>{_x(note('kk'))}</description>",
           f"<dc:language>kk</dc:language><items><rdf:Seq>{seq}</rdf:Seq></items></channel>"]
    for p in items:
        out.append(f'<item rdf:about="{base}{p.path}"><title>{_x(p.title)}</title>'
                   f"<link>{base}{p.path}</link><description>{_x(_summary(p))}</description>")
        if p.listed_date:
            out.append(f"<dc:date>{p.listed_date.isoformat()}</dc:date>")
        if p.author:
            out.append(f"<dc:creator>{_x(p.author)}</dc:creator>")
        out.append("</item>")
    out.append("</rdf:RDF>")
    return "\n".join(out).encode("utf-8")

"""Article pages, one template per outlet family. Each puts the title, author and date in a
different place, as the real sites they imitate do, and wraps the body in boilerplate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from replayweb.corpus import Corpus, Piece
from replayweb.outlets import BY_ID, OutletDef
from replayweb.render.common import (
    GENERATOR,
    body_html,
    cookie_banner,
    esc,
    footer,
    human_date,
    jsonld,
    menu,
    note,
    related,
)


def _head(piece: Piece, base: str, extra: str = "", charset: str = "utf-8") -> str:
    lang = "kk" if piece.lang == "kk" else "ru"
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="{charset}">'
            f"<title>{esc(piece.title)} | {esc(BY_ID[piece.outlet].name)}</title>"
            f'{GENERATOR}<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="canonical" href="{base}{piece.path}">'
            f'<meta property="og:title" content="{esc(piece.title)}">'
            f'<meta property="og:type" content="article">{extra}</head>')


def _links(corpus: Corpus, piece: Piece, cls: str, heading: str) -> str:
    items = "".join(f'<li><a href="{p.path}">{esc(p.title)}</a></li>'
                    for p in related(corpus, piece))
    return f'<aside class="{cls}"><h3>{esc(heading)}</h3><ul>{items}</ul></aside>'


def _kazwire(corpus: Corpus, p: Piece, o: OutletDef, base: str) -> str:
    shown = p.shown_date
    meta = (f'<meta property="article:published_time" content="{shown.isoformat()}">'
            if shown else "")
    kk = p.lang == "kk"
    return (_head(p, base, meta) + '<body class="kazwire">' + cookie_banner(p.lang)
            + f'<header class="top"><a class="logo" href="{o.prefix}/">KazWire</a>'
            + menu(o, p.lang, "main-menu") + "</header>"
            + '<main><div class="article-wrap"><article class="article">'
            + f'<h1 class="article__title">{esc(p.title)}</h1>'
            + '<div class="article__meta">'
            + (f'<span class="article__date">{human_date(shown, p.lang)}</span>' if shown else "")
            + (f'<div class="author">{"Автор" if not kk else "Авторы"}: {esc(p.author)}</div>'
               if p.author else "")
            + "</div>"
            + f'<div class="article__body">{body_html(p)}</div>'
            + '<div class="article__tags"><a href="#">#Казахстан</a></div></article>'
            + _links(corpus, p, "article__related", "Оқи отырыңыз" if kk else "Читайте также")
            + "</div></main>" + footer(o, p.lang) + "</body></html>")


def _dalanews(corpus: Corpus, p: Piece, o: OutletDef, base: str) -> str:
    shown = p.shown_date
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": p.title,
            "mainEntityOfPage": base + p.path, "inLanguage": p.lang,
            "publisher": {"@type": "Organization", "name": "DalaNews"}}
    if shown:
        data["datePublished"] = shown.isoformat()
    if p.author:
        data["author"] = {"@type": "Person", "name": p.author}
    author_meta = f'<meta name="author" content="{esc(p.author)}">' if p.author else ""
    return (_head(p, base, author_meta + jsonld(data)) + "<body>"
            + '<div class="topbar"><span class="weather">Алматы +24</span>'
            + '<span class="rates">USD 512,40 EUR 583,10</span></div>'
            + f'<header><a href="{o.prefix}/" class="brand">Dala<b>News</b></a>'
            + menu(o, p.lang, "nav") + "</header>"
            + '<div class="layout"><div class="content">'
            + f'<h1 class="post-title">{esc(p.title)}</h1>'
            + f'<div class="post-content">{body_html(p)}</div>'
            + '<div class="share">Поделиться: <a href="#">Telegram</a> <a href="#">WhatsApp</a></div>'
            + '<div class="subscribe">Подписывайтесь на наш Telegram-канал!</div></div>'
            + _links(corpus, p, "sidebar popular", "Популярное")
            + "</div>" + footer(o, p.lang) + "</body></html>")


def _anasozi(corpus: Corpus, p: Piece, o: OutletDef, base: str) -> str:
    shown = p.shown_date
    when = (f'<time class="published" datetime="{shown.isoformat()}">'
            f"{human_date(shown, 'kk')}</time>" if shown else "")
    return (_head(p, base) + '<body><div id="page">'
            + f'<div class="header"><h2 class="site-name"><a href="{o.prefix}/">Ана сөзі</a></h2>'
            + menu(o, "kk", "menu") + "</div>"
            + '<div class="news-single"><div class="news-single__head">'
            + f"<h1>{esc(p.title)}</h1>{when}"
            + (f'<span class="byline">{esc(p.author)}</span>' if p.author else "")
            + '</div><div class="news-single__text">' + body_html(p) + "</div></div>"
            + _links(corpus, p, "more-news", "Тағы оқыңыз")
            + '<div class="banner">Жарнама</div>' + footer(o, "kk") + "</div></body></html>")


def _rosvestnik(corpus: Corpus, p: Piece, o: OutletDef, base: str) -> str:
    shown = p.shown_date
    meta = (f'<meta property="article:published_time" content="{shown.isoformat()}">'
            f'<meta property="article:section" content="Политика">' if shown else "")
    return (_head(p, base, meta) + '<body class="rv">'
            + f'<div class="rv-header"><a href="{o.prefix}/">Российский вестник</a>'
            + menu(o, "ru", "rv-menu") + "</div>"
            + '<div class="rv-main" itemscope itemtype="https://schema.org/NewsArticle">'
            + f'<h1 class="rv-title" itemprop="headline">{esc(p.title)}</h1>'
            + (f'<div class="rv-author">Автор: <span itemprop="author">{esc(p.author)}</span></div>'
               if p.author else "")
            + f'<div class="rv-text" itemprop="articleBody">{body_html(p)}</div>'
            + '<div class="rv-inline">Следите за новостями в нашем канале</div></div>'
            + _links(corpus, p, "rv-related", "Главное за сутки")
            + footer(o, "ru") + "</body></html>")


def _rubezh(corpus: Corpus, p: Piece, o: OutletDef, base: str) -> str:
    # The date is only in the URL: the page shows a view counter and nothing else.
    return (_head(p, base, charset="windows-1251") + "<body>"
            + '<table class="layout"><tr><td class="left">'
            + menu(o, "ru", "leftmenu") + '</td><td class="center">'
            + f'<div class="zag"><h1>{esc(p.title)}</h1></div>'
            + f'<div class="views">Просмотров: {(p.seq * 37) % 9000 + 400}</div>'
            + f'<div class="newstext">{body_html(p)}'
            + (f'<p class="podpis"><b>{esc(p.author)}</b>, военный обозреватель</p>'
               if p.author else "")
            + "</div>"
            + '<div class="comments"><h4>Комментарии (0)</h4><p>Войдите, чтобы оставить комментарий.</p></div>'
            + "</td><td class=\"right\">" + _links(corpus, p, "lenta", "Лента новостей")
            + "</td></tr></table>" + footer(o, "ru") + "</body></html>")


def _efir(corpus: Corpus, p: Piece, o: OutletDef, base: str) -> str:
    shown = p.shown_date
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "ReportageNewsArticle",
            "headline": p.title, "url": base + p.path, "inLanguage": "ru"}
    if shown:
        data["datePublished"] = shown.isoformat()
        data["dateModified"] = shown.isoformat()
    if p.author:
        data["author"] = [{"@type": "Person", "name": p.author}]
    when = (f'<time data-testid="timestamp" datetime="{shown.isoformat()}">'
            f"{human_date(shown, 'ru')}</time>" if shown else "")
    return (_head(p, base, jsonld(data)) + "<body>"
            + f'<header role="banner"><a href="{o.prefix}/russian">Мировой эфир</a>'
            + menu(o, "ru", "nav-links") + "</header>"
            + '<main role="main"><article>'
            + f'<header><h1 id="content">{esc(p.title)}</h1>'
            + (f'<div class="byline"><span>{esc(p.author)}</span><span>Мировой эфир</span></div>'
               if p.author else "") + when + "</header>"
            + "".join(f'<div data-component="text-block"><p>{esc(x)}</p></div>'
                      for x in p.paragraphs)
            + "</article>"
            + _links(corpus, p, "top-stories", "Самое читаемое")
            + "</main>" + footer(o, "ru") + "</body></html>")


def _aziaregion(corpus: Corpus, p: Piece, o: OutletDef, base: str) -> str:
    shown = p.shown_date
    when = (f'<span class="date" itemprop="datePublished" content="{shown.isoformat()}">'
            f"{human_date(shown, 'ru')}</span>" if shown else "")
    return (_head(p, base) + "<body>"
            + f'<div class="head"><a href="{o.prefix}/">АЗИЯ-РЕГИОН</a>'
            + '<form class="search"><input name="q"></form></div>'
            + menu(o, "ru", "menu-top")
            + '<div class="news-item" itemscope itemtype="https://schema.org/NewsArticle">'
            + f'<h1 itemprop="name">{esc(p.title)}</h1>{when}'
            + f'<div class="text" itemprop="articleBody">{body_html(p)}</div></div>'
            + _links(corpus, p, "other-news", "Другие новости")
            + footer(o, "ru") + "</body></html>")


_TEMPLATES: dict[str, Callable[[Corpus, Piece, OutletDef, str], str]] = {
    "kazwire": _kazwire, "dalanews": _dalanews, "anasozi": _anasozi,
    "rosvestnik": _rosvestnik, "rubezh": _rubezh, "efir": _efir, "aziaregion": _aziaregion,
}


def article_page(corpus: Corpus, piece: Piece, base: str) -> str:
    outlet = BY_ID[piece.outlet]
    return _TEMPLATES[outlet.template](corpus, piece, outlet, base)


def amp_page(piece: Piece, base: str) -> str:
    """The AMP variant: same text, stripped markup, canonical link to the main page."""
    shown = piece.shown_date
    meta = (f'<meta property="article:published_time" content="{shown.isoformat()}">'
            if shown else "")
    return (f'<!doctype html><html amp lang="ru"><head><meta charset="utf-8">'
            f"<title>{esc(piece.title)}</title>{GENERATOR}"
            f'<link rel="canonical" href="{base}{piece.path}">{meta}'
            f'<style amp-boilerplate>body{{visibility:hidden}}</style></head>'
            f'<body><h1>{esc(piece.title)}</h1><div class="amp-text">{body_html(piece)}</div>'
            f'<p class="synthetic">{esc(note(piece.lang))}</p></body></html>')

"""Listing pages: outlet home pages, the by-date archive of sim_dalanews and the by-page
archive of sim_rubezh. Article links sit in a block the registry's CSS selector names;
menus and sidebars around it carry other links the selector must not pick up."""

from __future__ import annotations

from datetime import date

from replayweb.corpus import Piece
from replayweb.outlets import OutletDef
from replayweb.render.common import GENERATOR, esc, footer, human_date, menu

DALA_SELECTOR = "div.archive-list article.card h2 a::attr(href)"
RUBEZH_SELECTOR = "ul.news-feed li.item a.item-title::attr(href)"
RUBEZH_PAGE_SIZE = 15


def _page(title: str, body: str, *, charset: str = "utf-8", lang: str = "ru") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="{charset}">'
            f"<title>{esc(title)}</title>{GENERATOR}</head><body>{body}</body></html>")


def home(outlet: OutletDef, latest: list[Piece]) -> str:
    links = "".join(f'<li><a href="{p.path}">{esc(p.title)}</a></li>' for p in latest)
    lang = outlet.languages[0]
    return _page(outlet.name, menu(outlet, lang, "menu") + f'<ul class="latest">{links}</ul>'
                 + footer(outlet, lang), lang=lang)


def dala_day(outlet: OutletDef, day: date, pieces: list[Piece], popular: list[Piece]) -> str:
    cards = []
    for p in pieces:
        cards.append(f'<article class="card"><h2><a href="{p.path}">{esc(p.title)}</a></h2>'
                     f'<p class="lead">{esc(p.paragraphs[0][:160])}…</p></article>')
        for alias in p.aliases:
            # The CMS lists the story a second time from its "main" teaser, with tracking.
            cards.append(f'<article class="card teaser"><h2><a href="{alias}">'
                         f"{esc(p.title)}</a></h2></article>")
    if not cards:
        cards.append('<p class="empty">За этот день материалов нет.</p>')
    side = "".join(f'<li><a href="{p.path}">{esc(p.title)}</a></li>' for p in popular)
    prev_day = day.fromordinal(day.toordinal() - 1)
    body = (menu(outlet, "ru", "nav") + f"<h1>Архив новостей за {day:%d.%m.%Y}</h1>"
            + f'<div class="archive-list">{"".join(cards)}</div>'
            + f'<aside class="popular"><h3>Популярное</h3><ul>{side}</ul></aside>'
            + f'<a class="prev-day" href="{outlet.prefix}/archive/{prev_day:%Y/%m/%d}/">'
            + "Предыдущий день</a>" + footer(outlet, "ru"))
    return _page(f"Архив {day:%d.%m.%Y} — DalaNews", body)


def rubezh_page(outlet: OutletDef, page: int, items: list[Piece], last_page: int) -> str:
    rows = "".join(
        f'<li class="item"><a class="item-title" href="{p.path}">{esc(p.title)}</a>'
        f'<span class="item-date">{human_date(p.published, "ru")}</span></li>' for p in items)
    pager = "".join(f'<a href="{outlet.prefix}/news?page={n}">{n}</a> '
                    for n in range(1, last_page + 1))
    nxt = (f'<a class="pager-next" href="{outlet.prefix}/news?page={page + 1}">Дальше</a>'
           if page < last_page else "")
    body = ('<table class="layout"><tr><td class="left">' + menu(outlet, "ru", "leftmenu")
            + f'</td><td class="center"><h1>Лента новостей — страница {page}</h1>'
            + f'<ul class="news-feed">{rows}</ul><div class="pager">{pager}{nxt}</div>'
            + "</td></tr></table>" + footer(outlet, "ru"))
    return _page(f"Русский рубеж — лента, стр. {page}", body, charset="windows-1251")

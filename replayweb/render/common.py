"""Pieces shared by the page templates: escaping, dates as outlets print them, the synthetic
label, and the boilerplate (menus, related links, footers) that extraction must skip."""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import Any

from replayweb.banks.slots import MONTHS_GEN, MONTHS_KK
from replayweb.corpus import Corpus, Piece
from replayweb.outlets import OutletDef

GENERATOR = '<meta name="generator" content="steppewatch replay (synthetic)">'
SYNTHETIC_NOTE_RU = ("Синтетический материал (synthetic) steppewatch replay: текст и люди вымышлены, "
                     "создано для тестов.")
SYNTHETIC_NOTE_KK = ("steppewatch replay синтетикалық материалы (synthetic): мәтін мен адамдар ойдан "
                     "шығарылған, сынақтарға арналған.")


def esc(text: str) -> str:
    return escape(text, quote=True)


def note(lang: str) -> str:
    return SYNTHETIC_NOTE_KK if lang == "kk" else SYNTHETIC_NOTE_RU


def human_date(moment: datetime, lang: str) -> str:
    months = MONTHS_KK if lang == "kk" else MONTHS_GEN
    return f"{moment.day} {months[moment.month - 1]} {moment.year}, {moment:%H:%M}"


def jsonld(data: dict[str, Any]) -> str:
    body = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{body}</script>'


def body_html(piece: Piece, tag: str = "p") -> str:
    return "\n".join(f"<{tag}>{esc(par)}</{tag}>" for par in piece.paragraphs)


def related(corpus: Corpus, piece: Piece, n: int = 5) -> list[Piece]:
    """The outlet's neighbouring pieces: what 'read also' blocks show."""
    mine = [p for p in corpus.pieces if p.outlet == piece.outlet and p.lang == piece.lang]
    i = next((k for k, p in enumerate(mine) if p.id == piece.id), 0)
    around = mine[max(0, i - n // 2 - 1):i] + mine[i + 1:i + n // 2 + 2]
    return around[:n]


def menu(outlet: OutletDef, lang: str, cls: str) -> str:
    items = (["Басты", "Саясат", "Экономика", "Қоғам", "Спорт", "Әлем"] if lang == "kk" else
             ["Главная", "Политика", "Экономика", "Общество", "Происшествия", "Спорт", "В мире"])
    links = "".join(f'<li><a href="{outlet.prefix}/">{esc(x)}</a></li>' for x in items)
    return f'<nav class="{cls}"><ul>{links}</ul></nav>'


def footer(outlet: OutletDef, lang: str) -> str:
    name = esc(outlet.name)
    if lang == "kk":
        rights = "Барлық құқықтар қорғалған. Материалдарды пайдаланғанда сілтеме міндетті."
    else:
        rights = ("Все права защищены. При использовании материалов ссылка обязательна. "
                  "Сетевое издание зарегистрировано в реестре СМИ (вымышлено).")
    return (f'<footer class="site-footer"><p>© 2025 {name}. {esc(rights)}</p>'
            f'<p class="synthetic">{esc(note(lang))}</p>'
            f'<ul class="footer-links"><li><a href="{outlet.prefix}/about">О проекте</a></li>'
            f'<li><a href="{outlet.prefix}/ads">Реклама</a></li>'
            f'<li><a href="{outlet.prefix}/contacts">Контакты</a></li></ul></footer>')


def cookie_banner(lang: str) -> str:
    text = ("Сайт cookie файлдарын пайдаланады." if lang == "kk"
            else "Мы используем файлы cookie, чтобы сайт работал лучше.")
    return f'<div class="cookie-banner" role="dialog"><p>{esc(text)}</p><button>OK</button></div>'

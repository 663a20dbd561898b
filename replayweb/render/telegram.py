"""Telegram-like public channel previews, in the markup of ``t.me/s/NAME``: one
``tgme_widget_message`` block per post with ``data-post``, a ``time datetime=`` inside the
date link, the view count and the text; older posts through ``?before=POSTID``."""

from __future__ import annotations

from replayweb.corpus import Piece
from replayweb.outlets import OutletDef
from replayweb.render.common import GENERATOR, esc, note

PAGE_SIZE = 20


def _views(p: Piece) -> str:
    n = (p.seq * 7919) % 48000 + 900
    return f"{n / 1000:.1f}K" if n >= 1000 else str(n)


def _message(outlet: OutletDef, p: Piece, base: str) -> str:
    channel = outlet.telegram_channel
    text = "<br/>".join(esc(x) for x in p.paragraphs[1:])
    return (f'<div class="tgme_widget_message_wrap js-widget_message_wrap">'
            f'<div class="tgme_widget_message text_not_supported_wrap js-widget_message" '
            f'data-post="{channel}/{p.seq}" data-view="">'
            f'<div class="tgme_widget_message_bubble">'
            f'<div class="tgme_widget_message_author accent_color">'
            f'<a class="tgme_widget_message_owner_name" href="{base}{outlet.prefix}/s/{channel}">'
            f"<span dir=\"auto\">{esc(outlet.name.split(' (')[0])}</span></a></div>"
            f'<div class="tgme_widget_message_text js-message_text" dir="auto">'
            f"<b>{esc(p.title)}</b><br/><br/>{esc(p.paragraphs[0])}<br/><br/>{text}</div>"
            f'<div class="tgme_widget_message_footer compact js-message_footer">'
            f'<div class="tgme_widget_message_info short js-message_info">'
            f'<span class="tgme_widget_message_views">{_views(p)}</span>'
            f'<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" '
            f'href="{base}{p.path}"><time datetime="{p.published.isoformat()}" class="time">'
            f"{p.published:%H:%M}</time></a></span></div></div></div></div></div>")


def channel_page(outlet: OutletDef, posts: list[Piece], base: str, *, lang: str,
                 before: int | None) -> str:
    """``posts`` are the page's posts, oldest first, as Telegram shows them."""
    channel = outlet.telegram_channel
    more = ""
    if posts:
        first = posts[0].seq
        more = (f'<a class="tme_messages_more js-messages_more" data-before="{first}" '
                f'href="{outlet.prefix}/s/{channel}?before={first}"></a>')
    title = esc(outlet.name.split(" (")[0])
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title} – Telegram</title>'
            f'{GENERATOR}<meta property="og:title" content="{title}">'
            f'<link rel="canonical" href="{base}{outlet.prefix}/s/{channel}'
            f'{f"?before={before}" if before else ""}"></head><body class="widget_frame_base">'
            f'<header class="tgme_header"><div class="tgme_channel_info_header_title">{title}</div>'
            f'<div class="tgme_channel_info_description">{esc(note(lang))}</div>'
            f'<div class="tgme_channel_info_header_username"><a href="{outlet.prefix}/s/{channel}">'
            f"@{channel}</a></div></header>"
            f'<main class="tgme_main"><section class="tgme_channel_history js-message_history">'
            f"{more}{''.join(_message(outlet, p, base) for p in posts)}"
            f"</section></main></body></html>")


def post_page(outlet: OutletDef, p: Piece, base: str) -> str:
    """A single post (what ``t.me/NAME/ID?embed=1`` shows)."""
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{esc(p.title)}</title>'
            f'{GENERATOR}<meta property="og:description" content="{esc(p.paragraphs[0])}">'
            f'</head><body class="widget_frame_base">{_message(outlet, p, base)}</body></html>')

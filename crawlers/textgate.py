"""Is the extracted text an article? A page whose article body is not in its HTML (filled by
script, paywalled, a gallery) makes trafilatura fall back to the biggest text block left,
often a region menu or a list of links; storing that as the article would feed menus to the
analysis. Such a page is judged ``no_text``, with the reason, and counted."""

from __future__ import annotations

# A line of at most this many words is a menu item, a link or a label, not prose.
SHORT_LINE_WORDS = 3
NAV_MIN_LINES = 8          # a short text is judged by the length rule, not as a menu
NAV_SHORT_SHARE = 0.6      # this share of short lines makes a menu
PROSE_LINE_WORDS = 8
PROSE_MIN_SHARE = 0.3      # at least this share of the characters must stand in prose lines
# A description of this length promises an article at least half as long.
PROMISE_MIN_CHARS = 120
PROMISE_SHARE = 0.5


def judge_text(text: str, description: str = "") -> str | None:
    """None when ``text`` reads as an article; otherwise the reason it does not:
    ``navigation`` (a list of short link lines, region names, menus) or
    ``short_of_description`` (much shorter than the page's own description)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return None  # empty text has its own reason downstream (empty_text)
    short = sum(1 for line in lines if len(line.split()) <= SHORT_LINE_WORDS)
    if len(lines) >= NAV_MIN_LINES and short / len(lines) >= NAV_SHORT_SHARE:
        return "navigation"
    total = sum(len(line) for line in lines)
    prose = sum(len(line) for line in lines if len(line.split()) >= PROSE_LINE_WORDS)
    if len(lines) >= NAV_MIN_LINES and prose < PROSE_MIN_SHARE * total:
        return "navigation"
    if len(description) >= PROMISE_MIN_CHARS and total < PROMISE_SHARE * len(description):
        return "short_of_description"
    return None

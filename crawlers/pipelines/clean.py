"""Clean: tidy whitespace and fill what extraction missed from the feed or post metadata."""

from __future__ import annotations

import re

from crawlers.items import ArticleItem
from crawlers.pipelines import StepPipeline, drop

_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_BLANK_LINES = re.compile(r"\n{3,}")
MIN_TEXT_CHARS = 40  # below this a "text" is a caption or an error page, not an article


def tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u200b", "")
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


class CleanPipeline(StepPipeline):

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if item.no_text:
            # Extraction judged the page's text not an article (a menu, a stub): counted by
            # reason; the feed's summary may still stand in for it below.
            self.stats.inc_value(f"steppewatch/no_text/{item.no_text}")
            item.extra["no_text"] = item.no_text
            item.text = ""
        item.text = tidy(item.text)
        item.title = tidy(item.title).replace("\n", " ")
        summary = tidy(item.listing_summary or "")
        if len(item.text) < MIN_TEXT_CHARS and len(summary) > len(item.text):
            self.stats.inc_value("steppewatch/clean/text_from_feed")
            item.text = summary
        if not item.title and item.listing_title:
            item.title = tidy(item.listing_title).replace("\n", " ")
        if not item.author and item.listing_author:
            item.author = item.listing_author
        if item.source_kind != "telegram" and len(item.text) < MIN_TEXT_CHARS:
            raise drop(self.stats, "no_text" if item.no_text else "empty_text", item.url)
        if not item.text:
            raise drop(self.stats, "empty_text", item.url)
        if not item.title:
            item.title = item.text.split("\n", 1)[0][:200]
        return item

"""Where the data lies, said in words: an empty view names the newest data and links to a
range that has it, and the tone view puts the flagged partners first."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

from reports.dashboard.flags import Flag
from reports.dashboard.params import DEFAULT_WEEKS, Filters
from reports.dashboard.trends import Trend
from reports.dashboard.vocab import Vocabulary


@dataclass(frozen=True, kw_only=True)
class EmptyNote:
    text: str
    link: str | None = None  # query string of a range with data
    link_text: str = ""


def empty_note(f: Filters, vocab: Vocabulary, *, narrowed: bool) -> EmptyNote | None:
    """None when the range holds relevant pieces (as far as the unfiltered data goes)."""
    first, newest = vocab.first_day, vocab.newest_day
    if first is None or newest is None:
        return EmptyNote(text="No relevant pieces are stored yet: collect with `steppewatch "
                              "crawl` or `backfill`, then run `steppewatch process`.")
    if first <= f.end and newest >= f.start:
        return None  # the range overlaps the data; filters may still empty a chart
    end = min(newest, vocab.latest_day)
    start = end - timedelta(weeks=DEFAULT_WEEKS, days=-1)
    target = dataclasses.replace(f, start=start, end=end, at=None, series=None, page=1)
    what = "No relevant pieces match these filters" if narrowed else "No relevant pieces"
    return EmptyNote(
        text=f"{what} between {f.start} and {f.end}; the newest is from {newest}, "
             f"the oldest from {first}.",
        link=target.query(), link_text=f"Show {start} – {_week_end(end)}")


def _week_end(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())


def flagged_first(trend: Trend, flags: list[Flag]) -> Trend:
    """The same trend with the partners the digest flagged first, then by pieces."""
    keys = {flag.key for flag in flags}
    lines = sorted(trend.lines, key=lambda ln: ln.key not in keys)  # stable: pieces order
    return dataclasses.replace(trend, lines=lines)

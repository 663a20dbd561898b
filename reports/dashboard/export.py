"""The data behind every chart and table as JSON (the page's own numbers) and as CSV tables.

CSV cells that a spreadsheet would read as a formula (crawled titles are untrusted) are
prefixed with an apostrophe; JSON carries the values unchanged.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from reports.dashboard.drill import ArticleRow, Drill
from reports.dashboard.entities import Entities
from reports.dashboard.flags import Flag, Flags
from reports.dashboard.sources import SourceRow
from reports.dashboard.trends import Trend

DATASETS = ("trend", "tone", "articles", "entities", "health", "shifts")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def plain(value: Any) -> Any:
    """JSON-ready copy: dataclasses to dicts, dates to ISO text, NaN to null."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def trend_json(trend: Trend, flags: Flags) -> dict[str, Any]:
    return {"grain": trend.grain, "by": trend.by, "periods": plain(trend.periods),
            "lines": [{"key": ln.key, "label": ln.label, "pieces": ln.pieces,
                       "copies": ln.copies} for ln in trend.lines],
            "flags": plain(flags.items), "flags_pending": flags.pending}


def trend_rows(trend: Trend) -> tuple[list[str], list[list[Any]]]:
    rows = [[p.isoformat(), ln.key, ln.label, ln.pieces[i], ln.copies[i]]
            for ln in trend.lines for i, p in enumerate(trend.periods)]
    return ["period", "series", "label", "pieces", "copies"], rows


def tone_json(trend: Trend, flags: Flags) -> dict[str, Any]:
    return {"grain": trend.grain, "periods": plain(trend.periods),
            "lines": [{"key": ln.key, "label": ln.label, "polarity": ln.polarity,
                       "alarm": ln.alarm, "n": ln.tone_n} for ln in trend.lines],
            "flags": plain([x for x in flags.items if x.metric == "tone"]),
            "flags_pending": flags.pending}


def tone_rows(trend: Trend) -> tuple[list[str], list[list[Any]]]:
    rows = [[p.isoformat(), ln.key, ln.label, ln.polarity[i], ln.alarm[i], ln.tone_n[i]]
            for ln in trend.lines for i, p in enumerate(trend.periods)]
    return ["period", "partner", "label", "mean_polarity", "mean_alarm", "stories_with_tone"], rows


def articles_json(drill: Drill | None) -> dict[str, Any]:
    if drill is None:
        return {"selected": False, "stories": []}
    return {"selected": True, **plain(drill)}


def article_rows(drill: Drill | None) -> tuple[list[str], list[list[Any]]]:
    cols = ["story", "role", "article_id", "title", "outlet", "published", "lang", "tone",
            "polarity", "alarm", "topics", "partners", "evidence", "url"]
    rows: list[list[Any]] = []
    for story in drill.stories if drill else []:
        for role, row in [("story", story.head)] + [("copy", c) for c in story.copies]:
            rows.append(_article(role, row))
    return cols, rows


def _article(role: str, a: ArticleRow) -> list[Any]:
    return [a.story, role, a.id, a.title, a.outlet, a.published, a.lang, a.tone_label,
            a.polarity, a.alarm, "; ".join(a.topics),
            "; ".join(f"{k} {v:+.2f}" for k, v in a.partners.items()),
            " | ".join(a.sentences), a.url or ""]


def entity_rows(ent: Entities) -> tuple[list[str], list[list[Any]]]:
    rows = [[which, e.key, e.type, e.text, e.stories]
            for which, items in (("top", ent.top), ("new", ent.new)) for e in items]
    return ["list", "key", "type", "text", "stories"], rows


def health_rows(sources: list[SourceRow]) -> tuple[list[str], list[list[Any]]]:
    cols = ["outlet", "name", "group", "status", "last_success", "last_new_article",
            "newest_item", "latest_runs", "errors"]
    rows = [[s.outlet_id, s.name, s.group, s.status, _iso(s.last_success),
             _iso(s.last_new_article), _iso(s.newest_item),
             "; ".join(f"{r.started_at:%Y-%m-%d %H:%M} {r.status} +{r.new}" for r in s.runs),
             " | ".join(e for r in s.runs for e in r.errors)] for s in sources]
    return cols, rows


def health_json(sources: list[SourceRow]) -> list[dict[str, Any]]:
    return [{**plain(s), "status": s.status} for s in sources]


def shift_rows(flags: list[Flag]) -> tuple[list[str], list[list[Any]]]:
    cols = ["week", "metric", "kind", "key", "label", "direction", "estimate", "q_value",
            "source"]
    return cols, [[getattr(f, c) for c in cols] for f in flags]


def to_csv(columns: list[str], rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""

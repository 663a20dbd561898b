"""Counts and tone over time, read from ``daily_aggregates`` only (never from articles).

One grouped query per chart: the rows of one dimension (``all``, ``topic`` or ``partner``)
in the date range, narrowed by language and outlet, summed per day and per series, then
folded into ISO weeks here. The aggregates count topics and partners separately, so a view
that needs both at once (a topic filter on the partner chart, say) cannot be answered from
them: that is said plainly (``Unanswerable``) instead of being approximated.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, func, literal, select

from pipeline.store.models import DailyAggregate
from reports.dashboard.params import Filters
from reports.dashboard.vocab import Vocabulary, as_date

_SUMS = ("pieces", "copies", "polarity_sum", "alarm_sum", "tone_n")


class Unanswerable(ValueError):
    """The view combines things the daily aggregates keep apart; the message says which."""


@dataclass(kw_only=True)
class Line:
    """One series over the periods of the view."""

    key: str
    label: str
    pieces: list[int]  # relevant stories, once per near-duplicate cluster
    copies: list[int]  # the other copies of those stories (reach)
    polarity: list[float | None]  # mean over the stories with a tone; None if none
    alarm: list[float | None]
    tone_n: list[int]

    @property
    def total(self) -> int:
        return sum(self.pieces)


@dataclass(kw_only=True)
class Trend:
    grain: str
    by: str
    periods: list[date]  # first day of each period
    lines: list[Line]  # most pieces first

    def line(self, key: str) -> Line | None:
        return next((ln for ln in self.lines if ln.key == key), None)


def dimension_for(f: Filters, by: str) -> str:
    wants_topic = by == "topic" or f.topic is not None
    wants_partner = by == "partner" or f.partner is not None
    if wants_topic and wants_partner:
        raise Unanswerable(
            "topics and partners cannot be combined in the counts: the daily aggregates count "
            "each separately (the article list applies both filters)")
    return "topic" if wants_topic else "partner" if wants_partner else "all"


def periods(f: Filters) -> list[date]:
    step = 7 if f.grain == "week" else 1
    return [f.start + timedelta(days=i) for i in range(0, (f.end - f.start).days + 1, step)]


def load_trend(engine: Engine, f: Filters, vocab: Vocabulary, profile_version: str, *,
               by: str | None = None) -> Trend:
    by = by or f.by
    dimension = dimension_for(f, by)
    agg = DailyAggregate
    where: list[Any] = [agg.profile_version == profile_version, agg.dimension == dimension,
                        agg.day >= f.start, agg.day <= f.end]
    if dimension == "all":
        where.append(agg.key == "")  # not "undated": crawl-dated articles never enter trends
    elif f.topic or f.partner:
        where.append(agg.key == (f.topic or f.partner))
    else:
        # Naming every key lets the (version, dimension, key, day) index seek the date range
        # of each key instead of walking the dimension's whole history (5x faster at a
        # million articles). The vocabulary holds every key the aggregates have.
        where.append(agg.key.in_(sorted(vocab.topics if dimension == "topic"
                                        else vocab.partners)))
    if f.lang:
        where.append(agg.lang == f.lang)
    if f.outlet:
        where.append(agg.outlet_id == f.outlet)
    if f.group:
        where.append(agg.outlet_id.in_(vocab.outlets_of(f.group) or [""]))
    column = {"topic": agg.key, "partner": agg.key, "lang": agg.lang, "outlet": agg.outlet_id,
              "group": agg.outlet_id}.get(by, literal(""))
    sums = [func.sum(getattr(agg, name)) for name in _SUMS]
    query = select(agg.day, column, *sums).where(*where).group_by(agg.day, column)
    with engine.connect() as conn:
        rows = conn.execute(query).all()

    starts = periods(f)
    index = {start + timedelta(days=d): i for i, start in enumerate(starts)
             for d in range(7 if f.grain == "week" else 1)}
    cells: dict[str, list[list[float]]] = defaultdict(
        lambda: [[0.0] * len(starts) for _ in _SUMS])
    for day, key, *values in rows:
        i = index.get(as_date(day))
        if i is None:
            continue
        if by == "group":
            key = vocab.groups.get(key, "unknown")
        cell = cells[key or ""]
        for j, v in enumerate(values):
            cell[j][i] += v or 0
    lines = [_line(by, key, cell, vocab) for key, cell in cells.items()]
    lines.sort(key=lambda ln: (-ln.total, ln.label.lower()))
    return Trend(grain=f.grain, by=by, periods=starts, lines=lines)


def _line(by: str, key: str, cell: list[list[float]], vocab: Vocabulary) -> Line:
    pieces, copies, pol, alarm, tone_n = cell

    def mean(sums: list[float]) -> list[float | None]:
        return [round(s / n, 4) if n else None for s, n in zip(sums, tone_n, strict=True)]

    return Line(key=key, label=vocab.name(by, key), pieces=[int(v) for v in pieces],
                copies=[int(v) for v in copies], polarity=mean(pol), alarm=mean(alarm),
                tone_n=[int(v) for v in tone_n])

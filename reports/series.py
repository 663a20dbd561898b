"""Weekly series read from ``daily_aggregates``: the numbers of the digest.

One grouped query over the aggregate table (never over articles) gives, per week of the
window (baseline weeks then the digest's week), the pieces, copies and tone sums of every
series: all relevant coverage, each topic, each partner, each language, outlet group and
outlet, and the topic/partner series split by language for the kk-vs-ru comparison. Every
series also keeps its counts per outlet, and the table keeps how many articles each outlet
collected per week (relevant or not): what the volume tests weigh weeks by
(``reports.exposure``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import Engine, func, select

from pipeline.store.models import DailyAggregate, Outlet
from reports.weeks import IsoWeek

# Series kinds, in the order the digest lists them.
KINDS = ("all", "topic", "partner", "lang", "group", "outlet")
SeriesKey = tuple[str, str]  # (kind, key); ("all", "") is all relevant coverage

_FIELDS = ("articles", "pieces", "copies", "polarity_sum", "alarm_sum", "tone_n")


@dataclass(kw_only=True)
class Series:
    """One series over the window: index -1 is the digest's week, the rest the baseline."""

    kind: str
    key: str
    articles: np.ndarray
    pieces: np.ndarray
    copies: np.ndarray
    polarity_sum: np.ndarray
    alarm_sum: np.ndarray
    tone_n: np.ndarray
    # outlet -> weekly pieces, and pieces + copies, of this series from that outlet
    outlet_pieces: dict[str, np.ndarray] = field(default_factory=dict)
    outlet_items: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def empty(cls, kind: str, key: str, n_weeks: int) -> Series:
        articles, pieces, copies, polarity_sum, alarm_sum, tone_n = (
            np.zeros(n_weeks, dtype=float) for _ in _FIELDS)
        return cls(kind=kind, key=key, articles=articles, pieces=pieces, copies=copies,
                   polarity_sum=polarity_sum, alarm_sum=alarm_sum, tone_n=tone_n)

    def add(self, week_index: int, values: Iterable[float]) -> None:
        for name, value in zip(_FIELDS, values, strict=True):
            getattr(self, name)[week_index] += value or 0

    def add_outlet(self, outlet: str, week_index: int, pieces: float, copies: float) -> None:
        n = len(self.pieces)
        self.outlet_pieces.setdefault(outlet, np.zeros(n))[week_index] += pieces or 0
        self.outlet_items.setdefault(outlet, np.zeros(n))[week_index] += (pieces or 0) + (
            copies or 0)

    @property
    def week_pieces(self) -> int:
        return int(self.pieces[-1])

    @property
    def baseline_pieces(self) -> np.ndarray:
        return self.pieces[:-1]

    def mean_polarity(self) -> np.ndarray:
        """Weekly mean polarity (NaN where no piece had a tone)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.tone_n > 0, self.polarity_sum / self.tone_n, np.nan)

    def mean_alarm(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.tone_n > 0, self.alarm_sum / self.tone_n, np.nan)

    def tone(self, part: slice) -> tuple[float | None, float | None, int]:
        """(mean polarity, mean alarm, n) pooled over the weeks in ``part``."""
        n = int(self.tone_n[part].sum())
        if n == 0:
            return None, None, 0
        return (float(self.polarity_sum[part].sum() / n), float(self.alarm_sum[part].sum() / n), n)


@dataclass(kw_only=True)
class WeeklyTable:
    weeks: list[IsoWeek]  # baseline weeks, oldest first, then the digest's week
    series: dict[SeriesKey, Series] = field(default_factory=dict)
    by_lang: dict[tuple[str, str, str], Series] = field(default_factory=dict)  # (lang, kind, key)
    undated: dict[str, np.ndarray] = field(default_factory=dict)  # outlet -> crawl-dated articles
    groups: dict[str, str] = field(default_factory=dict)  # outlet -> outlet group
    # (outlet, lang) -> dated articles collected per week, relevant or not
    collected: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    relevant: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # of collected
    imported: set[str] = field(default_factory=set)  # outlets loaded from archives only

    @property
    def n_weeks(self) -> int:
        return len(self.weeks)

    def get(self, kind: str, key: str) -> Series:
        return self.series.get((kind, key)) or Series.empty(kind, key, self.n_weeks)

    def of_kind(self, kind: str) -> list[Series]:
        return sorted((s for (k, _), s in self.series.items() if k == kind),
                      key=lambda s: (-s.week_pieces, -float(s.baseline_pieces.sum()), s.key))

    def _cell(self, store: dict, key: tuple, kind: str, name: str) -> Series:
        if key not in store:
            store[key] = Series.empty(kind, name, self.n_weeks)
        return store[key]

    def add_row(self, i: int, lang: str, outlet: str, dimension: str, key: str,
                values: list) -> None:
        """Add one aggregate row (one day, language, outlet, dimension and key) to week i."""
        if dimension == "all" and key == "undated":
            # Crawl-dated articles never enter trends; counted per outlet for source health.
            self.undated.setdefault(outlet, np.zeros(self.n_weeks))[i] += values[0] or 0
            return
        pieces, copies = values[1], values[2]
        cells = []
        if dimension == "all":
            self.collected.setdefault((outlet, lang), np.zeros(self.n_weeks))[i] += values[0] or 0
            self.relevant.setdefault((outlet, lang), np.zeros(self.n_weeks))[i] += (
                (pieces or 0) + (copies or 0))
            group = self.groups.get(outlet, "unknown")
            cells = [("all", ""), ("lang", lang), ("outlet", outlet), ("group", group)]
        else:
            cells = [(dimension, key)]
        for kind, name in cells:
            cell = self._cell(self.series, (kind, name), kind, name)
            cell.add(i, values)
            cell.add_outlet(outlet, i, pieces, copies)
        self._cell(self.by_lang, (lang, dimension, key), dimension, key).add(i, values)


def load_weekly(engine: Engine, *, profile_version: str, week: IsoWeek,
                baseline_weeks: int) -> WeeklyTable:
    """Read the window ``baseline_weeks`` + 1 weeks ending with ``week``."""
    weeks = [*week.baseline(baseline_weeks), week]
    table = WeeklyTable(weeks=weeks)
    index: dict[date, int] = {d: i for i, w in enumerate(weeks) for d in w.days()}
    first, last = weeks[0].monday, week.sunday
    agg = DailyAggregate
    sums = [func.sum(getattr(agg, f)) for f in _FIELDS]
    window = (agg.profile_version == profile_version, agg.day >= first, agg.day <= last)

    with engine.connect() as conn:
        table.groups = dict(conn.execute(select(Outlet.id, Outlet.group)).all())
        rows = conn.execute(
            select(agg.day, agg.lang, agg.outlet_id, agg.dimension, agg.key, *sums)
            .where(*window)
            .group_by(agg.day, agg.lang, agg.outlet_id, agg.dimension, agg.key)).all()
    for day, lang, outlet, dimension, key, *values in rows:
        table.add_row(index[_as_date(day)], lang, outlet, dimension, key, values)
    return table


def _as_date(value: date | str) -> date:
    # SQLite hands back ISO strings when the column is read through an aggregate query.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def outlet_breakdown(table: WeeklyTable, engine: Engine, *, profile_version: str, kind: str,
                     key: str) -> dict[str, tuple[int, float]]:
    """Per outlet: (pieces + copies this week, baseline weekly mean) of one series.

    Read only for flagged shifts, to say which outlets carried a rise or a drop.
    """
    weeks = table.weeks
    index: dict[date, int] = {d: i for i, w in enumerate(weeks) for d in w.days()}
    agg = DailyAggregate
    where = [agg.profile_version == profile_version, agg.day >= weeks[0].monday,
             agg.day <= weeks[-1].sunday]
    if kind in ("topic", "partner"):
        where += [agg.dimension == kind, agg.key == key]
    else:
        where += [agg.dimension == "all", agg.key == ""]
        if kind == "lang":
            where.append(agg.lang == key)
        elif kind == "outlet":
            where.append(agg.outlet_id == key)
        elif kind == "group":
            where.append(agg.outlet_id.in_(
                [o for o, g in table.groups.items() if g == key] or [""]))
    with engine.connect() as conn:
        rows = conn.execute(select(agg.day, agg.outlet_id,
                                   func.sum(agg.pieces) + func.sum(agg.copies))
                            .where(*where).group_by(agg.day, agg.outlet_id)).all()
    counts: dict[str, np.ndarray] = {}
    for day, outlet, n in rows:
        counts.setdefault(outlet, np.zeros(len(weeks)))[index[_as_date(day)]] += n or 0
    return {o: (int(c[-1]), float(c[:-1].mean())) for o, c in counts.items()}

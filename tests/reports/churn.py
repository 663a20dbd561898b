"""Synthetic twelve-week streams in which outlets join, leave and go silent.

What a live monitor sees: channels are added week after week (collection grows several-fold),
some outlets fall silent, feeds break and deliver a fraction of their items. Nothing in the
news changes: every outlet's share of relevant pieces, of each topic and of each partner stays
what it is, and the news cycle is mildly bursty (a weekly intensity per topic shared by all
outlets, negative binomial alpha ~0.03). The digest's own code tests the last weeks of each
stream (``reports.digest.volume_tests`` on a ``WeeklyTable`` filled row by row as
``load_weekly`` fills it, then Benjamini-Hochberg), so a test of these streams is a test of
the brief, not of a copy of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.config import DigestSettings
from pipeline.store.models import OUTLET_GROUPS
from reports.digest import volume_tests
from reports.series import WeeklyTable
from reports.shifts import Tested, control_fdr
from reports.weeks import IsoWeek

WEEKS = 12
BASELINE = 8
TOPICS = ("uk", "turkey", "csto", "china", "drones")
PARTNERS = ("GBR", "TUR", "RUS", "CHN", "USA", "CSTO")
NEWS_ALPHA = 0.0  # steady news: "no real change"; >0 adds a shared weekly burst per topic
LAST = IsoWeek(year=2024, week=50)


@dataclass(frozen=True, kw_only=True)
class Outlet:
    id: str
    group: str
    lang: str
    volume: float  # articles a week when collected in full
    relevant: float  # share of its articles that are relevant
    topics: np.ndarray  # probability of each topic for a relevant piece
    partners: np.ndarray  # probability of each partner being mentioned


def outlets(rng: np.random.Generator, n: int = 24) -> list[Outlet]:
    return [Outlet(id=f"o{i:02d}", group=OUTLET_GROUPS[i % len(OUTLET_GROUPS)],
                   lang="kk" if i % 4 == 3 else "ru",
                   volume=float(rng.lognormal(np.log(120), 0.7)),
                   relevant=float(rng.uniform(0.03, 0.2)),
                   topics=rng.dirichlet(np.full(len(TOPICS), 0.8)),
                   partners=rng.uniform(0.05, 0.5, len(PARTNERS))) for i in range(n)]


def activity(rng: np.random.Generator, n: int) -> np.ndarray:
    """Collection per outlet and week, as a share of the outlet's full volume: outlets join
    (a quarter at the start, the rest over the weeks), some leave or fall silent, some feeds
    break for a week and deliver a third."""
    act = np.zeros((n, WEEKS))
    on = rng.random(n) < 0.25
    for w in range(WEEKS):
        join = ~on & (rng.random(n) < 0.18)
        leave = on & (rng.random(n) < 0.06)
        on = (on | join) & ~leave
        act[:, w] = on * np.where(rng.random(n) < 0.1, 0.33, 1.0)
    return act


def stream(rng: np.random.Generator, *, rise_topic: str | None = None,
           factor: float = 2.0) -> tuple[list[Outlet], np.ndarray, dict]:
    """Counts[(week, outlet, dimension, key)] = (articles, pieces) of one stream."""
    outs = outlets(rng)
    act = activity(rng, len(outs))
    news = (rng.gamma(1 / NEWS_ALPHA, NEWS_ALPHA, (WEEKS, len(TOPICS))) if NEWS_ALPHA > 0
            else np.ones((WEEKS, len(TOPICS))))
    if rise_topic is not None:
        news[-1, TOPICS.index(rise_topic)] *= factor
    counts: dict[tuple[int, str, str, str], list[int]] = {}
    for w in range(WEEKS):
        for o, a in zip(outs, act[:, w], strict=True):
            if a == 0:
                continue
            rates = o.volume * a * o.relevant * o.topics * news[w]
            per_topic = rng.poisson(rates)
            relevant = int(per_topic.sum())
            other = int(rng.poisson(o.volume * a * (1 - o.relevant)))
            counts[(w, o.id, "all", "")] = [relevant + other, relevant]
            for t, k in zip(TOPICS, per_topic, strict=True):
                if k:
                    counts[(w, o.id, "topic", t)] = [int(k), int(k)]
            for p, share in zip(PARTNERS, o.partners, strict=True):
                k = int(rng.binomial(relevant, share)) if relevant else 0
                if k:
                    counts[(w, o.id, "partner", p)] = [k, k]
    return outs, act, counts


def table_for(outs: list[Outlet], counts: dict, last: int) -> WeeklyTable:
    """The digest's table of the week ``last`` (index) with its BASELINE weeks."""
    weeks = [*LAST.baseline(BASELINE), LAST]
    table = WeeklyTable(weeks=weeks, groups={o.id: o.group for o in outs})
    lang = {o.id: o.lang for o in outs}
    first = last - BASELINE
    for (w, outlet, dim, key), (articles, pieces) in counts.items():
        if first <= w <= last:
            table.add_row(w - first, lang[outlet], outlet, dim, key,
                          [articles, pieces, 0, 0.0, 0.0, 0])
    return table


def flags(table: WeeklyTable, *, adjust: bool = True, min_count: int = 5,
          fdr: float = 0.1, min_ratio: float = DigestSettings().min_ratio) -> list[Tested]:
    """Flagged volume tests of one week, with the digest's defaults."""
    return [t for t in control_fdr(volume_tests(table, min_count, adjust=adjust,
                                                min_ratio=min_ratio), fdr) if t.flagged]


def quiet_weeks(seed: int, streams: int, *, adjust: bool = True,
                min_ratio: float = DigestSettings().min_ratio) -> float:
    """Share of tested weeks (the last four of each stream) without any volume flag."""
    rng = np.random.default_rng(seed)
    quiet = total = 0
    for _ in range(streams):
        outs, _, counts = stream(rng)
        for last in range(BASELINE, WEEKS):
            quiet += not flags(table_for(outs, counts, last), adjust=adjust,
                               min_ratio=min_ratio)
            total += 1
    return quiet / total


def rise_found(seed: int, streams: int, *, topic: str = "turkey", factor: float = 2.0,
               adjust: bool = True, min_ratio: float = DigestSettings().min_ratio) -> float:
    """Share of streams whose planted rise of ``topic`` in the last week is flagged up."""
    rng = np.random.default_rng(seed)
    found = 0
    for _ in range(streams):
        outs, _, counts = stream(rng, rise_topic=topic, factor=factor)
        found += any(t.kind == "topic" and t.key == topic and t.direction == "up"
                     for t in flags(table_for(outs, counts, WEEKS - 1), adjust=adjust,
                                  min_ratio=min_ratio))
    return found / streams

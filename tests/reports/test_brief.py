"""How flagged shifts become entries (reports.brief), on a hand-made week: shifts over the
same stories are one entry, a shift that only passed thanks to an event's stories is a facet
of it, an unrelated shift or a drop stays an entry of its own, all coverage is one line."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from reports import brief, drivers
from reports.articles import WeekArticle
from reports.labels import Labels
from reports.model import Shift

WHEN = datetime(2025, 6, 10, 9, tzinfo=UTC)


def _article(i: int, *, topics=(), partners=None, lang="ru", outlet="a", alarm=0.0,
             title=None) -> WeekArticle:
    return WeekArticle(id=i, cluster_id=None, outlet_id=outlet, lang=lang,
                       title=title or f"story {i}", url=f"https://x/{i}", published_at=WHEN,
                       polarity=0.0, alarm=alarm,
                       evidence={"sentences": [title or f"story {i}", f"sentence {i}."]},
                       topics=list(topics), partners=dict(partners or {}))


def _week() -> list[WeekArticle]:
    turkey = [_article(i, topics=["turkey"], partners={"TUR": 0.3}, lang="kk" if i < 4 else "ru")
              for i in range(1, 7)]
    russia = [_article(i, topics=["csto_russia"], partners={"RUS": -0.5}, alarm=0.9)
              for i in range(11, 16)]
    other = [_article(21, lang="kk", outlet="b")]
    other += [_article(i, outlet="c", topics=["uk"], partners={"GBR": 0.2}) for i in range(31, 39)]
    return turkey + russia + other


def _shift(metric, kind, key, q, *, week=0.0, base=0.0, expected=None, direction="up",
           ctx=None) -> Shift:
    s = Shift(metric=metric, kind=kind, key=key, label=key or "all relevant coverage",
              direction=direction, estimate=2.0, ci_low=1.1, ci_high=3.0, week_value=week,
              baseline_value=base, p_value=q / 2, q_value=q, model="poisson",
              expected=expected)
    if ctx is not None:  # its articles, as drivers.shift lists them
        members = [a for a in ctx.articles if drivers.in_series(a, kind, key, ctx.table.groups)]
        return Shift(**{**s.__dict__, "articles": [ctx.ref(a, 0.0, metric=metric)
                                                   for a in members[:5]]})
    return s


def _ctx() -> drivers.Context:
    table = SimpleNamespace(groups={"a": "kz_state", "b": "kz_independent", "c": "telegram"})
    return drivers.Context(engine=None, table=table, profile_version="v", labels=Labels(),
                           tz=ZoneInfo("Asia/Almaty"), articles=_week())


def test_shifts_become_one_entry_per_event():
    ctx = _ctx()
    shifts = [
        _shift("volume", "all", "", 0.0001, week=20, base=8, expected=8, ctx=ctx),
        _shift("volume", "topic", "turkey", 0.001, week=6, base=1, expected=1, ctx=ctx),
        _shift("volume", "partner", "TUR", 0.001, week=6, base=1, expected=1, ctx=ctx),
        _shift("alarm", "partner", "RUS", 0.002, week=0.9, base=0.1, ctx=ctx),
        _shift("alarm", "topic", "csto_russia", 0.002, week=0.9, base=0.1, ctx=ctx),
        # 4 of its 5 stories are Turkey's: without them 1 story, as expected.
        _shift("volume", "lang", "kk", 0.003, week=5, base=1, expected=1, ctx=ctx),
        # UK coverage: 8 stories of its own, far above the 1 expected.
        _shift("volume", "outlet", "c", 0.004, week=8, base=1, expected=1, ctx=ctx),
        # A drop rests on what is missing: never folded into a rise.
        _shift("volume", "group", "kz_independent", 0.005, week=1, base=6, expected=6,
               direction="down", ctx=ctx),
    ]
    entries = brief.build_entries(ctx, shifts, "en")
    assert [(e.number, e.kind, e.lead.key) for e in entries] == [
        (1, "event", "turkey"), (2, "event", "RUS"), (3, "event", "c"),
        (4, "event", "kz_independent"), (5, "all", "")]
    turkey, russia = entries[0], entries[1]
    assert [(f.kind, f.key) for f in turkey.facets] == [
        ("topic", "turkey"), ("partner", "TUR"), ("lang", "kk")]
    assert turkey.title == "turkey / TUR: coverage rose"
    assert turkey.story_count == 6 and turkey.unlisted == 1
    assert {f.key for f in russia.facets} == {"RUS", "csto_russia"}
    assert russia.sentence.startswith("RUS / csto_russia: threat framing rose (0.10 → 0.90)")
    # Every flagged shift is read once; the summary keeps the overall line.
    assert sum(len(e.facets) for e in entries) == len(shifts)
    assert [e.number for e in brief.summary(entries)] == [1, 2, 3, 5]
    assert entries[-1].sentence.endswith("; all its 20 stories are in the entries above.")


def test_each_story_once_with_its_sentence_not_the_headline():
    ctx = _ctx()
    shifts = [_shift("volume", "topic", "turkey", 0.001, week=6, base=1, expected=1, ctx=ctx),
              _shift("volume", "partner", "TUR", 0.001, week=6, base=1, expected=1, ctx=ctx)]
    entry = brief.build_entries(ctx, shifts, "en")[0]
    assert [a.title for a in entry.stories] == [f"story {i}" for i in range(1, 6)]
    assert [a.sentence for a in entry.stories] == [f"sentence {i}." for i in range(1, 6)]

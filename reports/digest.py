"""Build the data of one week's digest: volumes, tone, tested shifts, what is new, health.

``build_digest(engine, settings, week, profile_version=...)`` is the library entry point
(called by the CLI and by the Airflow task); it only reads the database.
"""

from __future__ import annotations

import math

import numpy as np
from sqlalchemy import Engine, select

from pipeline.config import Settings
from pipeline.store.models import Outlet
from reports import brief, drivers
from reports.articles import ToneSamples, tone_samples, week_articles
from reports.exposure import collection_change, series_exposure
from reports.health import source_health
from reports.labels import Labels
from reports.model import (
    ChartData,
    CollectionNote,
    DigestData,
    HealthRow,
    LangRow,
    ToneRow,
    VolumeRow,
)
from reports.series import Series, WeeklyTable, load_weekly
from reports.shifts import (
    Tested,
    VolumeTest,
    control_fdr,
    pooled_dispersion,
    tone_test,
    volume_test,
)
from reports.weeks import IsoWeek

VOLUME_KINDS = ("all", "topic", "partner", "lang", "group", "outlet")
TONE_KINDS = ("all", "partner", "topic")
# Series kinds that share one prior dispersion.
POOL_KINDS = {"all": "whole", "lang": "whole", "group": "sources", "outlet": "sources",
              "topic": "subjects", "partner": "subjects"}
SIDE_LANGS = ("kk", "ru")
TONE_CHART_PARTNERS = 6  # lines on the tone chart, the partners most covered this week


def build_digest(engine: Engine, settings: Settings, week: IsoWeek, *, profile_version: str,
                 labels: Labels | None = None) -> DigestData:
    tz = settings.tz
    cfg = settings.digest
    table = load_weekly(engine, profile_version=profile_version, week=week,
                        baseline_weeks=cfg.baseline_weeks)
    week_start, week_end = week.bounds(tz)
    window_start = table.weeks[0].bounds(tz)[0]
    with engine.connect() as conn:
        outlet_names = dict(conn.execute(select(Outlet.id, Outlet.name)).all())
    labels = (labels or Labels(language=cfg.language)).with_outlets(outlet_names)

    samples = tone_samples(engine, profile_version=profile_version, window_start=window_start,
                           week_start=week_start, week_end=week_end)
    tested = control_fdr(volume_tests(table, cfg.min_count, min_ratio=cfg.min_ratio)
                         + _tone_tests(table, samples, cfg.min_count), cfg.fdr)
    flagged = {(t.metric, t.kind, t.key) for t in tested if t.flagged}

    articles = week_articles(engine, profile_version=profile_version, week_start=week_start,
                             week_end=week_end)
    ctx = drivers.Context(engine=engine, table=table, profile_version=profile_version,
                          labels=labels, tz=tz, articles=articles)
    shifts = [drivers.shift(ctx, t) for t in sorted(
        (t for t in tested if t.flagged), key=lambda t: (t.q_value, t.p_value))]
    entries = brief.build_entries(ctx, shifts, cfg.language)
    new = drivers.whats_new(ctx, baseline_start=window_start, baseline_end=week_start,
                            baseline_ids=samples.baseline_ids)
    health = source_health(engine, table, week_start=week_start, week_end=week_end)

    expected = {(t.kind, t.key): t.test.expected for t in tested
                if isinstance(t.test, VolumeTest)}
    volume = {kind: [_volume_row(s, labels, ("volume", kind, s.key) in flagged,
                                 expected.get((kind, s.key)))
                     for s in table.of_kind(kind)] for kind in VOLUME_KINDS if kind != "all"}
    tone = {kind: [_tone_row(s, labels, ("tone", kind, s.key) in flagged)
                   for s in ([table.get("all", "")] if kind == "all" else table.of_kind(kind))]
            for kind in TONE_KINDS}
    return DigestData(
        week=str(week), period_start=week_start, period_end=week_end, first_day=week.monday,
        last_day=week.sunday, timezone=settings.timezone, profile_version=profile_version,
        baseline_weeks=[str(w) for w in table.weeks[:-1]], language=cfg.language,
        min_count=cfg.min_count, fdr=cfg.fdr,
        total=_volume_row(table.get("all", ""), labels, ("volume", "all", "") in flagged,
                          expected.get(("all", ""))),
        volume=volume, tone=tone, shifts=shifts, tests_run=len(tested), new=new,
        languages=_languages(table, labels),
        health=[HealthRow(outlet=i.outlet_name, group=labels.name("group", i.group),
                          issue=i.issue, detail=i.detail) for i in health.issues],
        crawl_runs=health.runs, failed_runs=health.failed_runs, outcomes=health.outcomes,
        charts=_charts(table, labels), collection=_collection(table, labels),
        entries=entries, summary=[e.number for e in brief.summary(entries)])


def volume_tests(table: WeeklyTable, min_count: int, *, adjust: bool = True,
                 min_ratio: float = 1.0) -> list[Tested]:
    """The volume test of every series, each weighed by what its outlets collected
    (``adjust=False``: raw counts, as before collection was accounted for; for comparison),
    against changes of more than ``min_ratio`` either way."""
    series = [table.get("all", "")] + [s for kind in VOLUME_KINDS[1:]
                                       for s in table.of_kind(kind)]
    n = table.n_weeks
    exposures, untested, information = [], [], []
    for s in series:
        e = series_exposure(table, s)
        exposures.append(e.weights if adjust else np.ones(n))
        untested.append(e.untested if adjust else 0)
        information.append(e.information if adjust else 1.0)
    # The prior dispersion of each series: pooled over the series of its kind with a baseline
    # (subjects are burstier than whole outlets or all coverage, where bursts average out).
    alpha: dict[str, float] = {}
    for kind in POOL_KINDS.values():
        big = [i for i, s in enumerate(series) if POOL_KINDS[s.kind] == kind
               and s.baseline_pieces.mean() >= min_count]
        alpha[kind] = pooled_dispersion([series[i].baseline_pieces for i in big],
                                        [exposures[i][:-1] for i in big])
    out = []
    for s, expo, new, info in zip(series, exposures, untested, information, strict=True):
        test = volume_test(s.week_pieces - new, s.baseline_pieces, min_count=min_count,
                           pooled_dispersion=alpha[POOL_KINDS[s.kind]], exposure=expo,
                           information=info, min_ratio=min_ratio)
        if test is not None:
            out.append(Tested(metric="volume", kind=s.kind, key=s.key, test=test))
    return out


def _tone_tests(table: WeeklyTable, samples: ToneSamples, min_count: int) -> list[Tested]:
    """Welch tests of mean polarity ("tone") and of mean alarm (threat framing) per series."""
    out = []
    keys = [("all", "")] + [(k, s.key) for k in TONE_KINDS[1:] for s in table.of_kind(k)]
    for metric, week, baseline in (("tone", samples.week, samples.baseline),
                                   ("alarm", samples.alarm_week, samples.alarm_baseline)):
        for key in keys:
            test = tone_test(week.get(key, []), baseline.get(key, []), min_count=min_count)
            if test is not None:
                out.append(Tested(metric=metric, kind=key[0], key=key[1], test=test))
    return out


def _volume_row(s: Series, labels: Labels, flagged: bool,
                expected: float | None = None) -> VolumeRow:
    mean = float(s.baseline_pieces.mean())
    return VolumeRow(kind=s.kind, key=s.key, label=labels.name(s.kind, s.key),
                     pieces=s.week_pieces, copies=int(s.copies[-1]), baseline_mean=mean,
                     change=(s.week_pieces / mean - 1) if mean > 0 else None, flagged=flagged,
                     expected=expected, adjusted_change=(s.week_pieces / expected - 1)
                     if expected else None)


def _collection(table: WeeklyTable, labels: Labels) -> CollectionNote:
    c = collection_change(table)
    return CollectionNote(factor=c.factor, silent=[labels.name("outlet", o) for o in c.silent],
                          new=[labels.name("outlet", o) for o in c.new], changed=c.changed)


def _tone_row(s: Series, labels: Labels, flagged: bool) -> ToneRow:
    pol, alarm, n = s.tone(slice(-1, None))
    base_pol, base_alarm, _ = s.tone(slice(0, -1))
    return ToneRow(kind=s.kind, key=s.key, label=labels.name(s.kind, s.key), n=n,
                   polarity=pol, baseline_polarity=base_pol, alarm=alarm,
                   baseline_alarm=base_alarm, flagged=flagged)


def _languages(table: WeeklyTable, labels: Labels) -> list[LangRow]:
    keys = [("all", "")] + [(k, s.key) for k in ("topic", "partner") for s in table.of_kind(k)]
    rows = []
    for kind, key in keys:
        cells = {lang: table.by_lang.get((lang, kind, key)) for lang in SIDE_LANGS}
        rows.append(LangRow(
            kind=kind, key=key, label=labels.name(kind, key),
            pieces={lg: (c.week_pieces if c else 0) for lg, c in cells.items()},
            baseline_mean={lg: (float(c.baseline_pieces.mean()) if c else 0.0)
                           for lg, c in cells.items()},
            polarity={lg: (c.tone(slice(-1, None))[0] if c else None)
                      for lg, c in cells.items()}))
    return rows


def _charts(table: WeeklyTable, labels: Labels) -> ChartData:
    total = table.get("all", "")
    tone: dict[str, list[float | None]] = {}
    for s in table.of_kind("partner")[:TONE_CHART_PARTNERS]:
        tone[labels.name("partner", s.key)] = [
            None if math.isnan(v) else round(float(v), 4) for v in s.mean_polarity()]
    return ChartData(weeks=[f"W{w.week:02d}" for w in table.weeks],
                     pieces=[int(v) for v in total.pieces],
                     copies=[int(v) for v in total.copies], tone=tone)

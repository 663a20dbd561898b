"""Synthetic weekly streams for the shift detector: seeded, with or without injected shifts.

One "trial" is one digest week: many series tested together (as in a real digest, where
Benjamini-Hochberg runs across all of them), at most one of which carries an injected shift.
Volume series are Poisson or gamma-Poisson (negative binomial) weekly counts; tone series
are per-article polarities, normal around the series' level and clipped to [-1, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reports.shifts import Tested, control_fdr, pooled_dispersion, tone_test, volume_test

TONE_SD = 0.35  # spread of per-article polarity around a series' level


@dataclass(frozen=True, kw_only=True)
class Scenario:
    volume_rates: tuple[float, ...] = (3, 8, 15, 25, 30, 40, 60, 80, 120, 30, 20, 10)
    tone_rates: tuple[float, ...] = (30, 30, 20, 40, 60, 15)
    baseline_weeks: int = 8
    nb_alpha: float = 0.0  # >0: weekly counts are negative binomial (bursty news)
    min_count: int = 5
    fdr: float = 0.1


@dataclass(frozen=True, kw_only=True)
class TrialResult:
    flags: list[Tested]  # every tested series of the trial, with its flag
    n_series: int  # every series, tested or not (the denominator of false alarms)
    target: tuple[str, int] | None  # (metric, series index) of the injected shift


def _counts(rng: np.random.Generator, rate: float, weeks: int, alpha: float) -> np.ndarray:
    if alpha > 0:
        rate = rng.gamma(1 / alpha, rate * alpha, size=weeks)
    return rng.poisson(rate, size=weeks)


def trial(rng: np.random.Generator, sc: Scenario, *, volume_factor: float = 1.0,
          tone_shift: float = 0.0, target: int = 4) -> TrialResult:
    """One week of every series; the shift (if any) hits series ``target`` in the last week."""
    tested: list[Tested] = []
    b = sc.baseline_weeks
    streams = []
    for i, rate in enumerate(sc.volume_rates):
        counts = _counts(rng, rate, b + 1, sc.nb_alpha)
        if volume_factor != 1.0 and i == target:
            counts[-1] = _counts(rng, rate * volume_factor, 1, sc.nb_alpha)[0]
        streams.append(counts)
    alpha = pooled_dispersion([c[:-1] for c in streams])
    for i, counts in enumerate(streams):
        t = volume_test(int(counts[-1]), counts[:-1], min_count=sc.min_count,
                        pooled_dispersion=alpha)
        if t is not None:
            tested.append(Tested(metric="volume", kind="synthetic", key=str(i), test=t))
    for i, rate in enumerate(sc.tone_rates):
        level = rng.uniform(-0.3, 0.3)
        n = _counts(rng, rate, b + 1, sc.nb_alpha)
        base = np.clip(rng.normal(level, TONE_SD, size=int(n[:-1].sum())), -1, 1)
        shift = tone_shift if (tone_shift and i == target % len(sc.tone_rates)) else 0.0
        week = np.clip(rng.normal(level + shift, TONE_SD, size=int(n[-1])), -1, 1)
        t = tone_test(week, base, min_count=sc.min_count)
        if t is not None:
            tested.append(Tested(metric="tone", kind="synthetic", key=str(i), test=t))
    which = None
    if volume_factor != 1.0:
        which = ("volume", target)
    elif tone_shift:
        which = ("tone", target % len(sc.tone_rates))
    return TrialResult(flags=control_fdr(tested, sc.fdr),
                       n_series=len(sc.volume_rates) + len(sc.tone_rates), target=which)


def hit(result: TrialResult) -> bool:
    """Was the injected shift flagged, in the right direction?"""
    assert result.target is not None
    metric, index = result.target
    return any(t.flagged and t.metric == metric and t.key == str(index) for t in result.flags)


def false_flags(result: TrialResult) -> int:
    """Flags raised on series without an injected shift."""
    return sum(1 for t in result.flags if t.flagged
               and (result.target is None or (t.metric, t.key) != (result.target[0],
                                                                   str(result.target[1]))))


def power(seed: int, trials: int, sc: Scenario, **shift: float) -> float:
    rng = np.random.default_rng(seed)
    return sum(hit(trial(rng, sc, **shift)) for _ in range(trials)) / trials


def false_alarm_rate(seed: int, trials: int, sc: Scenario) -> float:
    """Share of series-weeks flagged in streams without any injected shift."""
    rng = np.random.default_rng(seed)
    flagged = total = 0
    for _ in range(trials):
        r = trial(rng, sc)
        flagged += false_flags(r)
        total += r.n_series
    return flagged / total

"""How bursty a weekly count series is, and which baseline weeks to leave out.

Every function takes the baseline counts with their exposures (the expected collection of
each week, see ``reports.exposure``; all ones when collection was steady), so a week in which
half the outlets were silent is neither mistaken for burstiness nor for an event.

Dispersion is the negative binomial alpha (variance = mu + alpha mu^2). Eight weeks say
little about one series, so each series' own moment estimate is shrunk toward the estimate
pooled over all series of the week, weighted by their degrees of freedom: the weighted-
likelihood empirical Bayes of edgeR (Robinson & Smyth 2007, prior.df = 10 there), in its
moment form. A very bursty series keeps most of its own estimate; a series that looks calm
by chance borrows the week's burstiness and stops raising false alarms.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import special

# Below this p-value of the Pearson dispersion test counts are treated as overdispersed.
# Lenient on purpose: with 8 baseline weeks the test has little power, and wrongly keeping
# Poisson on bursty data is what produces false alarms.
DISPERSION_P = 0.1
# Weight of the pooled estimate, in baseline weeks (degrees of freedom); see the bench.
PRIOR_DF = 10.0
POOLED_GATE = True
# A baseline week further than this many standard deviations from the rest of the baseline
# is an event (usually a week the brief flagged); it is left out of the baseline.
OUTLIER_Z = 3.0
MAX_LEFT_OUT = 2  # of 8 weeks: a baseline is never mostly made of exclusions


def _moments(base: np.ndarray, expo: np.ndarray) -> tuple[float, float, float, int]:
    """(excess, scale, pearson, df) of one baseline: the NB moment equations
    E[sum (c - mu)^2] = (B-1)/B sum(mu + alpha mu^2), with mu = rate x exposure."""
    weeks = len(base)
    total_e = float(expo.sum())
    if weeks < 2 or total_e <= 0 or base.sum() <= 0:
        return 0.0, 0.0, 0.0, 0
    mu = expo * float(base.sum()) / total_e
    keep = mu > 0
    ss = float(((base - mu) ** 2).sum())
    shrink = (weeks - 1) / weeks
    pearson = float(((base[keep] - mu[keep]) ** 2 / mu[keep]).sum())
    return ss - shrink * float(mu.sum()), shrink * float((mu**2).sum()), pearson, weeks - 1


def own_dispersion(base: np.ndarray, expo: np.ndarray | None = None) -> tuple[float, bool]:
    """One series' moment estimate of alpha (>= 0) and whether its Pearson test rejects
    Poisson at ``DISPERSION_P``."""
    expo = np.ones(len(base)) if expo is None else expo
    excess, scale, pearson, df = _moments(base, expo)
    if df == 0 or scale <= 0:
        return 0.0, False
    return max(excess / scale, 0.0), bool(special.chdtrc(df, pearson) < DISPERSION_P)


def pooled_dispersion(baselines: Sequence, exposures: Sequence | None = None, *,
                      robust: bool = True) -> float:
    """One NB dispersion for the series of a week, 0 if together they look Poisson.

    The series of one digest share their news cycle; the mean of their own (unclipped)
    moment estimates, weighted by degrees of freedom, is far steadier than any one of them.
    Every series weighs by its weeks, not by its size: pooling the raw moment sums instead
    lets the largest series (all coverage, whole languages), whose bursts average out over
    many subjects, set the dispersion of the small ones. With ``robust`` each baseline's
    event weeks (``outlier_weeks`` under the median of the series' estimates) are left out
    first, as the tests leave them out: one event would otherwise inflate every series'
    dispersion for eight weeks.
    """
    series = []
    for i, counts in enumerate(baselines):
        base = np.asarray(counts, dtype=float)
        expo = (np.ones(len(base)) if exposures is None
                else np.asarray(exposures[i], dtype=float))
        series.append((base, expo))
    if robust:
        own = [own_dispersion(b, e)[0] for b, e in series]
        prior = float(np.median(own)) if own else 0.0
        cleaned = []
        for base, expo in series:
            out = outlier_weeks(base, expo, prior)
            keep = np.ones(len(base), dtype=bool)
            keep[out] = False
            cleaned.append((base[keep], expo[keep]))
        series = cleaned
    weighted = pearson = 0.0
    df = 0
    for base, expo in series:
        excess, scale, p, d = _moments(base, expo)
        if d == 0 or scale <= 0:
            continue
        weighted += d * excess / scale
        pearson += p
        df += d
    if df == 0 or (POOLED_GATE and special.chdtrc(df, pearson) >= DISPERSION_P):
        return 0.0
    return max(weighted / df, 0.0)


def shrunk_dispersion(base: np.ndarray, expo: np.ndarray, pooled: float) -> tuple[float, bool]:
    """The series' alpha shrunk toward ``pooled``; and whether NB (not Poisson) applies.

    Poisson stays when neither the week's series together nor this one alone are
    overdispersed; otherwise the weighted mean of the own and the pooled estimate.
    """
    own, rejects = own_dispersion(base, expo)
    if pooled <= 0 and not rejects:
        return 0.0, False
    df = len(base) - 1
    return (df * own + PRIOR_DF * pooled) / (df + PRIOR_DF), True


def outlier_weeks(base: np.ndarray, expo: np.ndarray, alpha: float) -> list[int]:
    """Baseline weeks that are events themselves, most extreme first (at most MAX_LEFT_OUT).

    Each week is compared with the rate of the other weeks under the NB (or Poisson) model;
    a week beyond ``OUTLIER_Z`` standard deviations is left out. This is the robust baseline
    (it needs no record of what earlier briefs flagged, so a backfill in any order and a rerun
    give the same answer); see tests/reports/test_baselines.py for its figures against
    leaving out the weeks earlier briefs flagged.
    """
    weeks = len(base)
    left: list[int] = []
    while len(left) < MAX_LEFT_OUT and weeks - len(left) >= 4:
        # One at a time, most extreme first: an event week would otherwise make the ordinary
        # weeks beside it look low.
        kept = [i for i in range(weeks) if i not in left]
        total_c = float(base[kept].sum())
        total_e = float(expo[kept].sum())
        worst, worst_z = -1, OUTLIER_Z
        for i in kept:
            rest_e = total_e - float(expo[i])
            if rest_e <= 0 or expo[i] <= 0:
                continue
            mu = max((total_c - float(base[i])) / rest_e * float(expo[i]), 0.5)
            z = abs(float(base[i]) - mu) / math.sqrt(mu + alpha * mu * mu)
            if z > worst_z:
                worst, worst_z = i, z
        if worst < 0:
            break
        left.append(worst)
    return left

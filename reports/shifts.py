"""Statistical tests that decide which weekly changes are shifts worth an analyst's time.

Volume: the week's count against the trailing baseline weeks. When the baseline weeks vary
no more than Poisson counts do, the exact conditional test is used (given the total, the
week's share of it is binomial with p = 1/(1+B) under "same rate"), with a Clopper-Pearson
interval turned into a rate ratio. News is often bursty; when the baseline is overdispersed
(Pearson dispersion test) a negative binomial model with a moment estimate of the dispersion
is used instead: a Wald test on the log rate ratio whose variance carries the extra spread.

Tone: Welch's difference of means of per-article polarity, week against baseline.

Series with small counts are not tested at all (they cannot alarm), and the p-values of all
tests of a week are controlled together by Benjamini-Hochberg at the configured FDR.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

# Below this p-value of the Pearson dispersion test the baseline is treated as overdispersed.
# Lenient on purpose: with 8 baseline weeks the test has little power, and wrongly keeping
# Poisson on bursty data is what produces false alarms.
DISPERSION_P = 0.1


@dataclass(frozen=True, kw_only=True)
class VolumeTest:
    observed: int
    baseline_mean: float
    rate_ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    model: str  # poisson | negbin
    dispersion: float  # NB alpha (variance = mu + alpha mu^2); 0 for Poisson


@dataclass(frozen=True, kw_only=True)
class ToneTest:
    n_week: int
    n_baseline: int
    mean_week: float
    mean_baseline: float
    difference: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True, kw_only=True)
class Tested:
    """One test of one series in one week, and whether it survived the FDR control."""

    metric: str  # volume | tone
    kind: str
    key: str
    test: VolumeTest | ToneTest
    q_value: float = 1.0
    flagged: bool = False

    @property
    def p_value(self) -> float:
        return self.test.p_value

    @property
    def direction(self) -> str:
        if isinstance(self.test, VolumeTest):
            return "up" if self.test.rate_ratio > 1 else "down"
        return "up" if self.test.difference > 0 else "down"


def volume_test(week_count: int, baseline: ArrayLike, *, min_count: int,
                pooled_dispersion: float = 0.0,
                confidence: float = 0.95) -> VolumeTest | None:
    """Test the week's count against the baseline weekly counts; None if too small to test.

    A series is tested when the week or the baseline's weekly mean reaches ``min_count`` and
    the baseline has at least one piece (a series born this week is "new", not a shift).
    ``pooled_dispersion`` is the NB dispersion shared by the week's series (see
    ``pooled_dispersion``); a series whose own baseline is more bursty uses its own.
    """
    base = np.asarray(baseline, dtype=float)
    weeks = len(base)
    if weeks < 2:
        raise ValueError("a baseline needs at least 2 weeks")
    total_base = float(base.sum())
    mean = total_base / weeks
    if total_base <= 0 or max(week_count, mean) < min_count:
        return None
    alpha = max(_own_dispersion(base), pooled_dispersion)
    if alpha <= 0:
        return _poisson(week_count, base, confidence)
    return _negbin(week_count, base, alpha, confidence)


def _own_dispersion(base: np.ndarray) -> float:
    """Moment estimate of one baseline's NB dispersion if it is overdispersed, else 0."""
    mean = float(base.mean())
    pearson = float(((base - mean) ** 2).sum() / mean)
    if special.chdtrc(len(base) - 1, pearson) >= DISPERSION_P:
        return 0.0
    return max((float(base.var(ddof=1)) - mean) / mean**2, 0.0)


def pooled_dispersion(baselines: Sequence[ArrayLike]) -> float:
    """One NB dispersion for all series of a week, 0 if together they look Poisson.

    Eight weeks say little about one series' burstiness, so estimating it alone lets Poisson
    slip in on bursty data (false alarms). The series of one digest share their news cycle;
    pooling the moment equations E[sum (c - m)^2] = (B - 1)(m + alpha m^2) across them gives
    a far steadier estimate.
    """
    excess = scale = pearson = 0.0
    df = 0
    for counts in baselines:
        base = np.asarray(counts, dtype=float)
        mean = float(base.mean())
        if mean <= 0 or len(base) < 2:
            continue
        ss = float(((base - mean) ** 2).sum())
        excess += ss - (len(base) - 1) * mean
        scale += (len(base) - 1) * mean**2
        pearson += ss / mean
        df += len(base) - 1
    if df == 0 or special.chdtrc(df, pearson) >= DISPERSION_P:
        return 0.0
    return max(excess / scale, 0.0)


def _poisson(x: int, base: np.ndarray, confidence: float) -> VolumeTest:
    weeks = len(base)
    total = x + round(float(base.sum()))
    share0 = 1.0 / (1 + weeks)  # the week's expected share of the total under "same rate"
    # Two-sided by doubling the smaller tail; Clopper-Pearson bounds by the beta quantiles.
    # (scipy.special directly: binomtest's root finding is 50x slower and this runs per series.)
    p = min(1.0, 2 * min(special.bdtr(x, total, share0), special.bdtrc(x - 1, total, share0)))
    tail = (1 - confidence) / 2
    low = special.betaincinv(x, total - x + 1, tail) if x > 0 else 0.0
    high = special.betaincinv(x + 1, total - x, 1 - tail) if x < total else 1.0
    mean = float(base.mean())

    def ratio(share: float) -> float:
        return math.inf if share >= 1 else share / (1 - share) * weeks

    return VolumeTest(observed=x, baseline_mean=mean, rate_ratio=x / mean,
                      ci_low=ratio(float(low)), ci_high=ratio(float(high)),
                      p_value=float(p), model="poisson", dispersion=0.0)


def _negbin(x: int, base: np.ndarray, alpha: float, confidence: float) -> VolumeTest:
    weeks = len(base)
    mean = float(base.mean())
    # Half-count continuity keeps log finite for an empty week without moving large counts.
    log_rr = math.log((x + 0.5) / (mean + 0.5 / weeks))
    # Under "same rate" both the week and the baseline mean have the pooled rate; the variance
    # of log(count) for NB(mu, alpha) is 1/mu + alpha (per week; the baseline mean averages B).
    pooled = (x + base.sum()) / (weeks + 1)
    var_null = (1 / pooled + alpha) * (1 + 1 / weeks)
    p = 2 * special.ndtr(-abs(log_rr) / math.sqrt(var_null))
    var_est = (1 / (x + 0.5) + alpha) + (1 / (mean * weeks + 0.5) + alpha / weeks)
    z = special.ndtri(0.5 + confidence / 2)
    half = z * math.sqrt(var_est)
    return VolumeTest(observed=x, baseline_mean=mean, rate_ratio=x / mean,
                      ci_low=math.exp(log_rr - half), ci_high=math.exp(log_rr + half),
                      p_value=float(p), model="negbin", dispersion=alpha)


def tone_test(week: ArrayLike, baseline: ArrayLike, *, min_count: int,
              confidence: float = 0.95) -> ToneTest | None:
    """Welch's test of mean polarity, week against baseline; None if too few to test."""
    a = np.asarray(week, dtype=float)
    b = np.asarray(baseline, dtype=float)
    if len(a) < max(min_count, 2) or len(b) < max(min_count, 2):
        return None
    if a.var(ddof=1) + b.var(ddof=1) == 0:
        return None  # no spread at all: no test is meaningful (and t is undefined)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    # Welch-Satterthwaite degrees of freedom.
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    diff = float(a.mean() - b.mean())
    p = 2 * special.stdtr(df, -abs(diff) / se)
    half = special.stdtrit(df, 0.5 + confidence / 2) * se
    return ToneTest(n_week=len(a), n_baseline=len(b), mean_week=float(a.mean()),
                    mean_baseline=float(b.mean()), difference=diff,
                    ci_low=float(diff - half), ci_high=float(diff + half), p_value=float(p))


def benjamini_hochberg(p_values: Sequence[float], fdr: float) -> tuple[list[bool], list[float]]:
    """Step-up BH: which hypotheses are rejected at ``fdr``, and their adjusted q-values."""
    m = len(p_values)
    if m == 0:
        return [], []
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    # q-values: running minimum from the largest p down, capped at 1.
    q_sorted = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
    q = np.empty(m)
    q[order] = q_sorted
    return [bool(v <= fdr) for v in q], [float(v) for v in q]


def control_fdr(tested: Sequence[Tested], fdr: float) -> list[Tested]:
    """All tests of one week with their q-values and flags (BH across every series)."""
    flags, q = benjamini_hochberg([t.p_value for t in tested], fdr)
    return [replace(t, q_value=qv, flagged=f) for t, qv, f in zip(tested, q, flags, strict=True)]

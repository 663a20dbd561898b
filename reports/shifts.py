"""Statistical tests that decide which weekly changes are shifts worth an analyst's time.

Volume: the week's count against the trailing baseline weeks, each week weighed by its
exposure: how much the outlets behind the series collected that week (``reports.exposure``),
so outlets joining, leaving or falling silent move the expectation, not the test. When the
baseline varies no more than Poisson counts do, the exact conditional test is used (given the
total, the week's share is binomial with p = e_week / (e_week + e_baseline) under "same
rate"), with a Clopper-Pearson interval turned into a rate ratio. News is often bursty; then
a negative binomial model is used: a Wald test on the log rate ratio whose variance carries
the extra spread, with the dispersion shrunk toward the week's pooled estimate
(``reports.dispersion``). Baseline weeks that are events themselves are left out.

Tone: Welch's difference of means of per-article polarity, week against baseline.

Volume tests ask whether the rate moved beyond a band of "no change", not whether it moved at
all: the null hypothesis is "within a factor of the baseline rate", as DESeq2's
``lfcThreshold`` tests fold changes. The factor is ``min_ratio`` (a setting; 1 by default)
times collection's own slack: when the outlets behind a series collected a factor ``c`` more
or less than in the baseline weeks, the adjustment for it is an estimate whose error grows
with its size, and the band widens by ``c ** COLLECTION_SLACK``. With steady collection the
test is the plain one; in weeks of source churn, testing "exactly the adjusted rate" turned
that error into false flags (tests/reports/churn.py: 0.90 of quiet weeks without a flag
instead of 0.95).

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

from reports.dispersion import (
    DISPERSION_P,
    PRIOR_DF,
    outlier_weeks,
    pooled_dispersion,
    shrunk_dispersion,
)

# Exponent of the collection change by which the band of "no change" widens. Set on the churn
# streams of tests/reports/churn.py (200 streams, seeds 131/231; 0.2: 0.945/0.936 quiet weeks,
# 0.3: 0.954/0.948, 0.4: 0.961/0.951 but the planted rise found in 0.87 instead of 0.91).
COLLECTION_SLACK = 0.3

__all__ = [
    "COLLECTION_SLACK",
    "DISPERSION_P",
    "Tested",
    "ToneTest",
    "VolumeTest",
    "benjamini_hochberg",
    "control_fdr",
    "pooled_dispersion",
    "tone_test",
    "volume_test",
]


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
    expected: float = 0.0  # pieces expected this week given what was collected
    exposure: float = 1.0  # collection this week relative to the baseline weeks' mean
    raw_ratio: float = 0.0  # week / baseline mean, before adjusting for collection
    left_out: tuple[int, ...] = ()  # baseline weeks left out as events (indexes)


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
                pooled_dispersion: float = 0.0, exposure: ArrayLike | None = None,
                information: float = 1.0, robust: bool = True, min_ratio: float = 1.0,
                confidence: float = 0.95) -> VolumeTest | None:
    """Test the week's count against the baseline weekly counts; None if too small to test.

    A series is tested when the week or the baseline's weekly mean reaches ``min_count`` and
    the baseline has at least one piece (a series born this week is "new", not a shift).
    ``exposure`` holds the collection of every baseline week and then of this week (any
    scale; None for steady collection). ``pooled_dispersion`` is the NB dispersion shared by
    the week's series; the series' own estimate is shrunk toward it. With ``robust`` baseline
    weeks that are events themselves are left out (``dispersion.outlier_weeks``).
    ``information`` (0 to 1) is the share of the baseline's pieces that inform the week's
    expectation (``exposure.Exposure.information``): the baseline counts as that many pieces.
    ``min_ratio`` (>= 1) is the smallest change worth a flag: the p-value is that of a rate
    ratio beyond [1 / min_ratio, min_ratio] (1: any change), widened by collection's slack.
    """
    if min_ratio < 1:
        raise ValueError("min_ratio is a factor of at least 1")
    base = np.asarray(baseline, dtype=float)
    weeks = len(base)
    if weeks < 2:
        raise ValueError("a baseline needs at least 2 weeks")
    expo = np.ones(weeks + 1) if exposure is None else np.asarray(exposure, dtype=float)
    if len(expo) != weeks + 1:
        raise ValueError("exposure needs one value per baseline week and one for the week")
    raw_mean = float(base.mean())
    if base.sum() <= 0 or max(week_count, raw_mean) < min_count:
        return None
    base_e, week_e = expo[:-1], float(expo[-1])
    if base_e.sum() <= 0:
        return None
    left_out: tuple[int, ...] = ()
    if robust:
        left_out = tuple(outlier_weeks(base, base_e, pooled_dispersion))
        if left_out:
            keep = np.ones(weeks, dtype=bool)
            keep[list(left_out)] = False
            base, base_e = base[keep], base_e[keep]
            if base.sum() <= 0 or base_e.sum() <= 0:
                return None
    scale = float(base_e.mean())
    base_e, week_e = base_e / scale, week_e / scale  # baseline weeks average exposure 1
    alpha, overdispersed = shrunk_dispersion(base, base_e, pooled_dispersion)
    if week_e <= 0:
        # Nothing was collected from the series' outlets: there is nothing to compare.
        return None
    # The band of "no change" widens with the adjustment for collection: the adjustment is an
    # estimate whose error grows with its size (steady collection: no band beyond min_ratio).
    band = min_ratio * math.exp(COLLECTION_SLACK * abs(math.log(week_e)))
    df = len(base) - 1 + PRIOR_DF  # the dispersion's degrees of freedom, prior included
    info = min(max(information, 1e-3), 1.0)
    test = (_negbin(week_count, base, base_e, week_e, alpha, df, info, band, confidence)
            if overdispersed
            else _poisson(week_count, base, base_e, week_e, info, band, confidence))
    rate = float(base.sum() / base_e.sum())
    return replace(test, baseline_mean=raw_mean, expected=rate * week_e, exposure=week_e,
                   raw_ratio=week_count / raw_mean, left_out=left_out)


def _poisson(x: int, base: np.ndarray, base_e: np.ndarray, week_e: float, info: float,
             min_ratio: float, confidence: float) -> VolumeTest:
    # The baseline counts as ``info`` of its pieces and collection (same rate, less weight).
    rate = float(base.sum()) / float(base_e.sum())
    total = x + float(base.sum()) * info
    e_base = float(base_e.sum()) * info
    # The week's expected share at the edges of "same rate": up to min_ratio higher (the
    # upper tail is tested against that) or lower (the lower tail).
    share_up = min_ratio * week_e / (min_ratio * week_e + e_base)
    share_down = week_e / (week_e + min_ratio * e_base)
    # Two-sided by doubling the smaller tail (binomial tails as incomplete beta functions, which
    # take the fractional totals); Clopper-Pearson bounds by the beta quantiles.
    # (scipy.special directly: binomtest's root finding is 50x slower and this runs per series.)
    lower = special.betainc(total - x, x + 1, 1 - share_down) if x < total else 1.0
    upper = special.betainc(x, total - x + 1, share_up) if x > 0 else 1.0
    p = min(1.0, 2 * min(lower, upper))
    tail = (1 - confidence) / 2
    low = special.betaincinv(x, total - x + 1, tail) if x > 0 else 0.0
    high = special.betaincinv(x + 1, total - x, 1 - tail) if x < total else 1.0

    def ratio(share: float) -> float:
        return math.inf if share >= 1 else share / (1 - share) * e_base / week_e

    return VolumeTest(observed=x, baseline_mean=0.0, rate_ratio=x / week_e / rate,
                      ci_low=ratio(float(low)), ci_high=ratio(float(high)),
                      p_value=float(p), model="poisson", dispersion=0.0)


def _negbin(x: int, base: np.ndarray, base_e: np.ndarray, week_e: float, alpha: float,
            df: float, info: float, min_ratio: float, confidence: float) -> VolumeTest:
    e_base = float(base_e.sum())
    # Half-count continuity keeps log finite for an empty week without moving large counts.
    log_rr = math.log((x + 0.5) / week_e) - math.log((float(base.sum()) + 0.5) / e_base)
    # Under "same rate" the week and the baseline share one rate; the variance of
    # log(count) for NB(mu, alpha) is 1/mu + alpha, and the baseline's total averages its
    # weeks' bursts (alpha sum e^2 / (sum e)^2, alpha / B for steady collection).
    rate = (x + float(base.sum())) / (week_e + e_base)
    spread = float((base_e**2).sum()) / e_base**2
    var_null = 1 / (rate * week_e) + alpha + 1 / (rate * e_base * info) + alpha * spread
    # The variance rests on an estimated dispersion: Student's t with the estimate's degrees of
    # freedom (own weeks plus the prior's), as limma moderates its t statistics, not the
    # normal (measured on tests/reports/churn.py: the normal flags one quiet week in four).
    beyond = max(abs(log_rr) - math.log(min_ratio), 0.0)  # distance past the "same" band
    p = min(1.0, 2 * special.stdtr(df, -beyond / math.sqrt(var_null)))
    var_est = (1 / (x + 0.5) + alpha) + (1 / (float(base.sum()) * info + 0.5) + alpha * spread)
    z = special.stdtrit(df, 0.5 + confidence / 2)
    half = z * math.sqrt(var_est)
    return VolumeTest(observed=x, baseline_mean=0.0,
                      rate_ratio=(x / week_e) / (float(base.sum()) / e_base),
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

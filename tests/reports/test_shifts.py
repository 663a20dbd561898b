"""The shift detector on seeded synthetic streams: power, false alarms, small counts.

Reference scenario (``streams.Scenario``): 12 volume series with weekly rates from 3 to 120
and 6 tone series, 8 baseline weeks, min_count 5, FDR 0.1 across all of them. The injected
volume rise hits a series of 40 pieces a week, the tone drop a series of ~40 pieces a week
with per-article polarity spread 0.35. Below that the power falls (measured: a 2x rise at 30 a
week ~0.86, at 15 ~0.5; a 0.3 tone drop at 30 a week ~0.9, at 20 ~0.65), and on bursty
(negative binomial) streams a 2x rise of one series is often within the normal noise.
"""

import numpy as np
import pytest
from scipy import stats

from reports.shifts import (
    benjamini_hochberg,
    pooled_dispersion,
    tone_test,
    volume_test,
)
from tests.reports.streams import Scenario, false_alarm_rate, power

TRIALS = 200
RISE_TARGET = 5  # the series with 40 pieces a week


def test_twofold_volume_rise_is_flagged_in_90_percent_of_trials():
    assert power(11, TRIALS, Scenario(), volume_factor=2.0, target=RISE_TARGET) >= 0.90


def test_tone_drop_of_0_3_is_flagged_in_90_percent_of_trials():
    assert power(12, TRIALS, Scenario(), tone_shift=-0.3, target=3) >= 0.90


@pytest.mark.parametrize("alpha", [0.0, 0.15])
def test_streams_without_shifts_flag_at_most_5_percent_of_series_weeks(alpha):
    # Poisson streams and bursty (negative binomial) ones alike.
    assert false_alarm_rate(13, TRIALS, Scenario(nb_alpha=alpha)) <= 0.05


def test_a_drop_is_flagged_too():
    assert power(14, TRIALS, Scenario(), volume_factor=0.35, target=7) >= 0.90


def test_small_counts_never_alarm():
    # 1 a week rising to 4, or 3 falling to 0: large ratios, too few pieces to test.
    assert volume_test(4, [1, 0, 1, 2, 1, 1, 0, 1], min_count=5) is None
    assert volume_test(0, [3, 2, 4, 3, 3, 2, 4, 3], min_count=5) is None
    assert tone_test([-0.9] * 4, [0.5, 0.4, 0.6] * 10, min_count=5) is None
    # A series born this week is "new", never a shift (there is no rate to compare).
    assert volume_test(25, [0] * 8, min_count=5) is None
    rng = np.random.default_rng(15)
    for _ in range(300):
        rate = rng.uniform(0.2, 2.0)
        counts = rng.poisson(rate, 9)
        counts[-1] = rng.integers(0, 5)
        assert volume_test(int(counts[-1]), counts[:-1], min_count=5) is None


def test_poisson_interval_and_p_value():
    t = volume_test(30, [10] * 8, min_count=5)
    assert t is not None and t.model == "poisson"
    assert t.rate_ratio == pytest.approx(3.0)
    assert 1.5 < t.ci_low < 3.0 < t.ci_high < 6.0
    assert t.p_value < 1e-4
    same = volume_test(10, [10] * 8, min_count=5)
    assert same is not None and same.p_value > 0.5 and same.ci_low < 1 < same.ci_high


def test_overdispersed_baseline_uses_negative_binomial():
    bursty = [5, 40, 8, 60, 12, 3, 50, 10]
    t = volume_test(60, bursty, min_count=5)
    assert t is not None and t.model == "negbin" and t.dispersion > 0.3
    # The same ratio on a steady baseline is far more significant.
    steady = volume_test(60, [24] * 8, min_count=5)
    assert steady is not None and steady.p_value < t.p_value
    assert pooled_dispersion([[10] * 8, [20] * 8]) == 0.0
    assert pooled_dispersion([bursty, bursty]) > 0.3


def test_welch_interval():
    rng = np.random.default_rng(16)
    t = tone_test(rng.normal(-0.2, 0.3, 40), rng.normal(0.1, 0.3, 300), min_count=5)
    assert t is not None
    assert t.ci_low < t.difference < t.ci_high < 0
    ref = stats.ttest_ind(t_week := rng.normal(0, 0.3, 25), t_base := rng.normal(0.2, 0.4, 90),
                          equal_var=False)
    mine = tone_test(t_week, t_base, min_count=5)
    assert mine is not None
    assert mine.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    ci = ref.confidence_interval(0.95)
    assert (mine.ci_low, mine.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)


def test_benjamini_hochberg_matches_the_textbook_example():
    p = [0.01, 0.04, 0.03, 0.005, 0.2]
    flags, q = benjamini_hochberg(p, 0.05)
    assert flags == [True, True, True, True, False]
    assert q[3] == pytest.approx(0.025) and q[4] == pytest.approx(0.2)
    assert benjamini_hochberg([], 0.1) == ([], [])


def test_dispersion_is_shrunk_toward_the_weeks_pooled_estimate():
    from reports.dispersion import PRIOR_DF, own_dispersion, shrunk_dispersion

    ones = np.ones(8)
    calm = np.array([40, 41, 39, 40, 42, 38, 40, 40], dtype=float)
    alpha, negbin = shrunk_dispersion(calm, ones, pooled=0.05)
    # A calm baseline borrows the week's burstiness: 10 prior weeks against its own 7.
    assert negbin and alpha == pytest.approx(PRIOR_DF * 0.05 / (7 + PRIOR_DF))
    bursty = np.array([5, 40, 8, 60, 12, 3, 50, 10], dtype=float)
    own, _ = own_dispersion(bursty, ones)
    assert 0.05 < shrunk_dispersion(bursty, ones, pooled=0.05)[0] < own
    assert shrunk_dispersion(calm, ones, pooled=0.0) == (0.0, False)  # Poisson stays Poisson


def test_collection_moves_the_expectation_not_the_test():
    # Collection halves in the week: 20 pieces are what 40 a week were before.
    steady = volume_test(20, [40] * 8, min_count=5)
    halved = volume_test(20, [40] * 8, min_count=5, exposure=[1] * 8 + [0.5])
    assert steady is not None and steady.p_value < 0.01
    assert halved is not None and halved.p_value > 0.5
    assert halved.expected == pytest.approx(20) and halved.raw_ratio == pytest.approx(0.5)
    assert volume_test(0, [40] * 8, min_count=5, exposure=[1] * 8 + [0]) is None


def test_the_band_of_no_change_widens_only_with_collection():
    from reports.shifts import COLLECTION_SLACK

    # Steady collection: the plain test (the band is min_ratio, 1 by default).
    plain = volume_test(60, [40] * 8, min_count=5)
    assert plain is not None and plain.p_value < 0.01
    assert volume_test(60, [40] * 8, min_count=5, min_ratio=1.5).p_value == 1.0
    wide, narrow = (volume_test(90, [40] * 8, min_count=5, min_ratio=r) for r in (1.5, 1.0))
    assert narrow.p_value < wide.p_value < 0.01  # 2.25x is beyond 1.5x, by less than 1x
    # Collection tripled: 135 pieces against 120 expected is inside the band 3 ** 0.3 = 1.39
    # (adjusting by a factor of three is itself uncertain), 300 is far outside it.
    assert pytest.approx(1.39, abs=0.01) == 3 ** COLLECTION_SLACK
    tripled = [1] * 8 + [3]
    assert volume_test(135, [40] * 8, min_count=5, exposure=tripled).p_value == 1.0
    assert volume_test(300, [40] * 8, min_count=5, exposure=tripled).p_value < 1e-6
    # The same holds for falls, and in the negative binomial branch.
    assert volume_test(110, [40] * 8, min_count=5, exposure=tripled).p_value == 1.0
    bursty = [30, 52, 41, 28, 55, 36, 47, 31]
    nb = volume_test(135, bursty, min_count=5, exposure=tripled)
    assert nb is not None and nb.model == "negbin" and nb.p_value == 1.0
    with pytest.raises(ValueError):
        volume_test(60, [40] * 8, min_count=5, min_ratio=0.9)


def test_an_event_week_is_left_out_of_the_baseline():
    t = volume_test(80, [40, 38, 200, 41, 39, 42, 40, 37], min_count=5)
    assert t is not None and t.left_out == (2,)
    assert t.rate_ratio == pytest.approx(80 / (277 / 7))

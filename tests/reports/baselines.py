"""The week after an event: three ways to keep an event week from swallowing the baseline.

Streams as in ``streams.Scenario`` (12 volume series, 8 baseline weeks, BH at FDR 0.1 across
them) with one more week: an event multiplies series ``TARGET`` by ``EVENT`` in week 9 (the
brief flags it), and week 10 is tested against a baseline that contains week 9. Either the
coverage is back to normal (any flag on the series is a false alarm) or it stays doubled
(the rise should still be found). Three baselines:

- ``naive``: the last 8 weeks as they are;
- ``flagged``: weeks the brief flagged for the series are left out (the baseline reaches
  back a week further), the rule "weeks already flagged are kept out of later baselines";
- ``robust``: the shipped rule, weeks that are outliers against the rest of their own
  baseline are left out (``reports.dispersion.outlier_weeks``), no history needed.
"""

from __future__ import annotations

import numpy as np

from reports.shifts import Tested, control_fdr, pooled_dispersion, volume_test
from tests.reports.streams import Scenario, _counts

TARGET = 5  # 40 pieces a week
EVENT = 5.0


def _week(streams: list[np.ndarray], last: int, sc: Scenario, *, robust: bool,
          skip: dict[int, set[int]] | None = None) -> list[Tested]:
    """Test week ``last`` of every series against its baseline of sc.baseline_weeks weeks."""
    bases = []
    for i, counts in enumerate(streams):
        weeks = [w for w in range(last - 1, -1, -1) if w not in (skip or {}).get(i, set())]
        bases.append(counts[sorted(weeks[:sc.baseline_weeks])])
    alpha = pooled_dispersion(bases, robust=robust)
    tested = []
    for i, (counts, base) in enumerate(zip(streams, bases, strict=True)):
        t = volume_test(int(counts[last]), base, min_count=sc.min_count,
                        pooled_dispersion=alpha, robust=robust)
        if t is not None:
            tested.append(Tested(metric="volume", kind="synthetic", key=str(i), test=t))
    return control_fdr(tested, sc.fdr)


def after_event(seed: int, trials: int, *, rule: str, after: float,
                sc: Scenario | None = None) -> tuple[float, float]:
    """(share of trials with the target flagged in the week after, false flags per other
    series-week). ``after`` is the target's rate factor in that week (1: back to normal)."""
    sc = sc or Scenario()
    rng = np.random.default_rng(seed)
    target_flags = others = others_n = 0
    b = sc.baseline_weeks
    for _ in range(trials):
        streams = [_counts(rng, rate, b + 3, sc.nb_alpha) for rate in sc.volume_rates]
        rate = sc.volume_rates[TARGET]
        streams[TARGET][b + 1] = _counts(rng, rate * EVENT, 1, sc.nb_alpha)[0]
        streams[TARGET][b + 2] = _counts(rng, rate * after, 1, sc.nb_alpha)[0]
        skip: dict[int, set[int]] = {}
        if rule == "flagged":
            event = _week(streams, b + 1, sc, robust=False)
            skip = {int(t.key): {b + 1} for t in event if t.flagged}
        result = _week(streams, b + 2, sc, robust=(rule == "robust"), skip=skip)
        flagged = {int(t.key) for t in result if t.flagged}
        target_flags += TARGET in flagged
        others += len(flagged - {TARGET})
        others_n += len(streams) - 1
    return target_flags / trials, others / others_n

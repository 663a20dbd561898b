"""Volume tests that survive source churn (tests/reports/churn.py streams).

Twelve weeks in which outlets join (collection grows several-fold), leave, fall silent or
deliver a third of their items, and the news does not change. Raw counts (the tests before
collection was accounted for) flag a shift in about four weeks of five; weighed by what the
outlets collected, the brief stays quiet about as often as Benjamini-Hochberg at FDR 0.1
allows with ~40 tests a week once the band of "no change" widens with the collection change
(reports.shifts.COLLECTION_SLACK), and a doubling of one subject's coverage planted on top is
still found.
"""

import pytest

from reports.exposure import collection_change
from tests.reports.churn import BASELINE, WEEKS, quiet_weeks, rise_found, stream, table_for

STREAMS = 60


@pytest.mark.slow
def test_churn_alone_raises_no_volume_shift():
    # Measured 0.97 here (0.954 and 0.948 on 200 streams of two other seeds); 0.90 before the
    # band of "no change" widened with the collection change (reports.shifts).
    assert quiet_weeks(31, STREAMS) >= 0.95
    # The same streams tested on raw counts: collection growth reads as news.
    assert quiet_weeks(31, STREAMS, adjust=False) <= 0.4


@pytest.mark.slow
def test_a_planted_rise_is_still_found_through_churn():
    # Measured 0.93 here (0.91 and 0.905 on 200 streams of two other seeds).
    assert rise_found(32, STREAMS) >= 0.90


def test_the_brief_says_when_collection_changed():
    import numpy as np

    rng = np.random.default_rng(33)
    outs, act, counts = stream(rng)
    changes = [collection_change(table_for(outs, counts, last))
               for last in range(BASELINE, WEEKS)]
    for last, change in zip(range(BASELINE, WEEKS), changes, strict=True):
        now, before = act[:, last] > 0, (act[:, last - BASELINE:last] > 0).any(axis=1)
        assert sorted(change.silent) == sorted(o.id for o, n, b in zip(outs, now, before,
                                                                       strict=True) if b and not n)
        assert sorted(change.new) == sorted(o.id for o, n, b in zip(outs, now, before,
                                                                    strict=True) if n and not b)
    assert any(c.changed for c in changes)

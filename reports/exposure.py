"""How much was collected behind each series, week by week: the offset of the volume tests.

In live use feeds break, channels are added and outlets fall silent every week; a raw count
then moves with collection, not with the news. Every series is therefore tested against the
pieces expected from what its outlets collected that week (indirect standardisation, one
stratum per outlet):

    expected_w = sum over outlets o of  rate_o x other_o,w

``other_o,w`` is what outlet o collected in week w apart from relevant pieces and copies (so
a real rise of one subject raises neither its own expectation nor that of the others), plus
one for every week the outlet collected anything at all (an outlet that only ever publishes
on the subject still counts as present); ``rate_o`` is the outlet's pieces per such article over the baseline
weeks, with ``PRIOR_ARTICLES`` of the rate of all the series' outlets added (one with a
baseline keeps its own rate, also a zero one: eight weeks without a piece on a subject say
the outlet does not cover it). Outlets new this week are not tested (``series_exposure``). Weights are rescaled so that the baseline weeks
average 1: with steady collection every week weighs 1 and the test is the raw count test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from reports.series import Series, WeeklyTable

PRIOR_ARTICLES = 1.0
# Collection this week outside this band of the baseline is said in the brief.
NOTE_BELOW, NOTE_ABOVE = 0.8, 1.25


def _effort(table: WeeklyTable, s: Series) -> dict[str, np.ndarray]:
    """outlet -> collection effort per week of the outlets in the series' scope."""
    other: dict[str, np.ndarray] = {}
    present: dict[str, np.ndarray] = {}
    zero = np.zeros(table.n_weeks)
    for (outlet, lang), counts in table.collected.items():
        if s.kind == "lang" and lang != s.key:
            continue
        if s.kind == "outlet" and outlet != s.key:
            continue
        if s.kind == "group" and table.groups.get(outlet, "unknown") != s.key:
            continue
        rest = np.maximum(counts - table.relevant.get((outlet, lang), zero), 0)
        other[outlet] = other.get(outlet, zero) + rest
        present[outlet] = present.get(outlet, zero) + counts
    return {o: x + (present[o] > 0) for o, x in other.items()}


@dataclass(frozen=True, kw_only=True)
class Exposure:
    weights: np.ndarray  # expected pieces per week (baseline weeks then the week), any scale
    untested: int  # pieces this week from outlets that collected nothing in the baseline
    # Share of the baseline's pieces that inform this week's expectation: 1 when the week's
    # collection is spread over the outlets as in the baseline; less when it leans on outlets
    # with a short or thin baseline (their rates are known less well).
    information: float = 1.0


def series_exposure(table: WeeklyTable, s: Series) -> Exposure:
    """What the series' outlets collected, week by week, in expected pieces.

    Outlets that collected nothing in the baseline weeks are left out of the test, pieces and
    collection alike: how much a new channel writes on a subject cannot be known from the
    others (measured: giving it the others' rate turns every joining channel into a shift).
    Their pieces are still in the raw figures and in the collection note.
    """
    n = table.n_weeks
    zero = np.zeros(n)
    effort = _effort(table, s)
    other = {o: x for o, x in effort.items() if x[:-1].sum() > 0}
    untested = int(sum(s.outlet_pieces.get(o, zero)[-1] for o in effort if o not in other))
    if not other:
        return Exposure(weights=np.ones(n), untested=untested)
    base_pieces = {o: float(s.outlet_pieces.get(o, zero)[:-1].sum()) for o in other}
    base_other = {o: float(x[:-1].sum()) for o, x in other.items()}
    common = sum(base_pieces.values()) / sum(base_other.values())
    expo = np.zeros(n)
    for o, x in other.items():
        rate = (base_pieces[o] + PRIOR_ARTICLES * common) / (base_other[o] + PRIOR_ARTICLES)
        expo += rate * x
    # Effective baseline pieces of the week's expectation sum_o w_o S_o, with w_o the week's
    # collection of outlet o over its baseline collection: (sum w S)^2 / sum w^2 S.
    grow = {o: float(x[-1]) / base_other[o] for o, x in other.items()}
    first = sum(grow[o] * base_pieces[o] for o in other)
    second = sum(grow[o] ** 2 * base_pieces[o] for o in other)
    total = sum(base_pieces.values())
    info = first**2 / second / total if second > 0 and total > 0 else 1.0
    return Exposure(weights=expo, untested=untested, information=min(info, 1.0))


@dataclass(frozen=True, kw_only=True)
class CollectionChange:
    """What changed in collection this week, for the brief's note."""

    factor: float | None  # articles collected this week / baseline weekly mean
    silent: list[str] = field(default_factory=list)  # outlets with a baseline, none this week
    new: list[str] = field(default_factory=list)  # outlets with nothing in the baseline

    @property
    def changed(self) -> bool:
        return bool(self.silent or self.new or (
            self.factor is not None and not NOTE_BELOW <= self.factor <= NOTE_ABOVE))


def collection_change(table: WeeklyTable) -> CollectionChange:
    per_outlet: dict[str, np.ndarray] = {}
    for (outlet, _), counts in table.collected.items():
        per_outlet[outlet] = per_outlet.get(outlet, 0) + counts
    if not per_outlet:
        return CollectionChange(factor=None)
    total = np.sum(np.stack(list(per_outlet.values())), axis=0)
    base_mean = float(total[:-1].mean())
    silent = sorted(o for o, c in per_outlet.items() if c[:-1].sum() > 0 and c[-1] == 0)
    new = sorted(o for o, c in per_outlet.items() if c[:-1].sum() == 0 and c[-1] > 0)
    return CollectionChange(factor=float(total[-1]) / base_mean if base_mean > 0 else None,
                            silent=silent, new=new)

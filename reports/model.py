"""What a digest contains: plain dataclasses, rendered by the templates, stored as JSON.

Everything here is display-ready (labels resolved, times local) and JSON-serialisable via
``to_summary`` so that ``Digest.summary`` keeps the numbers that were shown.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, kw_only=True)
class VolumeRow:
    kind: str
    key: str
    label: str
    pieces: int  # this week, once per story
    copies: int  # this week, other copies (reach)
    baseline_mean: float  # pieces per baseline week
    change: float | None  # pieces / baseline mean - 1; None without a baseline
    flagged: bool = False
    # pieces expected given what the outlets collected this week, and the change against it
    expected: float | None = None
    adjusted_change: float | None = None


@dataclass(frozen=True, kw_only=True)
class ToneRow:
    kind: str
    key: str
    label: str
    n: int
    polarity: float | None
    baseline_polarity: float | None
    alarm: float | None
    baseline_alarm: float | None
    flagged: bool = False

    @property
    def polarity_change(self) -> float | None:
        if self.polarity is None or self.baseline_polarity is None:
            return None
        return self.polarity - self.baseline_polarity

    @property
    def alarm_change(self) -> float | None:
        if self.alarm is None or self.baseline_alarm is None:
            return None
        return self.alarm - self.baseline_alarm


@dataclass(frozen=True, kw_only=True)
class ArticleRef:
    title: str
    url: str
    outlet: str
    lang: str
    published: str  # local date and time
    sentence: str  # the evidence sentence, as written
    tone: float
    copies: int  # other copies of the story this week
    carried_by: list[str] = field(default_factory=list)  # outlets of the story's other copies
    story: int = 0  # the story (near-duplicate cluster) it belongs to


@dataclass(frozen=True, kw_only=True)
class OutletShare:
    outlet: str
    week: int
    baseline_mean: float | None = None  # volume shifts
    tone: float | None = None  # tone (alarm) shifts: the outlet's mean tone (alarm) in the series


@dataclass(frozen=True, kw_only=True)
class SameShift:
    """Another series that moved with a listed shift over the same stories (the partner
    Türkiye beside the topic Turkey): shown on the shift's line, not as a shift of its own."""

    kind: str
    key: str
    label: str
    estimate: float
    q_value: float
    raw_estimate: float | None = None


@dataclass(frozen=True, kw_only=True)
class Shift:
    metric: str  # volume | tone
    kind: str
    key: str
    label: str
    direction: str  # up | down
    estimate: float  # rate ratio (volume) or difference of mean polarity (tone)
    ci_low: float
    ci_high: float
    week_value: float  # pieces, or mean polarity
    baseline_value: float  # pieces per week, or mean polarity
    p_value: float
    q_value: float
    model: str  # poisson | negbin | welch
    raw_estimate: float | None = None  # volume: week / baseline mean before collection
    expected: float | None = None  # volume: pieces expected from what was collected
    articles: list[ArticleRef] = field(default_factory=list)
    outlets: list[OutletShare] = field(default_factory=list)
    also: list[SameShift] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One thing that happened: the flagged shifts (facets) that rest on mostly the same
    stories, read together, with each story listed once."""

    number: int
    kind: str  # event | all (the line on all relevant coverage)
    title: str  # the subjects and what moved, e.g. "Turkey: coverage rose"
    sentence: str  # the plain sentence of the summary at the top
    facets: list[Shift]  # every flagged shift it passed, strongest first (no articles)
    stories: list[ArticleRef] = field(default_factory=list)  # each story once, copies folded
    story_count: int = 0  # stories of the week behind the entry (listed or not)
    outlet_count: int = 0  # outlets that carried them, copies included
    unlisted: int = 0  # stories of the entry that the list does not show
    outlets: list[OutletShare] = field(default_factory=list)  # of the leading facet

    @property
    def lead(self) -> Shift:
        return self.facets[0]


@dataclass(frozen=True, kw_only=True)
class NewItem:
    kind: str  # partner | entity | term
    key: str
    label: str
    pieces: int
    example: ArticleRef | None = None


@dataclass(frozen=True, kw_only=True)
class LangRow:
    kind: str
    key: str
    label: str
    pieces: dict[str, int]  # lang -> pieces this week
    baseline_mean: dict[str, float]  # lang -> pieces per baseline week
    polarity: dict[str, float | None]  # lang -> mean polarity this week


@dataclass(frozen=True, kw_only=True)
class ChartData:
    weeks: list[str]
    pieces: list[int]
    copies: list[int]
    tone: dict[str, list[float | None]]  # partner label -> weekly mean polarity


@dataclass(frozen=True, kw_only=True)
class CollectionNote:
    """How collection itself changed this week (outlets silent or new, volume factor)."""

    factor: float | None  # articles collected / baseline weekly mean
    silent: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    changed: bool = False


@dataclass(frozen=True, kw_only=True)
class HealthRow:
    outlet: str
    group: str
    issue: str
    detail: str


@dataclass(frozen=True, kw_only=True)
class DigestData:
    week: str
    period_start: datetime  # UTC
    period_end: datetime  # UTC, exclusive
    first_day: date  # local
    last_day: date  # local
    timezone: str
    profile_version: str
    baseline_weeks: list[str]
    language: str
    min_count: int
    fdr: float
    total: VolumeRow
    volume: dict[str, list[VolumeRow]]  # kind -> rows (topic, partner, lang, group, outlet)
    tone: dict[str, list[ToneRow]]  # kind -> rows (all, partner, topic)
    shifts: list[Shift]  # every flagged shift, strongest first (the dashboard marks them)
    tests_run: int
    new: list[NewItem]
    languages: list[LangRow]
    health: list[HealthRow]
    crawl_runs: int
    failed_runs: int
    outcomes: dict[str, int]
    charts: ChartData
    collection: CollectionNote | None = None
    entries: list[Entry] = field(default_factory=list)  # the shifts as a reader meets them
    summary: list[int] = field(default_factory=list)  # entries whose sentence opens the brief

    def to_summary(self) -> dict[str, Any]:
        return _plain(dataclasses.asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN/inf; an unbounded CI shows as open
    return value

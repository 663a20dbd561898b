"""What stands behind the numbers: the articles and outlets that drove each flagged shift,
and what is new this week (partners, entities and terms the baseline never saw).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from pipeline.nlp.names import is_name_like, term_key
from reports.articles import WeekArticle, baseline_terms, new_entities
from reports.evidence import sentence_for
from reports.labels import Labels
from reports.model import ArticleRef, NewItem, OutletShare, Shift
from reports.series import WeeklyTable, outlet_breakdown
from reports.shifts import Tested, VolumeTest

MAX_ARTICLES = 5  # driving articles listed per shift
MAX_OUTLETS = 6  # outlets listed per shift
MAX_NEW = 12  # new items per kind
MIN_NEW_PIECES = 2  # stories needed before a new entity or term is worth a line


@dataclass(kw_only=True)
class Context:
    engine: Engine
    table: WeeklyTable
    profile_version: str
    labels: Labels
    tz: ZoneInfo
    articles: list[WeekArticle]

    def __post_init__(self) -> None:
        self._copies: dict[int, list[WeekArticle]] = defaultdict(list)
        for a in self.articles:
            self._copies[a.story].append(a)

    def story_copies(self, a: WeekArticle) -> list[WeekArticle]:
        return self._copies.get(a.story, [a])

    def ref(self, a: WeekArticle, tone: float, *, metric: str = "volume",
            direction: str = "up") -> ArticleRef:
        copies = self.story_copies(a)
        own = self.labels.name("outlet", a.outlet_id)
        outlets = list(dict.fromkeys(name for c in copies if c.id != a.id
                                     if (name := self.labels.name("outlet", c.outlet_id)) != own))
        sentence = sentence_for(a.title, a.evidence.get("sentences") or [], a.lang,
                                metric=metric, direction=direction)
        return ArticleRef(
            title=a.title, url=a.url, outlet=own, lang=a.lang,
            published=_local(a.published_at, self.tz), sentence=sentence, tone=tone,
            copies=len(copies) - 1, carried_by=outlets, story=a.story)


def _local(ts: datetime, tz: ZoneInfo) -> str:
    return ts.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def in_series(a: WeekArticle, kind: str, key: str, groups: dict[str, str]) -> bool:
    """Whether an article counts in series (kind, key), by the aggregates' rules."""
    if kind == "all":
        return True
    if kind == "topic":
        return key in a.topics
    if kind == "partner":
        return key in a.partners
    if kind == "lang":
        return a.lang == key
    if kind == "group":
        return groups.get(a.outlet_id) == key
    return kind == "outlet" and a.outlet_id == key


def _tone_of(a: WeekArticle, kind: str, key: str) -> float:
    return a.partners[key] if kind == "partner" else a.polarity


def value_of(a: WeekArticle, metric: str, kind: str, key: str) -> float:
    """What a tone or alarm test averaged for this article (alarm is per article)."""
    return a.alarm if metric == "alarm" else _tone_of(a, kind, key)


def shift(ctx: Context, t: Tested) -> Shift:
    members = [a for a in ctx.articles if in_series(a, t.kind, t.key, ctx.table.groups)]
    stories = [a for a in members if a.first_copy]
    label = ctx.labels.name(t.kind, t.key)
    if isinstance(t.test, VolumeTest):
        v = t.test
        # A rise is driven by the stories that spread most; for a drop the articles that
        # remain explain little, so the outlets that fell silent carry the explanation.
        stories.sort(key=lambda a: (-len(ctx.story_copies(a)), a.published_at))
        chosen = stories[:MAX_ARTICLES] if t.direction == "up" else []
        breakdown = outlet_breakdown(ctx.table, ctx.engine, profile_version=ctx.profile_version,
                                     kind=t.kind, key=t.key)
        sign = -1 if t.direction == "up" else 1
        ranked = sorted(breakdown.items(), key=lambda kv: (sign * (kv[1][0] - kv[1][1]), kv[0]))
        outlets = [OutletShare(outlet=ctx.labels.name("outlet", o), week=w, baseline_mean=b)
                   for o, (w, b) in ranked[:MAX_OUTLETS] if w or b]
        return Shift(metric="volume", kind=t.kind, key=t.key, label=label,
                     direction=t.direction, estimate=v.rate_ratio, ci_low=v.ci_low,
                     ci_high=v.ci_high, week_value=v.observed, baseline_value=v.baseline_mean,
                     p_value=v.p_value, q_value=t.q_value, model=v.model,
                     raw_estimate=v.raw_ratio, expected=v.expected,
                     articles=[ctx.ref(a, _tone_of(a, t.kind, t.key)) for a in chosen],
                     outlets=outlets)
    tt = t.test
    sign = 1 if t.direction == "up" else -1
    stories.sort(key=lambda a: (-sign * value_of(a, t.metric, t.kind, t.key), a.published_at))
    by_outlet: dict[str, list[float]] = defaultdict(list)
    for a in stories:
        by_outlet[a.outlet_id].append(value_of(a, t.metric, t.kind, t.key))
    ranked_outlets = sorted(by_outlet.items(),
                            key=lambda kv: (-sign * sum(kv[1]) / len(kv[1]), -len(kv[1])))
    return Shift(metric=t.metric, kind=t.kind, key=t.key, label=label, direction=t.direction,
                 estimate=tt.difference, ci_low=tt.ci_low, ci_high=tt.ci_high,
                 week_value=tt.mean_week, baseline_value=tt.mean_baseline, p_value=tt.p_value,
                 q_value=t.q_value, model="welch",
                 articles=[ctx.ref(a, _tone_of(a, t.kind, t.key), metric=t.metric,
                                   direction=t.direction) for a in stories[:MAX_ARTICLES]],
                 outlets=[OutletShare(outlet=ctx.labels.name("outlet", o), week=len(v),
                                      tone=sum(v) / len(v))
                          for o, v in ranked_outlets[:MAX_OUTLETS]])


def whats_new(ctx: Context, *, baseline_start: datetime, baseline_end: datetime,
              baseline_ids: list[int]) -> list[NewItem]:
    """Partners, entities and evidence terms present this week and absent from the baseline."""
    stories = {a.id: a for a in ctx.articles if a.first_copy}
    items: list[NewItem] = []

    # A partner is news from its first mention: one story is enough.
    for s in ctx.table.of_kind("partner"):
        if s.week_pieces > 0 and s.baseline_pieces.sum() == 0:
            example = next((a for a in stories.values() if s.key in a.partners), None)
            items.append(NewItem(kind="partner", key=s.key, label=ctx.labels.name("partner", s.key),
                                 pieces=s.week_pieces,
                                 example=ctx.ref(example, example.partners[s.key])
                                 if example else None))

    entities = new_entities(ctx.engine, profile_version=ctx.profile_version,
                            week_ids=list(stories), baseline_ids=baseline_ids)
    entities = [e for e in entities if len(e.article_ids) >= MIN_NEW_PIECES]
    entities.sort(key=lambda e: (-len(e.article_ids), e.key))
    for e in entities[:MAX_NEW]:
        example = stories[e.article_ids[0]]
        items.append(NewItem(kind="entity", key=e.key, label=f"{e.text} ({e.type})",
                             pieces=len(e.article_ids), example=ctx.ref(example, example.polarity)))

    known = baseline_terms(ctx.engine, profile_version=ctx.profile_version,
                           start=baseline_start, end=baseline_end)
    term_stories: dict[str, dict[int, WeekArticle]] = defaultdict(dict)
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for a in stories.values():
        # One key per term whatever its word form; single common words are not news.
        for term in dict.fromkeys(str(t) for t in a.evidence.get("terms", [])):
            if not is_name_like(term):
                continue
            key = term_key(term)
            term_stories[key].setdefault(a.id, a)
            surface[key][term] += 1
    fresh = [(k, list(v.values())) for k, v in term_stories.items()
             if k not in known and len(v) >= MIN_NEW_PIECES]
    fresh.sort(key=lambda kv: (-len(kv[1]), kv[0]))
    for key, arts in fresh[:MAX_NEW]:
        items.append(NewItem(kind="term", key=key, label=surface[key].most_common(1)[0][0],
                             pieces=len(arts), example=ctx.ref(arts[0], arts[0].polarity)))
    return items

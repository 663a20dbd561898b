"""Top entities and new entities of the view's period.

Top: entities by the number of stories (first copies, like every count here) of the period
that mention them, under the view's filters. New: entities of those stories that no story of
the digest's baseline before the period mentioned (``reports.articles.new_entities``, the
digest's own rule), so "new" means the same on the page and in the brief. When no story
precedes the period (the range starts where the data starts) nothing can be called new, and
the page says so instead of repeating the top list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from pipeline.store.db import id_chunks
from pipeline.store.models import AnalysisEntity
from reports.articles import new_entities
from reports.dashboard.drill import candidates
from reports.dashboard.params import Filters
from reports.dashboard.vocab import Vocabulary
from reports.drivers import MIN_NEW_PIECES

TOP_N = 25


@dataclass(frozen=True, kw_only=True)
class EntityCount:
    key: str
    type: str
    text: str  # the most frequent surface form
    stories: int


@dataclass(frozen=True, kw_only=True)
class Entities:
    top: list[EntityCount]
    new: list[EntityCount]
    baseline_weeks: int
    earlier: bool = True  # some story precedes the period: "new" means something
    earlier_from: date | None = None  # the data begins inside the baseline, on this day


def load_entities(engine: Engine, f: Filters, vocab: Vocabulary, profile_version: str,
                  tz: ZoneInfo, *, baseline_weeks: int) -> Entities:
    with engine.connect() as conn:
        stories = [c.id for c in candidates(conn, f, vocab, profile_version, tz,
                                            first_copies_only=True)]
        # The baseline is all coverage before the period, unfiltered: "new" is new to the
        # whole monitor, not to the slice on screen.
        base_filters = Filters(start=f.start - timedelta(weeks=baseline_weeks),
                               end=f.start - timedelta(days=1), grain="day")
        baseline = [c.id for c in candidates(conn, base_filters, vocab, profile_version, tz,
                                             first_copies_only=True)]
        ids: dict[str, set[int]] = defaultdict(set)
        texts: dict[str, Counter[str]] = defaultdict(Counter)
        types: dict[str, str] = {}
        for chunk in id_chunks(stories):
            for aid, key, etype, text in conn.execute(
                    select(AnalysisEntity.article_id, AnalysisEntity.entity_key,
                           AnalysisEntity.type, AnalysisEntity.text)
                    .where(AnalysisEntity.profile_version == profile_version,
                           AnalysisEntity.article_id.in_(chunk))):
                ids[key].add(aid)
                texts[key][text] += 1
                types[key] = etype
    top = [EntityCount(key=k, type=types[k], text=texts[k].most_common(1)[0][0],
                       stories=len(v)) for k, v in ids.items()]
    top.sort(key=lambda e: (-e.stories, e.key))
    if not baseline:
        return Entities(top=top[:TOP_N], new=[], baseline_weeks=baseline_weeks, earlier=False)
    first = vocab.first_day
    partial = first if first is not None and first > base_filters.start else None
    fresh = new_entities(engine, profile_version=profile_version, week_ids=stories,
                         baseline_ids=baseline)
    new = [EntityCount(key=e.key, type=e.type, text=e.text, stories=len(e.article_ids))
           for e in fresh if len(e.article_ids) >= MIN_NEW_PIECES]
    new.sort(key=lambda e: (-e.stories, e.key))
    return Entities(top=top[:TOP_N], new=new[:TOP_N], baseline_weeks=baseline_weeks,
                    earlier_from=partial)


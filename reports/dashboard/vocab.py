"""What the filters may name, and the display names: outlets from the registry, topics and
partners from the profile and from the aggregates (data analysed under an older profile may
carry keys the current one dropped), and the first and newest days with relevant pieces.

Read once and kept for a few minutes: the lists change only when outlets are registered or
``process`` runs, and every request validates against them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select

from pipeline.store.models import DailyAggregate, Outlet
from reports.labels import Labels, labels_from_profile

TTL_S = 300.0


@dataclass(frozen=True, kw_only=True)
class Vocabulary:
    outlets: dict[str, str]  # id -> name
    groups: dict[str, str]  # outlet id -> outlet group
    topics: dict[str, str]  # id -> label
    partners: dict[str, str]  # id -> label
    latest_day: date  # where a view without 'to' ends: the newest relevant day, or today
    first_day: date | None = None  # the first local day with a relevant piece (None: none)
    newest_day: date | None = None  # the newest local day with a relevant piece
    labels: Labels = field(default_factory=Labels)

    def outlets_of(self, group: str) -> list[str]:
        return sorted(o for o, g in self.groups.items() if g == group)

    def name(self, kind: str, key: str) -> str:
        return self.labels.name(kind, key)


def as_date(value: date | str) -> date:
    # SQLite hands back ISO strings when a date column is read through an aggregate.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_vocabulary(engine: Engine, profile: Any, profile_version: str,
                    tz: ZoneInfo) -> Vocabulary:
    labels = labels_from_profile(profile, "en")
    agg = DailyAggregate
    with engine.connect() as conn:
        outlet_rows = conn.execute(select(Outlet.id, Outlet.name, Outlet.group)
                                   .order_by(Outlet.id)).all()
        keys = conn.execute(select(agg.dimension, agg.key).distinct()
                            .where(agg.profile_version == profile_version,
                                   agg.dimension.in_(("topic", "partner")))).all()
        # Relevant pieces only: undated articles are counted on their crawl day (today),
        # and a view that ended there would open on empty weeks.
        first, newest = conn.execute(
            select(func.min(agg.day), func.max(agg.day))
            .where(agg.profile_version == profile_version, agg.dimension == "all",
                   agg.key == "", agg.pieces > 0)).one()
    topics = dict(labels.topics)
    partners = dict(labels.partners)
    for dimension, key in keys:
        (topics if dimension == "topic" else partners).setdefault(key, key)
    outlets = {oid: name for oid, name, _ in outlet_rows}
    today = datetime.now(UTC).astimezone(tz).date()  # pieces dated later do not move the view
    return Vocabulary(
        outlets=outlets, groups={oid: g for oid, _, g in outlet_rows},
        topics=dict(sorted(topics.items(), key=lambda kv: kv[1].lower())),
        partners=dict(sorted(partners.items(), key=lambda kv: kv[1].lower())),
        latest_day=min(as_date(newest), today) if newest else today,
        first_day=as_date(first) if first else None,
        newest_day=as_date(newest) if newest else None,
        labels=labels.with_outlets(outlets))


class VocabularyCache:
    """The vocabulary, reloaded at most every ``ttl`` seconds (thread-safe)."""

    def __init__(self, engine: Engine, profile: Any, profile_version: str, tz: ZoneInfo, *,
                 ttl: float = TTL_S) -> None:
        self._args = (engine, profile, profile_version, tz)
        self._ttl = ttl
        self._lock = threading.Lock()
        self._value: Vocabulary | None = None
        self._at = 0.0

    def get(self) -> Vocabulary:
        with self._lock:
            if self._value is None or time.monotonic() - self._at > self._ttl:
                self._value = load_vocabulary(*self._args)
                self._at = time.monotonic()
            return self._value

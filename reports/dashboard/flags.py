"""The digest's flagged shifts for the weeks of a view, to mark them on the charts.

The flags are the digest's own, never re-derived: for a week whose digest is stored (the
``digests`` table, what analysts received) its summary is read; for a completed week without
one, ``reports.digest.build_digest`` runs the same tests with the same Benjamini-Hochberg
control. Building reads the week's articles (seconds per week on a million articles), so it
never runs inside a request by default: missing weeks are queued for one background thread,
the page shows what is ready and says how many weeks are pending, and results are kept in
memory for a while. Only the most recent weeks of a view are computed; older weeks show
flags only if their digest was stored. ``inline=True`` computes within the request (tests).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select

from pipeline.config import Settings
from pipeline.store.models import Digest
from reports.dashboard.params import Filters
from reports.dashboard.vocab import Vocabulary
from reports.digest import build_digest
from reports.weeks import IsoWeek

log = logging.getLogger(__name__)

MAX_COMPUTED_WEEKS = 12
TTL_S = 900.0


@dataclass(frozen=True, kw_only=True)
class Flag:
    week: str  # e.g. 2025-W24
    monday: date
    metric: str  # volume | tone
    kind: str  # all | topic | partner | lang | group | outlet
    key: str
    label: str
    direction: str  # up | down
    estimate: float | None  # rate ratio (volume) or difference of mean polarity (tone)
    q_value: float | None
    source: str  # digest (stored) | computed


@dataclass(kw_only=True)
class Flags:
    items: list[Flag] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # weeks still being computed


class FlagSource:
    def __init__(self, engine: Engine, settings: Settings, profile_version: str, *,
                 max_computed: int = MAX_COMPUTED_WEEKS, ttl: float = TTL_S,
                 inline: bool = False) -> None:
        self._engine = engine
        self._settings = settings
        self._version = profile_version
        self._max_computed = max_computed
        self._ttl = ttl
        self._inline = inline
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, list[dict[str, Any]]]] = {}
        self._queued: set[str] = set()
        self._queue: queue.Queue[tuple[IsoWeek, Vocabulary]] = queue.Queue()
        self._worker: threading.Thread | None = None
        self.generation = 0

    def weeks(self, f: Filters, now: datetime | None = None) -> list[IsoWeek]:
        """Completed ISO weeks inside the view's range."""
        today = (now or datetime.now(UTC)).astimezone(self._settings.tz).date()
        out, week = [], IsoWeek.of(f.start)
        while week.sunday <= f.end:
            if week.monday >= f.start and week.sunday < today:
                out.append(week)
            week = week.shift(1)
        return out

    def flags(self, f: Filters, vocab: Vocabulary, now: datetime | None = None) -> Flags:
        weeks = self.weeks(f, now)
        stored = self._stored([str(w) for w in weeks])
        missing = [w for w in weeks if str(w) not in stored][-self._max_computed:]
        out = Flags()
        for week in weeks:
            if str(week) in stored:
                shifts, source = stored[str(week)], "digest"
            elif week in missing:
                found = self._computed(week, vocab)
                if found is None:
                    out.pending.append(str(week))
                    continue
                shifts, source = found, "computed"
            else:
                continue
            # A series folded under another shift in the digest ("also") is flagged on its
            # own chart too.
            for s in [x for sh in shifts
                      for x in (sh, *({**sh, **also} for also in sh.get("also") or ()))]:
                kind, key = str(s.get("kind", "")), str(s.get("key", ""))
                out.items.append(Flag(
                    week=str(week), monday=week.monday, metric=str(s.get("metric", "")),
                    kind=kind, key=key, label=vocab.name(kind, key),
                    direction=str(s.get("direction", "")), estimate=_num(s.get("estimate")),
                    q_value=_num(s.get("q_value")), source=source))
        return out

    def _stored(self, weeks: list[str]) -> dict[str, list[dict[str, Any]]]:
        if not weeks:
            return {}
        with self._engine.connect() as conn:
            rows = conn.execute(select(Digest.week, Digest.summary).where(
                Digest.week.in_(weeks), Digest.profile_version == self._version)).all()
        # A week claimed for delivery but not yet built has an empty summary: not stored.
        return {week: list(summary["shifts"] or []) for week, summary in rows
                if summary and "shifts" in summary}

    def _computed(self, week: IsoWeek, vocab: Vocabulary) -> list[dict[str, Any]] | None:
        """The week's shifts if known; otherwise computed now (inline) or queued (None)."""
        key = str(week)
        with self._lock:
            hit = self._cache.get(key)
            if hit and time.monotonic() - hit[0] < self._ttl:
                return hit[1]
            if not self._inline:
                if key not in self._queued:
                    self._queued.add(key)
                    self._queue.put((week, vocab))
                    if self._worker is None:
                        self._worker = threading.Thread(target=self._work, daemon=True,
                                                        name="steppewatch-flags")
                        self._worker.start()
                # A stale result stays better than none while the new one is computed.
                return hit[1] if hit else None
        return self._build(week, vocab)

    def _work(self) -> None:
        while True:
            week, vocab = self._queue.get()
            try:
                self._build(week, vocab)
            except Exception:  # a failed week must not stop the others; it is retried later
                log.exception("computing the digest's shifts of %s failed", week)
            finally:
                with self._lock:
                    self._queued.discard(str(week))

    def _build(self, week: IsoWeek, vocab: Vocabulary) -> list[dict[str, Any]]:
        key = str(week)
        data = build_digest(self._engine, self._settings, week, profile_version=self._version,
                            labels=vocab.labels)
        shifts = [{"metric": s.metric, "kind": s.kind, "key": s.key, "direction": s.direction,
                   "estimate": s.estimate, "q_value": s.q_value,
                   "also": [{"kind": a.kind, "key": a.key, "estimate": a.estimate,
                             "q_value": a.q_value} for a in s.also]} for s in data.shifts]
        with self._lock:
            self._cache[key] = (time.monotonic(), shifts)
            self.generation += 1  # cached answers that lacked this week are now stale
        return shifts


def _num(value: Any) -> float | None:
    try:
        return None if value is None else round(float(value), 4)
    except (TypeError, ValueError):
        return None

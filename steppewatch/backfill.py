"""Backfill: collect a past period, analyse it, rebuild its aggregates, render its digests.

The period is cut into chunks of days (a week by default). Each chunk is one crawl of every
outlet that still has days to collect in it: sitemaps, date archives and Telegram pagination
reach the past, and the crawler skips URLs it already stored. An outlet-day is checkpointed
only when the outlet's crawl of its chunk fetched everything it listed in its range: no
failure, no paging depth or endpoint limit reached, no request failed for a reason that may
pass (see ``complete``), so that after Ctrl-C, a crash or a flaky site a rerun continues with
what is missing; a rerun over a finished range collects nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from crawlers.registry import OutletSpec
from crawlers.runner import CrawlEvent, CrawlSummary, crawl
from crawlers.runs import RunSummary
from pipeline.aggregates import day_bounds
from pipeline.config import Settings
from pipeline.store.db import session_scope
from pipeline.store.models import BackfillCheckpoint
from pipeline.store.upsert import upsert

log = logging.getLogger(__name__)


class BackfillError(ValueError):
    """The backfill cannot start as asked (bad range, unknown outlet)."""


@dataclass(kw_only=True)
class OutletTally:
    outlet_id: str
    chunks_done: int = 0
    chunks_skipped: int = 0  # already checkpointed by an earlier run
    chunks_failed: int = 0
    new: int = 0
    syndicated: int = 0
    near_duplicate: int = 0
    errors: int = 0


@dataclass(kw_only=True)
class BackfillSummary:
    day_from: date
    day_to: date
    outlets: dict[str, OutletTally] = field(default_factory=dict)
    analysed: int = 0
    relevant: int = 0
    digests: list[tuple[str, str]] = field(default_factory=list)  # (week, status or path)

    @property
    def new_articles(self) -> int:
        return sum(t.new + t.syndicated + t.near_duplicate for t in self.outlets.values())


@dataclass(frozen=True, kw_only=True)
class ChunkEvent:
    """Progress: a chunk started or finished; ``crawl`` carries the crawler's own events."""

    kind: str  # chunk_start | chunk_end | crawl
    chunk: int
    chunks: int
    first: date
    last: date
    outlets: tuple[str, ...] = ()
    crawl: CrawlEvent | None = None


def validate_range(day_from: date, day_to: date, today: date) -> None:
    if day_from > day_to:
        raise BackfillError(f"--from {day_from} is after --to {day_to}")
    if day_to > today:
        raise BackfillError(f"--to {day_to} is in the future (today is {today})")


def chunks(day_from: date, day_to: date, size: int) -> list[tuple[date, date]]:
    out = []
    first = day_from
    while first <= day_to:
        last = min(first + timedelta(days=size - 1), day_to)
        out.append((first, last))
        first = last + timedelta(days=1)
    return out


def done_days(engine: Engine, outlet_ids: Sequence[str], day_from: date,
              day_to: date) -> set[tuple[str, date]]:
    with session_scope(engine) as s:
        rows = s.execute(select(BackfillCheckpoint.outlet_id, BackfillCheckpoint.day).where(
            BackfillCheckpoint.outlet_id.in_(list(outlet_ids)),
            BackfillCheckpoint.day >= day_from, BackfillCheckpoint.day <= day_to)).all()
    return {(o, d) for o, d in rows}


def _checkpoint(engine: Engine, outlet_ids: Sequence[str], first: date, last: date,
                run_key: str) -> None:
    now = datetime.now(UTC)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    rows = [{"outlet_id": o, "day": d, "run_key": run_key, "finished_at": now}
            for o in outlet_ids for d in days]
    with session_scope(engine) as s:
        upsert(s, BackfillCheckpoint, rows, key=["outlet_id", "day"],
               update=["run_key", "finished_at"])


def collect(settings: Settings, engine: Engine, outlets: Sequence[OutletSpec], day_from: date,
            day_to: date, *, chunk_days: int = 7, restart: bool = False,
            progress: Callable[[ChunkEvent], None] | None = None,
            now: datetime | None = None) -> BackfillSummary:
    """Crawl ``outlets`` for local days ``day_from`` .. ``day_to`` chunk by chunk."""
    tz = settings.tz
    now = now or datetime.now(UTC)
    validate_range(day_from, day_to, now.astimezone(tz).date())
    summary = BackfillSummary(day_from=day_from, day_to=day_to,
                              outlets={o.id: OutletTally(outlet_id=o.id) for o in outlets})
    ids = [o.id for o in outlets]
    done = set() if restart else done_days(engine, ids, day_from, day_to)
    plan = chunks(day_from, day_to, chunk_days)
    for n, (first, last) in enumerate(plan, 1):
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        todo = [o for o in outlets if any((o.id, d) not in done for d in days)]
        for o in outlets:
            if o not in todo:
                summary.outlets[o.id].chunks_skipped += 1
        event = ChunkEvent(kind="chunk_start", chunk=n, chunks=len(plan), first=first,
                           last=last, outlets=tuple(o.id for o in todo))
        if progress:
            progress(event)
        if todo:
            since, until = day_bounds(first, last, tz)
            until = min(until - timedelta(microseconds=1), now)
            run_key = f"backfill-{first:%Y%m%d}-{last:%Y%m%d}-{now:%Y%m%dT%H%M%S}"

            def forward(ev: CrawlEvent, _n: int = n, _f: date = first, _l: date = last) -> None:
                if progress:
                    progress(ChunkEvent(kind="crawl", chunk=_n, chunks=len(plan), first=_f,
                                        last=_l, crawl=ev))

            result = crawl(settings, todo, since, until, run_key=run_key, progress=forward)
            ok = _tally(summary, result)
            _checkpoint(engine, ok, first, last, run_key)
        if progress:
            progress(ChunkEvent(kind="chunk_end", chunk=n, chunks=len(plan), first=first,
                                last=last, outlets=tuple(o.id for o in todo)))
    return summary


# Counts saying that a crawl left listed or listable items of its range behind (a paging
# depth or a per-endpoint limit reached, a request that failed for a reason that may pass):
# its days are not checkpointed, a rerun goes on. Permanent refusals (robots.txt, 404) are
# final answers and do not hold a checkpoint back.
INCOMPLETE = ("incomplete/", "skip/sitemap_over_limit", "error/http_5", "error/http_429",
              *(f"error/{kind}" for kind in ("timeout", "truncated_body", "dns",
                                             "connection_refused", "connection_lost",
                                             "no_response", "response_failed", "cancelled")))


def complete(run: RunSummary) -> bool:
    """Did this outlet's crawl of a chunk fetch everything its range listed?"""
    return run.status != "failed" and not any(run.count(p) for p in INCOMPLETE)


def _tally(summary: BackfillSummary, result: CrawlSummary) -> list[str]:
    """Add a chunk's per-outlet counts; return the outlets whose chunk is complete: it did
    not fail and fetched everything it listed in its range."""
    ok = []
    for run in result.outlets:
        t = summary.outlets.setdefault(run.outlet_id, OutletTally(outlet_id=run.outlet_id))
        t.new += run.counts.get("stored/new", 0)
        t.syndicated += run.counts.get("stored/syndicated", 0)
        t.near_duplicate += run.counts.get("stored/near_duplicate", 0)
        t.errors += len(run.errors)
        if not complete(run):
            t.chunks_failed += 1
        else:
            t.chunks_done += 1
            ok.append(run.outlet_id)
    return ok

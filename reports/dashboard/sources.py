"""Source health per outlet from ``crawl_runs``: last successful crawl, last crawl that
stored a new article, the newest item seen, and the status and errors of the latest runs.

A dip in an outlet's line means something only if the outlet was collected; this table is
where an analyst checks that. ``crawl_runs`` is small (one row per outlet and crawl), so the
recent runs are read whole and summarised here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from pipeline.store.models import CrawlRun, Outlet

LATEST_RUNS = 3
MAX_ERRORS = 3
HORIZON = timedelta(days=120)  # older runs say little about the source's health now


@dataclass(frozen=True, kw_only=True)
class RunInfo:
    started_at: datetime
    status: str
    new: int  # articles stored as new by the run
    errors: list[str]


@dataclass(kw_only=True)
class SourceRow:
    outlet_id: str
    name: str
    group: str
    active: bool
    imported: bool = False  # loaded from archives (steppewatch import), never crawled
    last_success: datetime | None = None
    last_new_article: datetime | None = None  # end of the latest run that stored one
    newest_item: datetime | None = None  # newest publication date any run saw
    runs: list[RunInfo] = field(default_factory=list)  # latest first

    @property
    def status(self) -> str:
        if not self.runs:
            return "imported" if self.imported else "not crawled"
        return self.runs[0].status


def is_imported(endpoints: dict[str, Any] | None) -> bool:
    """An outlet created by ``steppewatch import`` (it has no crawl endpoints)."""
    return endpoints is not None and set(endpoints) == {"imported"}


def load_sources(engine: Engine) -> list[SourceRow]:
    with engine.connect() as conn:
        # Relative to the latest run, not the clock: a replayed or restored store reads alike.
        latest = conn.execute(select(func.max(CrawlRun.started_at))).scalar()
        since = (latest or datetime.now(UTC)) - HORIZON
        outlets = conn.execute(select(Outlet.id, Outlet.name, Outlet.group, Outlet.active,
                                      Outlet.endpoints)
                               .order_by(Outlet.group, Outlet.id)).all()
        runs = conn.execute(
            select(CrawlRun.outlet_id, CrawlRun.started_at, CrawlRun.finished_at,
                   CrawlRun.status, CrawlRun.counts, CrawlRun.errors,
                   CrawlRun.newest_published_at)
            .where(CrawlRun.started_at >= since)
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())).all()
    by_outlet: dict[str, list[Any]] = defaultdict(list)
    for run in runs:
        by_outlet[run.outlet_id].append(run)
    out = []
    for oid, name, group, active, endpoints in outlets:
        row = SourceRow(outlet_id=oid, name=name, group=group, active=active,
                        imported=is_imported(endpoints))
        for run in by_outlet.get(oid, []):
            ended = run.finished_at or run.started_at
            new = _new(run.counts)
            if run.status in ("ok", "partial") and row.last_success is None:
                row.last_success = ended
            if new and row.last_new_article is None:
                row.last_new_article = ended
            if run.newest_published_at and (row.newest_item is None
                                            or run.newest_published_at > row.newest_item):
                row.newest_item = run.newest_published_at
            if len(row.runs) < LATEST_RUNS:
                row.runs.append(RunInfo(started_at=run.started_at, status=run.status, new=new,
                                        errors=_errors(run.errors)))
        out.append(row)
    return out


def _new(counts: Any) -> int:
    # The crawler counts every stored article under "stored/<dedup outcome>" (new,
    # syndicated, near_duplicate): each is a new row in articles.
    if not isinstance(counts, dict):
        return 0
    return int(sum(v for k, v in counts.items()
                   if str(k).startswith("stored/") and isinstance(v, int | float)))


def _errors(errors: Any) -> list[str]:
    out = []
    for e in (errors or [])[-MAX_ERRORS:] if isinstance(errors, list) else []:
        if isinstance(e, dict):
            text = " ".join(str(e.get(k, "")) for k in ("kind", "message", "url") if e.get(k))
        else:
            text = str(e)
        out.append(text[:300])
    return out

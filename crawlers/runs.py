"""The ``crawl_runs`` record of one outlet in one run: opened when its spider starts, closed
with the counts by outcome and the errors seen."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select

from pipeline.store.db import session_scope
from pipeline.store.models import CrawlRun
from pipeline.store.upsert import upsert

STAT_PREFIX = "steppewatch/"
RUNNING_STALE = timedelta(days=1)  # far longer than any crawl of one outlet
MAX_ERRORS = 200  # a broken site can fail thousands of times; the first ones tell the story


def open_run(engine: Engine, *, run_key: str, outlet_id: str, since: datetime,
             until: datetime) -> None:
    row = {"run_key": run_key, "outlet_id": outlet_id, "started_at": datetime.now(UTC),
           "since": since, "until": until, "status": "running", "counts": {}, "errors": [],
           "worker": f"{socket.gethostname()}:{os.getpid()}"}
    with session_scope(engine) as session:
        upsert(session, CrawlRun, [row], key=["outlet_id", "run_key"],
               update=["started_at", "since", "until", "status", "worker"])


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def mark_interrupted(engine: Engine, *, now: datetime | None = None) -> int:
    """Close the ``running`` rows whose crawl process is dead (killed, or its machine
    rebooted) as ``interrupted``; returns how many. A process on this host is checked; one
    elsewhere (or unknown) counts as dead once its run is older than ``RUNNING_STALE``."""
    now = now or datetime.now(UTC)
    host = socket.gethostname()
    dead = []
    with session_scope(engine) as session:
        for run in session.scalars(select(CrawlRun).where(CrawlRun.status == "running")):
            where, _, pid = (run.worker or "").rpartition(":")
            if where == host and pid.isdigit():
                gone = not process_alive(int(pid))
            else:
                gone = run.started_at < now - RUNNING_STALE
            if gone:
                run.status = "interrupted"
                run.finished_at = now
                dead.append(run.id)
    return len(dead)


def counts_from_stats(stats: Mapping[str, Any]) -> dict[str, int]:
    return {k.removeprefix(STAT_PREFIX): int(v) for k, v in sorted(stats.items())
            if k.startswith(STAT_PREFIX) and isinstance(v, int)}


def status_of(counts: Mapping[str, int], errors: list[dict[str, Any]], listings_ok: int) -> str:
    if not errors:
        return "ok"
    if listings_ok == 0 and not any(k.startswith("stored/") for k in counts):
        return "failed"
    return "partial"


def close_run(engine: Engine, *, run_key: str, outlet_id: str, counts: dict[str, int],
              errors: list[dict[str, Any]], status: str, newest: datetime | None) -> None:
    with session_scope(engine) as session:
        run = session.execute(select(CrawlRun).where(
            CrawlRun.run_key == run_key, CrawlRun.outlet_id == outlet_id)).scalar_one()
        run.finished_at = datetime.now(UTC)
        run.counts = counts
        run.errors = errors[:MAX_ERRORS]
        run.status = status
        run.newest_published_at = newest


@dataclass(frozen=True, kw_only=True)
class RunSummary:
    outlet_id: str
    status: str
    counts: dict[str, int]
    errors: list[dict[str, Any]]
    newest_published_at: datetime | None

    def count(self, prefix: str) -> int:
        return sum(v for k, v in self.counts.items() if k.startswith(prefix))


def read_runs(engine: Engine, run_key: str) -> list[RunSummary]:
    with engine.connect() as conn:
        rows = conn.execute(select(CrawlRun).where(CrawlRun.run_key == run_key)
                            .order_by(CrawlRun.outlet_id)).all()
    return [RunSummary(outlet_id=r.outlet_id, status=r.status, counts=dict(r.counts or {}),
                       errors=list(r.errors or []), newest_published_at=r.newest_published_at)
            for r in rows]

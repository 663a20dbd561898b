"""Source health of the week: outlets that failed, were not crawled, went silent or stale.

A drop in an outlet's coverage is only news if the outlet was actually collected, so the
digest says which sources were broken during the week, from the crawl runs and from the
aggregates (articles per outlet, and the crawl-dated ones kept out of the trends).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from pipeline.store.models import CrawlRun, Outlet
from reports.series import WeeklyTable

# An outlet is silent when it averaged at least this many articles a week in the baseline
# and has none this week.
SILENT_MIN_WEEKLY = 3.0
# Stale: the newest item its latest crawl of the week saw was older than this when the crawl
# ran (the feed is served but frozen, or the site stopped updating).
STALE_AFTER = timedelta(days=3)


@dataclass(frozen=True, kw_only=True)
class HealthIssue:
    outlet_id: str
    outlet_name: str
    group: str
    issue: str  # failed | not_crawled | imported | silent | stale | garbled | undated
    detail: str  # numbers and the last error, for the analyst (not translated)


@dataclass(kw_only=True)
class SourceHealth:
    issues: list[HealthIssue] = field(default_factory=list)
    runs: int = 0
    failed_runs: int = 0
    outlets_active: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # summed CrawlRun.counts


def source_health(engine: Engine, table: WeeklyTable, *, week_start: datetime,
                  week_end: datetime) -> SourceHealth:
    with engine.connect() as conn:
        outlets = conn.execute(select(Outlet.id, Outlet.name, Outlet.group, Outlet.active,
                                      Outlet.endpoints)).all()
        runs = conn.execute(
            select(CrawlRun.outlet_id, CrawlRun.status, CrawlRun.started_at,
                   CrawlRun.finished_at, CrawlRun.counts, CrawlRun.errors,
                   CrawlRun.newest_published_at)
            .where(CrawlRun.started_at >= week_start, CrawlRun.started_at < week_end)
            .order_by(CrawlRun.started_at)).all()

    by_outlet: dict[str, list] = defaultdict(list)
    outcomes: Counter[str] = Counter()
    for run in runs:
        by_outlet[run.outlet_id].append(run)
        outcomes.update({str(k): int(v) for k, v in (run.counts or {}).items()
                         if isinstance(v, int | float)})
    health = SourceHealth(runs=len(runs), failed_runs=sum(r.status == "failed" for r in runs),
                          outcomes=dict(outcomes.most_common()))
    for outlet_id, name, group, active, endpoints in outlets:
        if not active:
            continue
        health.outlets_active += 1

        def add(issue: str, detail: str, oid: str = outlet_id, n: str = name,
                g: str = group) -> None:
            health.issues.append(HealthIssue(outlet_id=oid, outlet_name=n, group=g,
                                             issue=issue, detail=detail))

        own = by_outlet.get(outlet_id, [])
        failed = [r for r in own if r.status == "failed"]
        if failed:
            last = _last_error(failed[-1].errors)
            add("failed", f"{len(failed)}/{len(own)} runs failed" + (f"; last: {last}" if last else ""))
        imported = endpoints is not None and set(endpoints) == {"imported"}
        if not own and imported:
            # Loaded from archives: no crawl is expected, so none is missing.
            n = int(sum(c[-1] for (o, _), c in table.collected.items() if o == outlet_id))
            add("imported", f"loaded from an archive, not crawled; {n} articles this week")
            continue
        if not own:
            add("not_crawled", "no crawl run this week")
        garbled = [e for r in own for e in (r.errors or [])
                   if isinstance(e, dict) and e.get("kind") == "bad_encoding"]
        if garbled:
            # Decoded to garbage in every encoding tried: nothing of it was stored, which a
            # partial run would otherwise hide.
            add("garbled", f"{len(garbled)} feeds or pages unreadable in any encoding; last: "
                           f"{garbled[-1].get('url', '')}"[:300])
        series = table.series.get(("outlet", outlet_id))
        undated = table.undated.get(outlet_id)
        week_n = (series.articles[-1] if series else 0) + (undated[-1] if undated is not None else 0)
        base_n = ((series.articles[:-1].sum() if series else 0)
                  + (undated[:-1].sum() if undated is not None else 0))
        base_mean = base_n / max(table.n_weeks - 1, 1)
        if week_n == 0 and base_mean >= SILENT_MIN_WEEKLY:
            add("silent", f"0 articles this week; baseline {base_mean:.1f}/week")
        ok = [r for r in own if r.status != "failed" and r.newest_published_at is not None]
        if ok:
            last = ok[-1]  # runs are ordered by start
            newest = max(r.newest_published_at for r in ok)
            ran = last.finished_at or last.started_at
            if ran - newest > STALE_AFTER:
                add("stale", f"newest item {newest:%Y-%m-%d %H:%M} UTC, "
                             f"crawled {ran:%Y-%m-%d %H:%M} UTC")
        if undated is not None and undated[-1] > 0:
            add("undated", f"{int(undated[-1])} articles without a publication date "
                           "(kept out of the trends)")
    order = {"failed": 0, "not_crawled": 1, "silent": 2, "stale": 3, "garbled": 4, "undated": 5,
             "imported": 6}
    health.issues.sort(key=lambda i: (order[i.issue], i.outlet_id))
    return health


def _last_error(errors: list | None) -> str:
    if not errors:
        return ""
    last = errors[-1]
    if isinstance(last, dict):
        text = " ".join(str(last.get(k, "")) for k in ("kind", "message") if last.get(k))
    else:
        text = str(last)
    return text[:200]

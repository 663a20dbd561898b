"""``crawl()``: the library entry point of a crawl, for the CLI and for Airflow tasks.

The crawl itself runs in a child process (``crawlers.worker``) because Scrapy's reactor can
start only once per process: a long-lived caller (an Airflow worker, a test session, the
benchmark) can crawl any number of times. The child writes articles and crawl_runs rows
directly; this side forwards its progress events and reads the per-outlet records back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawlers.registry import OutletSpec
from crawlers.runs import RunSummary, mark_interrupted, process_alive, read_runs
from pipeline.config import Settings
from pipeline.store.db import make_engine
from pipeline.store.migrate import require_schema

JOB_PREFIX = "steppewatch-crawl-"


def remove_stale_jobs() -> int:
    """Remove job files left in the temp folder by crawls whose process died."""
    removed = 0
    for path in Path(tempfile.gettempdir()).glob(f"{JOB_PREFIX}*.json"):
        pid = path.name.removeprefix(JOB_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or not process_alive(int(pid)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class CrawlError(RuntimeError):
    """The crawl process itself failed (not one outlet: those are recorded per outlet)."""


@dataclass(frozen=True, kw_only=True)
class CrawlEvent:
    kind: str                      # begin | started | stored | finished | end
    outlet: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class CrawlSummary:
    run_key: str
    since: datetime
    until: datetime
    outlets: list[RunSummary]
    seconds: float
    log_path: Path | None = None

    def total(self, prefix: str) -> int:
        return sum(run.count(prefix) for run in self.outlets)

    @property
    def failed(self) -> list[str]:
        return [run.outlet_id for run in self.outlets if run.status == "failed"]


def _job_settings(settings: Settings) -> dict[str, Any]:
    values = settings.to_dict(mask_secrets=False)
    return {"database_url": settings.effective_database_url, "var_dir": str(settings.var_dir),
            "timezone": settings.timezone, "crawl": values["crawl"]}


def _registry_entry(spec: OutletSpec) -> dict[str, Any]:
    record = spec.to_record()
    entry: dict[str, Any] = {"id": spec.id, "name": spec.name, "country": spec.country,
                             "languages": list(spec.languages), "group": spec.group,
                             "homepage": spec.homepage, "endpoints": record.endpoints,
                             "active": spec.active}
    hints = {k: v for k, v in vars(spec.article).items() if v}
    if hints:
        entry["article"] = hints
    return entry


def crawl(settings: Settings, outlets: Sequence[OutletSpec], since: datetime, until: datetime,
          run_key: str | None = None, progress: Callable[[CrawlEvent], None] | None = None,
          *, scrapy_overrides: dict[str, Any] | None = None,
          log_path: Path | None = None) -> CrawlSummary:
    """Crawl ``outlets`` for articles published in [since, until] and store them.

    Blocks until the child process ends. Per-outlet failures are recorded in crawl_runs and
    never raise; a crash of the crawl process raises ``CrawlError``.
    """
    if since.tzinfo is None or until.tzinfo is None:
        raise ValueError("since and until must be timezone-aware")
    if since > until:
        raise ValueError("since is after until")
    run_key = run_key or f"crawl-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    started = datetime.now(UTC)
    job = {"run_key": run_key, "since": since.isoformat(), "until": until.isoformat(),
           "settings": _job_settings(settings), "outlets": [_registry_entry(o) for o in outlets],
           "scrapy": scrapy_overrides or {}}
    if log_path is None:
        log_dir = settings.var_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"{run_key}.log"
    engine = make_engine(settings.effective_database_url)
    try:
        # Migrations run at the entry points (commands, DAG tasks), never in the worker.
        require_schema(engine)
        mark_interrupted(engine)
    finally:
        engine.dispose()
    remove_stale_jobs()
    # The job holds the database URL (maybe with a password): readable by the owner only,
    # removed by the worker once read, here at exit, or by the next crawl if both died.
    fd, job_path = tempfile.mkstemp(prefix=f"{JOB_PREFIX}{os.getpid()}-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(job, fh, ensure_ascii=False)
        with open(log_path, "ab") as log:
            proc = subprocess.Popen([sys.executable, "-m", "crawlers.worker", job_path],
                                    stdout=subprocess.PIPE, stderr=log, text=True,
                                    encoding="utf-8")
            assert proc.stdout is not None
            for line in proc.stdout:
                event = _event(line)
                if event is not None and progress is not None:
                    progress(event)
            code = proc.wait()
    finally:
        Path(job_path).unlink(missing_ok=True)
    if code != 0:
        raise CrawlError(f"the crawl process exited with status {code}; log: {log_path}")
    engine = make_engine(settings.effective_database_url)
    try:
        runs = read_runs(engine, run_key)
    finally:
        engine.dispose()
    return CrawlSummary(run_key=run_key, since=since, until=until, outlets=runs,
                        seconds=(datetime.now(UTC) - started).total_seconds(), log_path=log_path)


def _event(line: str) -> CrawlEvent | None:
    line = line.strip()
    if not line.startswith("{"):
        return None  # something else printed to stdout; the log has the details
    try:
        raw = json.loads(line)
    except json.JSONDecodeError:
        return None
    kind = raw.pop("event", "unknown")
    outlet = raw.pop("outlet", None)
    return CrawlEvent(kind=kind, outlet=outlet, data=raw)

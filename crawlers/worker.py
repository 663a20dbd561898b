"""The crawl process: ``python -m crawlers.worker JOB.json``.

Scrapy's Twisted reactor starts once per process, so every crawl runs in a fresh child
process started by ``crawlers.runner.crawl``; the parent (CLI, Airflow task) stays free to
crawl again. All outlets of the job run side by side in one CrawlerProcess, one crawler
each, so one outlet failing never stops the others. Progress goes to stdout as JSON lines,
Scrapy's log to stderr.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawlers.context import CrawlContext, print_event
from crawlers.registry import parse_registry
from crawlers.settings import scrapy_settings
from crawlers.spiders.outlet import OutletSpider
from pipeline.config import load_settings
from pipeline.store.articles import save_outlets
from pipeline.store.db import make_engine, session_scope


def run_job(job: dict[str, Any]) -> None:
    settings = load_settings(env={}, overrides=job["settings"])
    outlets = parse_registry(job["outlets"], where="job")
    engine = make_engine(settings.effective_database_url)  # migrated by the caller
    with session_scope(engine) as session:
        save_outlets(session, [o.to_record() for o in outlets])
    context = CrawlContext(engine=engine, run_key=job["run_key"], crawl=settings.crawl,
                           since=datetime.fromisoformat(job["since"]),
                           until=datetime.fromisoformat(job["until"]), emit=print_event)
    # Spiders are built from the job's outlets, not looked up by name: no spider modules.
    overrides = {"SPIDER_MODULES": [], **job.get("scrapy", {})}
    process = CrawlerProcess(scrapy_settings(settings.crawl, **overrides),
                             install_root_handler=True)
    for outlet in outlets:
        process.crawl(OutletSpider, outlet=outlet, context=context)
    # Everything loaded so far lives for the whole crawl: keep it out of the collector's
    # scans, which otherwise grow with every object of Scrapy, Twisted and SQLAlchemy.
    gc.freeze()
    print_event({"event": "begin", "pid": os.getpid(), "outlets": [o.id for o in outlets]})
    process.start()
    engine.dispose()
    print_event({"event": "end"})


def main(argv: list[str]) -> int:
    path = Path(argv[1])
    job = json.loads(path.read_text(encoding="utf-8"))
    path.unlink(missing_ok=True)  # it holds the database URL: gone as soon as it is read
    run_job(job)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

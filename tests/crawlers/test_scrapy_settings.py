"""Importing the crawl's Scrapy settings reads nothing; Scrapy's own command gets a settings
module (``crawlers.scrapy_project``) that reads the steppewatch settings when loaded."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, config: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STEPPEWATCH_")}
    environ.update(STEPPEWATCH_CONFIG=str(config), **env)
    return subprocess.run([sys.executable, "-c", code], cwd=config.parent, env=environ,
                          capture_output=True, text=True, timeout=120)


def test_importing_the_settings_reads_no_file(tmp_path: Path) -> None:
    broken = tmp_path / "steppewatch.toml"
    broken.write_text("this is = = not toml", encoding="utf-8")
    done = _python("import crawlers.settings, crawlers.worker", broken)
    assert done.returncode == 0, done.stderr
    done = _python("import crawlers.scrapy_project", broken)
    assert done.returncode != 0 and "steppewatch.toml" in done.stderr


def test_scrapy_project_module_carries_the_configured_crawl(tmp_path: Path) -> None:
    config = tmp_path / "steppewatch.toml"
    config.write_text("[crawl]\nretries = 4\n", encoding="utf-8")
    code = ("from crawlers import scrapy_project as s; "
            "print(s.RETRY_TIMES, sorted(s.ITEM_PIPELINES, key=s.ITEM_PIPELINES.get)[0])")
    done = _python(code, config)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["4", "crawlers.item_steps.CleanPipeline"]


def test_scrapy_crawl_refuses_a_schema_behind_instead_of_migrating(tmp_path: Path) -> None:
    """``scrapy crawl ID`` builds its own context; like the crawl worker it never migrates."""
    config = tmp_path / "steppewatch.toml"
    config.write_text("", encoding="utf-8")
    db = tmp_path / "empty.db"
    code = (
        "from scrapy.crawler import Crawler\n"
        "from crawlers.scrapy_project import ITEM_PIPELINES\n"
        "from crawlers.spiders import registered\n"
        "from crawlers.registry import load_registry\n"
        "from pipeline.store.db import StoreError\n"
        "spider_cls = getattr(registered, 'Spider_' + load_registry()[0].id)\n"
        "try:\n"
        "    spider_cls.from_crawler(Crawler(spider_cls, {}))\n"
        "except StoreError as exc:\n"
        "    print('refused:', exc)\n")
    done = _python(code, config, STEPPEWATCH_DATABASE_URL=f"sqlite:///{db}")
    assert done.returncode == 0, done.stderr
    assert "refused: the database schema is not up to date" in done.stdout
    with sqlite3.connect(db) as conn:  # nothing was created: no migration ran
        assert conn.execute("select count(*) from sqlite_master").fetchone() == (0,)

"""Importing the crawl's Scrapy settings reads nothing; Scrapy's own command gets a settings
module (``crawlers.scrapy_project``) that reads the steppewatch settings when loaded."""

from __future__ import annotations

import os
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

"""The Scrapy project settings module, so one outlet can be crawled with Scrapy's own command
(no scrapy.cfg needed):

    SCRAPY_SETTINGS_MODULE=crawlers.scrapy_project scrapy crawl tengrinews -a since=2025-06-01

Loading it reads the steppewatch settings (``steppewatch.toml`` / ``STEPPEWATCH_*``), so
``scrapy crawl`` uses the same database and politeness as ``steppewatch crawl``. Nothing else
imports it.
"""

from __future__ import annotations

from crawlers.settings import scrapy_settings
from pipeline.config import load_settings

globals().update(scrapy_settings(load_settings().crawl))

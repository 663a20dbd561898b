"""Scrapy settings of the steppewatch crawl, built from the project's ``crawl`` settings.

Importing this module reads nothing: the settings come in as an argument. Scrapy's own
command uses ``crawlers.scrapy_project``, which reads them when Scrapy loads it.
"""

from __future__ import annotations

from typing import Any

from crawlers.item_steps import ITEM_PIPELINES as _PIPELINES
from pipeline.config import CrawlSettings


def scrapy_settings(crawl: CrawlSettings, **overrides: Any) -> dict[str, Any]:
    """The Scrapy settings for one crawl; ``overrides`` (tests, benchmarks) win."""
    user_agent = crawl.user_agent
    if crawl.contact and crawl.contact not in user_agent:
        user_agent = f"{user_agent} contact: {crawl.contact}"
    values: dict[str, Any] = {
        "BOT_NAME": "steppewatch",
        "SPIDER_MODULES": ["crawlers.spiders.registered"],
        "USER_AGENT": user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_per_domain,
        "DOWNLOAD_DELAY": 0.5,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 1.0,
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": crawl.download_timeout,
        "DOWNLOAD_MAXSIZE": crawl.max_body_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": crawl.retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "RETRY_BACKOFF_BASE": 1.0,
        "RETRY_BACKOFF_MAX": 30.0,
        "RETRY_AFTER_MAX": 120.0,
        "REDIRECT_MAX_TIMES": 5,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawlers.middlewares.BackoffRetryMiddleware": 550,
        },
        "ITEM_PIPELINES": dict(_PIPELINES),
        "EXTENSIONS": {"crawlers.extensions.CrawlRunRecorder": 500,
                       "scrapy.extensions.telnet.TelnetConsole": None},
        "COOKIES_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "FEED_EXPORT_ENCODING": "utf-8",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }
    values.update(overrides)
    return values


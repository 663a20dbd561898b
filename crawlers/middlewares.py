"""Retries that wait: exponential backoff between attempts, and the server's own
``Retry-After`` on 429 and 503 (capped, so a hostile value cannot stall the crawl).

The wait happens inside the middleware, holding the request's download slot: the site sees
no other request from us in the meantime, which is the polite reading of Retry-After.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import reactor
from twisted.internet.task import deferLater

RETRY_AFTER_CODES = {429, 503}


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Drop-in for Scrapy's RetryMiddleware (same settings) plus
    ``RETRY_BACKOFF_BASE`` / ``RETRY_BACKOFF_MAX`` (seconds) and ``RETRY_AFTER_MAX``."""

    def _delay(self, request: Request, response: Response | None) -> float:
        settings = self.crawler.settings
        if response is not None and response.status in RETRY_AFTER_CODES:
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None:
                self.crawler.stats.inc_value("steppewatch/retry/retry_after_honoured")
                return min(asked, settings.getfloat("RETRY_AFTER_MAX", 120.0))
        attempt = request.meta.get("retry_times", 0)
        base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        return min(base * (2 ** attempt), settings.getfloat("RETRY_BACKOFF_MAX", 30.0))

    async def _wait(self, seconds: float) -> None:
        if seconds > 0:
            await deferred_to_future(deferLater(reactor, seconds, lambda: None))

    # Scrapy accepts coroutine downloader-middleware methods and has deprecated their
    # ``spider`` argument; its RetryMiddleware still declares synchronous methods with an
    # optional ``spider``, so these overrides differ from that signature on purpose.
    async def process_response(  # type: ignore[override]
            self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await self._wait(self._delay(request, response))
        return retry

    async def process_exception(  # type: ignore[override]  # as process_response
            self, request: Request, exception: Exception) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self._wait(self._delay(request, None))
        return retry

"""Names for the ways a request fails, as recorded in ``crawl_runs.errors`` and counted
under ``steppewatch/error/<kind>``."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.error import (
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

_BY_TYPE: tuple[tuple[type[BaseException], str], ...] = (
    (TimeoutError, "timeout"),
    (DownloadTimeoutError, "timeout"),
    (ResponseDataLossError, "truncated_body"),
    (TCPTimedOutError, "timeout"),
    (DNSLookupError, "dns"),
    (CannotResolveHostError, "dns"),
    (ConnectionRefusedError, "connection_refused"),
    (ConnectionLost, "connection_lost"),
    (ResponseNeverReceived, "no_response"),
    (ResponseFailed, "response_failed"),
    (CancelledError, "cancelled"),
)


def classify_failure(failure: Failure) -> tuple[str, str]:
    """(kind, message) of a request failure."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}", f"HTTP {status}"
    if isinstance(exc, IgnoreRequest):
        text = str(exc).lower()
        if "robots" in text:
            return "robots_forbidden", str(exc)
        if "redirect" in text:
            return "redirect_loop", str(exc)
        return "ignored", str(exc)
    message = str(exc) or type(exc).__name__
    if "download max size" in message.lower() or "maxsize" in message.lower():
        return "oversize", message
    for etype, kind in _BY_TYPE:
        if isinstance(exc, etype):
            return kind, message
    return type(exc).__name__.lower(), message

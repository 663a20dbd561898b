"""Canonical article URLs and dates found in URLs.

Two addresses of the same article must meet on one key, because the articles table is
unique on ``canonical_url`` and incremental crawls skip what is already stored.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track the visitor; any other parameter may select content.
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mc_", "_hs")
_TRACKING = {"fbclid", "gclid", "yclid", "dclid", "msclkid", "igshid", "ysclid", "_openstat",
             "from", "ref", "rss", "share", "spm", "mkt_tok", "s_cid", "cmpid", "ito"}
_MOBILE_HOST = re.compile(r"^(?:m|mobile|amp|www)\.")
_AMP_PATH = re.compile(r"(?:/amp/?$|/amp(?=/)|\.amp(?=\.html?$|$))")
_TME = re.compile(r"^/s/(?=[A-Za-z0-9_]+(?:/|$))")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """https, lower-case host without www/m/amp, no default port, no fragment, no tracking
    parameters (others sorted), no AMP path, no trailing slash except the root;
    ``t.me/s/NAME/ID`` becomes ``t.me/NAME/ID``."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "http":
        scheme = "https"
    host = (parts.hostname or "").lower().rstrip(".")
    while _MOBILE_HOST.match(host) and host.count(".") >= 2:
        host = _MOBILE_HOST.sub("", host, count=1)
    port = parts.port
    original_scheme = parts.scheme.lower()
    netloc = host if port in (None, _DEFAULT_PORTS.get(original_scheme)) else f"{host}:{port}"
    if port not in (None, 80, 443):
        # A non-standard port is a different server (the replay web): keep the scheme too.
        scheme = original_scheme
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    path = _AMP_PATH.sub("", path) or "/"
    if host == "t.me":
        path = _TME.sub("/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _is_tracking(k)]
    if host != "t.me":
        query = [(k, v) for k, v in query if not (k.lower() == "amp" and v in ("", "1", "true"))]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k in _TRACKING or k.startswith(_TRACKING_PREFIXES)


_URL_DATES = (
    re.compile(r"(?<!\d)(20\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"/(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|-|_|\d{0,6}\b)"),
)


def date_from_url(url: str) -> datetime | None:
    """A publication day written into the path (``/2025/06/14/``, ``/20250614/``,
    ``-2025-06-14-``), as midnight UTC; None when there is none."""
    path = urlsplit(url).path
    for pattern in _URL_DATES:
        m = pattern.search(path)
        if m:
            try:
                return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
            except ValueError:
                continue
    return None

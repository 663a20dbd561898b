"""``outlets check``: fetch every endpoint once and say what answers.

Plain urllib in a thread pool, not Scrapy: a probe is one request per endpoint with a short
timeout, and it must run anywhere (including inside a process that already ran a crawl).
Network-level failures (no DNS, unreachable network) are told apart from dead addresses, so
a machine without internet reports "offline" per outlet instead of declaring everything dead.
"""

from __future__ import annotations

import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
from lxml import etree
from parsel import Selector

from crawlers.dates import parse_date
from crawlers.registry import Endpoint, OutletSpec

STALE_AFTER = timedelta(days=7)
MAX_BYTES = 5_000_000
_XML = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)


@dataclass(frozen=True, kw_only=True)
class EndpointProbe:
    outlet_id: str
    kind: str
    url: str
    role: str
    evidence: str
    status: int | None          # HTTP status; None when no answer
    outcome: str                # ok | empty | http_error | offline | timeout | error
    latency_ms: int | None
    items: int = 0
    newest: datetime | None = None
    message: str = ""


@dataclass(frozen=True, kw_only=True)
class OutletProbe:
    outlet_id: str
    verdict: str                # ok | stale | dead | offline
    endpoints: list[EndpointProbe]

    @property
    def newest(self) -> datetime | None:
        dates = [e.newest for e in self.endpoints if e.newest]
        return max(dates) if dates else None


def probe_url(endpoint: Endpoint) -> str:
    """The concrete first listing address of an endpoint (archives are templates)."""
    if endpoint.kind == "archive" and endpoint.paging == "page":
        return endpoint.url.format(page=1)
    if endpoint.kind == "archive":
        return endpoint.url.format(date=datetime.now(UTC).date())
    return endpoint.url


def probe_endpoint(outlet_id: str, endpoint: Endpoint, *, timeout: float,
                   user_agent: str) -> EndpointProbe:
    url = probe_url(endpoint)
    base: dict[str, Any] = {"outlet_id": outlet_id, "kind": endpoint.kind, "url": url, "role": endpoint.role,
            "evidence": endpoint.evidence}
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES)
            status = response.status
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return EndpointProbe(**base, status=exc.code, outcome="http_error",
                             latency_ms=_ms(started), message=f"HTTP {exc.code}")
    except urllib.error.URLError as exc:
        return EndpointProbe(**base, status=None, outcome=_network_outcome(exc.reason),
                             latency_ms=None, message=str(exc.reason))
    except TimeoutError as exc:
        return EndpointProbe(**base, status=None, outcome="timeout", latency_ms=None,
                             message=str(exc) or "timed out")
    except (OSError, ssl.SSLError, ValueError) as exc:
        return EndpointProbe(**base, status=None, outcome="error", latency_ms=None,
                             message=f"{type(exc).__name__}: {exc}")
    latency = _ms(started)
    items, newest = count_items(endpoint, body, content_type)
    return EndpointProbe(**base, status=status, outcome="ok" if items else "empty",
                         latency_ms=latency, items=items, newest=newest,
                         message="" if items else "answered, but nothing listed")


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _network_outcome(reason: object) -> str:
    if isinstance(reason, socket.gaierror):
        return "offline"  # no DNS: this machine cannot resolve names, or the domain is gone
    if isinstance(reason, OSError) and reason.errno in (101, 113):  # unreachable network/host
        return "offline"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timeout"
    return "error"


def count_items(endpoint: Endpoint, body: bytes, content_type: str) -> tuple[int, datetime | None]:
    """How many entries the listing holds and the newest date among them."""
    dates: list[datetime] = []
    if endpoint.kind == "feed":
        parsed = feedparser.parse(body, response_headers={"content-type": content_type})
        for entry in parsed.entries:
            when = parse_date(entry.get("published_parsed") or entry.get("updated_parsed"))
            if when:
                dates.append(when)
        return len(parsed.entries), max(dates, default=None)
    if endpoint.kind == "sitemap":
        root = etree.fromstring(body, parser=_XML) if body.strip() else None
        if root is None:
            return 0, None
        nodes = root.findall("{*}url") + root.findall("{*}sitemap")
        for node in nodes:
            for tag in ("{*}lastmod", ".//{*}publication_date"):
                found = node.find(tag)
                if found is not None and (when := parse_date((found.text or "").strip())):
                    dates.append(when)
        return len(nodes), max(dates, default=None)
    page = Selector(text=body.decode("utf-8", errors="replace"))
    if endpoint.kind == "telegram":
        posts = page.css(".tgme_widget_message[data-post]")
        dates = [d for t in posts.css("time::attr(datetime)").getall() if (d := parse_date(t))]
        return len(posts), max(dates, default=None)
    return len(page.css(endpoint.link_selector or "a::attr(href)").getall()), None


def verdict(probes: Sequence[EndpointProbe], now: datetime) -> str:
    answered = [p for p in probes if p.outcome == "ok"]
    if not answered:
        if probes and all(p.outcome == "offline" for p in probes):
            return "offline"
        return "dead"
    newest = max((p.newest for p in answered if p.newest), default=None)
    if newest is not None and now - newest > STALE_AFTER:
        return "stale"
    return "ok"


def check_outlets(outlets: Sequence[OutletSpec], *, timeout: float = 10.0,
                  user_agent: str = "steppewatch", workers: int = 16) -> list[OutletProbe]:
    jobs = [(o.id, e) for o in outlets for e in o.endpoints]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(
            lambda job: probe_endpoint(job[0], job[1], timeout=timeout, user_agent=user_agent),
            jobs))
    now = datetime.now(UTC)
    out = []
    for outlet in outlets:
        mine = [r for r in results if r.outlet_id == outlet.id]
        out.append(OutletProbe(outlet_id=outlet.id, verdict=verdict(mine, now), endpoints=mine))
    return out

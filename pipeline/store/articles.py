"""Writing articles and outlets: the records the crawlers hand over, saved by natural key."""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.store.models import DATE_SOURCES, ENDPOINT_KINDS, OUTLET_GROUPS, Article, Outlet
from pipeline.store.upsert import upsert

_SPACE = re.compile(r"\s+")


def content_hash(title: str, text: str) -> str:
    """sha256 of the whitespace- and case-normalised title and text: equal for exact copies."""
    norm = _SPACE.sub(" ", f"{title}\n{text}").strip().lower().replace("ё", "е")
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def compress_html(html: str | bytes | None) -> bytes | None:
    if html is None:
        return None
    data = html.encode("utf-8") if isinstance(html, str) else html
    return zlib.compress(data, 6)


def decompress_html(blob: bytes | None) -> str | None:
    return None if blob is None else zlib.decompress(blob).decode("utf-8", errors="replace")


@dataclass(frozen=True, kw_only=True)
class OutletRecord:
    id: str
    name: str
    country: str
    languages: tuple[str, ...]
    group: str
    homepage: str | None = None
    endpoints: dict[str, Any] = field(default_factory=dict)
    active: bool = True

    def __post_init__(self) -> None:
        if self.group not in OUTLET_GROUPS:
            raise ValueError(f"outlet {self.id}: unknown group {self.group!r}")


@dataclass(frozen=True, kw_only=True)
class ArticleRecord:
    canonical_url: str
    url: str
    outlet_id: str
    source_kind: str
    title: str
    text: str
    published_at: datetime
    date_source: str
    fetched_at: datetime
    lang: str | None = None
    author: str | None = None
    html: str | bytes | None = None
    simhash: int | None = None
    cluster_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.date_source not in DATE_SOURCES:
            raise ValueError(f"{self.url}: unknown date source {self.date_source!r}")
        if self.source_kind not in ENDPOINT_KINDS:
            raise ValueError(f"{self.url}: unknown source kind {self.source_kind!r}")
        for name in ("published_at", "fetched_at"):
            if getattr(self, name).tzinfo is None:
                raise ValueError(f"{self.url}: {name} must be timezone-aware")

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, self.text)

    def row(self) -> dict[str, Any]:
        return {
            "canonical_url": self.canonical_url, "url": self.url, "outlet_id": self.outlet_id,
            "source_kind": self.source_kind, "lang": self.lang, "title": self.title,
            "text": self.text, "author": self.author,
            "published_at": self.published_at.astimezone(UTC),
            "date_source": self.date_source, "fetched_at": self.fetched_at.astimezone(UTC),
            "content_hash": self.content_hash, "simhash": self.simhash,
            "cluster_id": self.cluster_id, "raw_html": compress_html(self.html),
            "extra": self.extra,
        }


@dataclass(kw_only=True)
class SaveResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: SaveResult) -> SaveResult:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


# Columns refreshed when a known URL comes back with different content (an edited article).
_REFRESH = ("url", "lang", "title", "text", "author", "published_at", "date_source",
            "fetched_at", "content_hash", "simhash", "raw_html", "extra")


def save_articles(session: Session, records: Sequence[ArticleRecord]) -> SaveResult:
    """Upsert articles by canonical URL. The same article twice is a no-op; an edited one
    (different content hash) is updated in place, keeping its id and cluster."""
    result = SaveResult()
    if not records:
        return result
    rows: dict[str, dict[str, Any]] = {}
    # The last copy of a URL within one batch wins; keys are written in sorted order so that
    # concurrent writers lock rows in the same order and cannot deadlock.
    for rec in sorted(records, key=lambda r: r.canonical_url):
        rows[rec.canonical_url] = rec.row()
    known = dict(session.execute(
        select(Article.canonical_url, Article.content_hash)
        .where(Article.canonical_url.in_(list(rows)))).all())
    for url, row in rows.items():
        if url not in known:
            result.inserted += 1
        elif known[url] == row["content_hash"]:
            result.unchanged += 1
        else:
            result.updated += 1
    upsert(session, Article, list(rows.values()), key=["canonical_url"], update=_REFRESH,
           when_changed=["content_hash"])
    return result


def save_outlets(session: Session, outlets: Iterable[OutletRecord]) -> int:
    now = datetime.now(UTC)
    rows = [{"id": o.id, "name": o.name, "country": o.country, "languages": list(o.languages),
             "outlet_group": o.group, "homepage": o.homepage, "endpoints": o.endpoints,
             "active": o.active, "updated_at": now} for o in outlets]
    upsert(session, Outlet, rows, key=["id"],
           update=["name", "country", "languages", "outlet_group", "homepage", "endpoints",
                   "active", "updated_at"])
    return len(rows)

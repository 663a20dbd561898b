"""``steppewatch import``: load dated pieces from archive files through the crawler's own
ingest steps (clean, date, canonicalise, de-duplicate, store).

Every file is read and checked whole before anything is stored (a bad line stores nothing
and is reported with its line number); then each piece is stored in its own transaction, as
the crawler stores pages, so an import killed at any moment leaves only whole pieces and a
rerun stores exactly what is missing (the canonical URL is the natural key: a rerun adds
nothing). Pieces carry ``extra["imported"]`` (file, line, format); outlets the store does not
know are created from ``--outlet-group`` / ``--lang`` and marked as imported, so source
health shows them as imported rather than as failing crawls.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from crawlers.context import CrawlContext
from crawlers.ingest import Discard, steps
from crawlers.ingest.formats import ArchiveError, Piece, detect, read
from crawlers.items import ArticleItem
from pipeline.store.articles import OutletRecord, save_outlets
from pipeline.store.db import session_scope
from pipeline.store.models import OUTLET_GROUPS, Outlet

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(kw_only=True)
class ImportOptions:
    fmt: str | None = None  # jsonl | csv | telegram; None: from the file name
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Almaty"))
    outlet: str | None = None  # for files without an outlet column, and Telegram exports
    outlet_group: str | None = None  # for outlets the store does not know yet
    outlet_url: str | None = None  # Telegram: https://t.me/<username> for post addresses
    lang: str | None = None
    country: str = "KZ"


@dataclass(kw_only=True)
class ImportSummary:
    read: int = 0
    counts: Counter[str] = field(default_factory=Counter)  # stored/<kind>, drop/<reason>, ...
    outlets_created: list[str] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.counts["stored/new"]

    @property
    def copies(self) -> int:
        return sum(v for k, v in self.counts.items()
                   if k.startswith("stored/") and k != "stored/new")

    @property
    def already(self) -> int:
        return self.counts["drop/duplicate_url"]

    @property
    def dropped(self) -> dict[str, int]:
        return {k.removeprefix("drop/"): v for k, v in sorted(self.counts.items())
                if k.startswith("drop/") and k != "drop/duplicate_url"}

    def line(self) -> str:
        dropped = ", ".join(f"{k} {v}" for k, v in self.dropped.items()) or "none"
        return (f"{self.read} read: {self.stored} stored, {self.copies} copies of stored "
                f"stories, {self.already} already stored, dropped: {dropped}")


def read_all(paths: Sequence[Path], opts: ImportOptions) -> list[Piece]:
    """Every piece of every file, or ArchiveError at the first bad line of any of them."""
    defaults = {"outlet": opts.outlet, "lang": opts.lang, "url": opts.outlet_url}
    pieces: list[Piece] = []
    for path in paths:
        pieces += read(path, opts.fmt or detect(path), opts.tz, defaults)
    return pieces


def ensure_outlets(engine: Engine, pieces: Sequence[Piece], opts: ImportOptions) -> list[str]:
    """Create the outlets the store does not know; returns their ids."""
    wanted: dict[str, Piece] = {}
    for p in pieces:
        wanted.setdefault(p.outlet, p)
    with engine.connect() as conn:
        known = set(conn.execute(select(Outlet.id).where(Outlet.id.in_(list(wanted)))).scalars())
    new = [o for o in wanted if o not in known]
    if not new:
        return []
    group = opts.outlet_group or (
        "telegram" if all(wanted[o].kind == "telegram" for o in new) else None)
    if group is None:
        raise ArchiveError(f"unknown outlet(s) {', '.join(sorted(new)[:5])}: give "
                           "--outlet-group to create them")
    if group not in OUTLET_GROUPS:
        raise ArchiveError(f"--outlet-group {group!r}: one of {', '.join(OUTLET_GROUPS)}")
    records = []
    for o in sorted(new):
        langs = sorted({p.lang for p in pieces if p.outlet == o and p.lang} or
                       ({opts.lang} if opts.lang else set()))
        records.append(OutletRecord(
            id=o, name=wanted[o].outlet_name or o, country=opts.country, languages=tuple(langs),
            group=group, endpoints={"imported": {"kind": wanted[o].kind}}))
    with session_scope(engine) as session:
        save_outlets(session, records)
    return sorted(new)


def import_pieces(engine: Engine, pieces: Sequence[Piece], *,
                  progress: Progress | None = None) -> ImportSummary:
    """Each piece through clean, date, canonicalise, dedup and store (one transaction each)."""
    summary = ImportSummary(read=len(pieces))
    if not pieces:
        return summary
    now = datetime.now(UTC)
    ctx = CrawlContext(engine=engine, run_key=f"import:{now:%Y%m%dT%H%M%S}",
                       since=min(p.published for p in pieces),
                       until=max(p.published for p in pieces))
    # Oldest first, as a crawl meets them: a story's first copy is stored first.
    order = sorted(pieces, key=lambda p: (p.published, p.url))

    def count(name: str) -> None:
        summary.counts[name] += 1

    for done, piece in enumerate(order, 1):
        item = ArticleItem(
            outlet_id=piece.outlet, source_kind=piece.kind, listed_url=piece.url,
            url=piece.url, fetched_at=now, lang=piece.lang, title=piece.title,
            text=piece.text, author=piece.author, listing_date=piece.published,
            extra={"imported": {"file": piece.file, "line": piece.line}})
        try:
            steps.clean(item, count)
            steps.date(item, count)
            steps.canonicalise(item)
            steps.dedup(item, ctx)
            summary.counts[f"stored/{steps.store(item, ctx)}"] += 1
        except Discard as discard:
            summary.counts[f"drop/{discard.reason}"] += 1
        if progress is not None:
            progress(done, len(order))
    return summary

"""Backfill checkpoints mean "fetched": whatever the chunk size, a backfill of a range stores
exactly what one crawl of the whole range stores, item for item, on the replay web; and a
rerun over the checkpointed range collects nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from crawlers.registry import load_manifest
from crawlers.runner import crawl
from pipeline.aggregates import day_bounds
from pipeline.config import load_settings
from pipeline.store.articles import save_outlets
from pipeline.store.db import make_engine, session_scope
from pipeline.store.migrate import upgrade
from pipeline.store.models import Article
from replayweb import ReplayServer
from steppewatch.backfill import collect, done_days

pytestmark = pytest.mark.slow

# One outlet per way of reaching the past: a paged archive, a date archive, a sitemap,
# Telegram pagination (each with its feed).
OUTLETS = ("sim_rubezh", "sim_dalanews", "sim_kazwire", "sim_tg_qalqan")


@pytest.fixture(scope="module")
def replay():
    with ReplayServer(port=0) as server:
        yield server


@pytest.fixture(scope="module")
def single_crawls() -> dict:
    return {}


def _store(tmp_path, name: str, outlets):
    url = f"sqlite:///{tmp_path / name}.db"
    settings = load_settings(env={}, overrides={"database_url": url,
                                                "var_dir": str(tmp_path / "var")})
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as s:
        save_outlets(s, [o.to_record() for o in outlets])
    return settings, engine


def _items(engine) -> dict[str, tuple]:
    """Each stored article: outlet, date and its source (an undated one is dated by the crawl
    that found it, so only its source is compared)."""
    with session_scope(engine) as s:
        return {u: (o, "" if src == "crawl" else p.isoformat(), src) for u, o, p, src in
                s.execute(select(Article.canonical_url, Article.outlet_id,
                                 Article.published_at, Article.date_source))}


@pytest.mark.parametrize("chunk_days,first,last", [
    (1, date(2025, 4, 7), date(2025, 4, 11)),
    (7, date(2025, 4, 7), date(2025, 4, 27)),
    (28, date(2025, 4, 7), date(2025, 5, 11)),
])
def test_every_chunk_size_stores_what_one_crawl_stores(chunk_days, first, last, replay,
                                                       single_crawls, tmp_path_factory):
    outlets = [o for o in load_manifest(replay.url) if o.id in OUTLETS]
    tmp = tmp_path_factory.mktemp(f"chunks{chunk_days}")
    if (first, last) not in single_crawls:
        settings, engine = _store(tmp, "single", outlets)
        since, until = day_bounds(first, last, settings.tz)
        crawl(settings, outlets, since, until.replace(microsecond=0) - until.resolution)
        single_crawls[(first, last)] = _items(engine)
        engine.dispose()
    expected = single_crawls[(first, last)]
    assert {v[0] for v in expected.values()} == set(OUTLETS)

    settings, engine = _store(tmp, "chunked", outlets)
    summary = collect(settings, engine, outlets, first, last, chunk_days=chunk_days)
    got = _items(engine)
    assert sorted(set(expected) - set(got)) == [] and sorted(set(got) - set(expected)) == []
    assert got == expected
    # Everything listed was fetched, so every outlet-day is checkpointed ...
    days = (last - first).days + 1
    assert len(done_days(engine, list(OUTLETS), first, last)) == days * len(OUTLETS)
    assert all(t.chunks_failed == 0 for t in summary.outlets.values())
    # ... and a rerun has nothing left to do.
    again = collect(settings, engine, outlets, first, last, chunk_days=chunk_days)
    assert again.new_articles == 0
    assert all(t.chunks_done == 0 for t in again.outlets.values())
    engine.dispose()

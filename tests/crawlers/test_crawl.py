"""End-to-end crawls of a local web (tests/crawlers/fixtures.py) into SQLite and PostgreSQL:
every endpoint kind, the faults, dedup and clusters, the incremental rerun, a SIGKILL."""

from __future__ import annotations

import os
import signal
import time

import pytest
from sqlalchemy import create_engine, func, select

from crawlers.runner import CrawlError
from pipeline.store.models import Article, CrawlRun
from tests.crawlers.fixtures import STORY, Site, build_site, registry, run, serve, story

pytestmark = pytest.mark.slow


def _articles(db_url: str) -> list:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(select(Article).order_by(Article.id)).all()
    engine.dispose()
    return rows


def test_crawl_every_kind_with_faults_then_rerun_adds_nothing(db_url: str, tmp_path) -> None:
    site = Site()
    with serve(site):
        built = build_site(site)
        specs = registry(site, built["entries"])
        expected = built["expected"]
        events: list = []
        first = run(specs, db_url, tmp_path, events=events)
        runs = {r.outlet_id: r for r in first.outlets}
        assert {k: runs[k].count("stored/") for k in runs} == expected["stored"]
        for outlet, kinds in expected["errors"].items():
            assert {e["kind"] for e in runs[outlet].errors} == kinds, outlet
            assert all(e["url"].startswith(site.url) for e in runs[outlet].errors)
        assert runs["t_dead"].status == "failed"          # recorded, and nothing else stopped
        assert runs["t_sitemap"].status == runs["t_telegram"].status == "ok"
        assert runs["t_feed"].counts["drop/duplicate_content"] == 1
        assert runs["t_feed"].counts["retry/retry_after_honoured"] == 1
        assert runs["t_feed"].counts["feed/recovered_malformed"] == 1   # a bare '&' in a link
        assert runs["t_fallback"].counts["endpoint/fallback_used"] == 1
        assert runs["t_sitemap"].counts["skip/sitemap_out_of_range"] == 1
        assert site.hits.get("/feed/old.html") is None                 # out of range: not fetched
        assert site.hits["/feed/busy.html"] == 2
        assert {e.kind for e in events} >= {"begin", "started", "stored", "finished", "end"}

        rows = {r.canonical_url.removeprefix(site.url): r for r in _articles(db_url)}
        assert len(rows) == sum(expected["stored"].values())
        # a1 and copy.html carry the same text: whichever arrives first is kept, the other
        # is dropped as a duplicate of the same outlet
        assert ("/feed/a1.html" in rows) != ("/feed/copy.html" in rows)
        a1 = rows.get("/feed/a1.html") or rows["/feed/copy.html"]
        if "/feed/a1.html" in rows:
            assert a1.url.startswith(f"{site.url}/feed/a1.html?utm_source=rss")
        assert "Министерство обороны Республики Казахстан" in a1.text   # windows-1251 intact
        assert "Тест" not in a1.title and a1.title == "Учения с Турцией"
        assert a1.author == "Айгерим Садыкова" and a1.lang == "ru"
        assert "Правительство обсудило ход строительства" in rows["/feed/a2.html"].text
        assert rows["/feed/a2.html"].date_source == "feed"       # no page date: the feed's
        assert rows["/feed/a3.html"].date_source == "crawl"      # no date anywhere
        future = rows["/feed/a4.html"]
        assert future.date_source == "feed"
        assert future.extra["date_rejected"][0]["reason"] == "future"
        # syndicated (same text, other outlet) and near-duplicate copies join a1's cluster,
        # rooted at its earliest copy; which copy is labelled a copy of which depends on the
        # order pages arrive in, so only the cluster and the labels' set are fixed.
        syn, near = rows["/b/syn.html"], rows["/b/near.html"]
        story = [a1, syn, near]
        assert syn.cluster_id == near.cluster_id == a1.cluster_id
        root = next(r for r in story if r.id == a1.cluster_id)
        assert root.published_at == min(r.published_at for r in story)
        kinds = sorted((r.extra.get("dedup") or {}).get("kind", "first") for r in story)
        assert kinds in (["first", "near_duplicate", "syndicated"],
                         ["first", "near_duplicate", "near_duplicate"])
        singles = [r for r in rows.values() if r.id not in (a1.id, syn.id, near.id)]
        assert all(r.cluster_id == r.id for r in singles)
        tg = rows["https://t.me/chan/11"]
        assert tg.source_kind == "telegram" and tg.extra["views"] == 1200
        assert tg.text.startswith("Учения начались.\nПодробности")
        assert rows["https://t.me/chan/9"].extra["views"] == 3_000_000

        hits_before = dict(site.hits)
        second = run(specs, db_url, tmp_path)
        assert second.total("stored/") == 0
        assert len(_articles(db_url)) == len(rows)
        again = {r.outlet_id: r for r in second.outlets}
        assert again["t_feed"].counts == {"endpoint/feed": 1, "feed/not_modified": 1}
        # nothing already stored was requested again
        for path in ("/feed/a1.html", "/sm/s1.html", "/ar/x1.html", "/b/syn.html"):
            assert site.hits.get(path, 0) == hits_before.get(path, 0), path
        assert site.requests[-1][0] != "/feed/a2.html"

    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(CrawlRun)).scalar_one() == 12
    engine.dispose()


def test_killed_crawl_then_rerun_has_no_duplicates_and_nothing_missing(db_url: str,
                                                                      tmp_path) -> None:
    site = Site()
    n = 24

    def slow(handler):  # each article takes a moment, so the kill lands halfway
        time.sleep(0.15)
        i = int(handler.path.rsplit("/", 1)[-1].split(".")[0])
        from tests.crawlers.fixtures import NOW, article_html
        return 200, {"Content-Type": "text/html; charset=utf-8"}, \
            article_html(f"Статья {i}", story(100 + i), date=NOW).encode()

    with serve(site):
        from tests.crawlers.fixtures import NOW, rss
        site.add("/k/rss.xml", rss([(f"{site.url}/k/{i}.html", f"Статья {i}", NOW)
                                    for i in range(n)]), content_type="application/rss+xml")
        for i in range(n):
            site.add_handler(f"/k/{i}.html", slow)
        specs = registry(site, [{"id": "t_kill", "endpoints": {"feed": [{"url": "/k/rss.xml"}]}}])
        stored: list = []

        def kill_halfway(event) -> None:
            if event.kind == "begin":
                stored.append(event.data["pid"])
            if event.kind == "stored":
                stored.append(1)
                if len(stored) == 1 + n // 2:
                    os.kill(stored[0], signal.SIGKILL)

        with pytest.raises(CrawlError, match="status -9"):
            from crawlers.runner import crawl
            from tests.crawlers.fixtures import DAY, FAST, migrated, settings_for
            crawl(settings_for(migrated(db_url), tmp_path), specs, NOW - DAY, NOW,
                  progress=kill_halfway, scrapy_overrides=FAST)
        partial = len(_articles(db_url))
        assert 0 < partial < n
        rerun = run(specs, db_url, tmp_path)
        rows = _articles(db_url)
        assert len(rows) == n
        assert len({r.canonical_url for r in rows}) == n
        assert rerun.outlets[0].count("stored/") == n - partial
        assert rerun.outlets[0].counts["skip/known_url"] == partial


def test_story_constants_are_distinct() -> None:
    # the fixtures rely on distinct stories: a shared sentence would fake near-duplicates
    assert len({story(i) for i in range(50)}) == 50 and STORY not in story(1)


def test_the_crawl_worker_never_migrates(tmp_path) -> None:
    # Migrations run at the entry points (commands, DAG tasks): a crawl handed a database
    # without the schema says what to do and starts no worker.
    from crawlers.runner import crawl
    from pipeline.store.db import StoreError
    from tests.crawlers.fixtures import DAY, NOW, settings_for

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    events: list = []
    with pytest.raises(StoreError, match="steppewatch db upgrade"):
        crawl(settings_for(url, tmp_path), [], NOW - DAY, NOW, progress=events.append)
    assert events == []
    assert not create_engine(url).connect().exec_driver_sql(
        "select name from sqlite_master where type='table'").fetchall()

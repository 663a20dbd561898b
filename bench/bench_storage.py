"""Storage: upsert throughput and size on disk at 100,000 synthetic articles with Cyrillic
text, SQLite vs PostgreSQL, plus the cost of re-writing the same articles (a rerun)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from pipeline.store.articles import save_articles, save_outlets
from pipeline.store.db import make_engine, session_scope
from pipeline.store.migrate import upgrade
from pipeline.store.tempgres import TempPostgres
from tests.store.factories import OUTLETS, article

N = int(os.environ.get("BENCH_STORAGE_N", "100000"))
BATCH = 500


def _load(url: str) -> tuple[float, float]:
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
    records = [article(i, lang="ru" if i % 3 else "kk", outlet=OUTLETS[i % 2].id)
               for i in range(N)]
    timings = []
    for _ in range(2):  # first load, then the same articles again (a rerun: all no-ops)
        t0 = time.perf_counter()
        for start in range(0, N, BATCH):
            with session_scope(engine) as s:
                save_articles(s, records[start:start + BATCH])
        timings.append(time.perf_counter() - t0)
    engine.dispose()
    return N / timings[0], N / timings[1]


def run() -> list[tuple[str, str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        first, rerun = _load(f"sqlite:///{path}")
        engine = make_engine(f"sqlite:///{path}")
        with engine.begin() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        engine.dispose()
        size = path.stat().st_size
        rows += [("sqlite", f"upsert {N:,} new", "articles/s", f"{first:,.0f}", ""),
                 ("sqlite", f"rewrite {N:,} same", "articles/s", f"{rerun:,.0f}", ""),
                 ("sqlite", "size on disk", "MB", f"{size / 1e6:,.0f}", "")]
    with TempPostgres() as pg:
        url = pg.create_database("bench")
        first, rerun = _load(url)
        engine = make_engine(url)
        with engine.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size('bench')")).scalar_one()
        engine.dispose()
        rows += [("postgresql", f"upsert {N:,} new", "articles/s", f"{first:,.0f}", ""),
                 ("postgresql", f"rewrite {N:,} same", "articles/s", f"{rerun:,.0f}", ""),
                 ("postgresql", "size on disk", "MB", f"{size / 1e6:,.0f}", "")]
    return [(f"{db}: {case}", figure, value, target) for db, case, figure, value, target in rows]

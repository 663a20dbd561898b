"""Dashboard: p95 latency of the trend and drill-down endpoints with 1,000,000 stored
articles, on SQLite and PostgreSQL, each opened read-only as the dashboard opens it.

The store is the digest benchmark's (two years of articles, 40 % relevant, a fifth of those
syndicated copies, 50 outlets, daily aggregates rebuilt by the real
``pipeline.aggregates.rebuild``), loaded with the drivers' bulk paths by ``bench_digest``'s
loaders so that both benchmarks measure the same data.

Requests go through the Flask app in-process (no HTTP socket), each with different filters
so that nothing is answered from a cache: the default 26-week view by each breakdown, with
and without language / outlet-group / outlet filters, daily views, and drill-downs into
weeks and days of several series. The digest's flagged shifts are computed once per week and
kept in memory; the first request pays for them and is reported apart ("cold").

``BENCH_DASHBOARD_N`` scales the number of articles down for a quick run (e.g. 50000).
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import numpy as np
from sqlalchemy import text

from pipeline.config import Settings
from pipeline.profile import load_profile
from pipeline.store.db import make_engine
from pipeline.store.migrate import upgrade
from pipeline.store.tempgres import TempPostgres
from reports.dashboard import create_app

N = int(os.environ.get("BENCH_DASHBOARD_N", "1000000"))
TARGET_MS = 100.0


def _digest_bench() -> ModuleType:
    path = Path(__file__).resolve().parent / "bench_digest.py"
    spec = importlib.util.spec_from_file_location("bench_digest_data", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.N = N  # its generator reads the module's N
    return module


def _urls(data: ModuleType) -> tuple[list[str], list[str]]:
    week = data.WEEK
    end = week.sunday
    start = week.shift(-25).monday
    rng = np.random.default_rng(3)
    base = f"from={start}&to={end}"
    trend = []
    for by in ("topic", "partner", "lang", "group", "outlet", "all"):
        trend.append(f"/api/trend?{base}&by={by}")
        trend.append(f"/api/trend?{base}&by={by}&lang=kk")
        trend.append(f"/api/trend?{base}&by={by}&group=kz_state")
    for topic in data.TOPICS[:3]:
        trend.append(f"/api/trend?{base}&by=outlet&topic={topic}")
    for partner in data.PARTNERS[:3]:
        trend.append(f"/api/tone?{base}&partner={partner}&lang=ru")
    day_base = f"from={week.shift(-7).monday}&to={end}&grain=day"
    trend += [f"/api/trend?{day_base}&by={by}" for by in ("topic", "partner", "outlet")]
    trend += [f"/api/tone?{base}", f"/api/tone?{base}&group=ru_state"]

    drill = []
    for _ in range(12):
        w = week.shift(-int(rng.integers(0, 26)))
        by, key = [("topic", data.TOPICS[int(rng.integers(0, len(data.TOPICS)))]),
                   ("partner", data.PARTNERS[int(rng.integers(0, len(data.PARTNERS)))]),
                   ("outlet", data.OUTLETS[int(rng.integers(0, len(data.OUTLETS)))][0])][
            int(rng.integers(0, 3))]
        drill.append(f"/api/articles?{base}&by={by}&at={w.monday}&series={key}")
    for _ in range(8):
        d = end - timedelta(days=int(rng.integers(0, 56)))
        drill.append(f"/api/articles?{day_base}&by=all&at={d}")
        drill.append(f"/api/articles?{day_base}&by=lang&at={d}&series=kk&page=2")
    drill.append(f"/api/articles?{base}&by=all&at={week.monday}")
    return trend, drill


def _p95(times: list[float]) -> float:
    return float(np.percentile(np.array(times) * 1000, 95))


def _measure(url: str, data: ModuleType, name: str) -> list[tuple[str, str, str, str]]:
    engine = make_engine(url, read_only=True)
    app = create_app(engine, Settings(), load_profile(), profile_version=data.PV)
    client = app.test_client()
    trend, drill = _urls(data)
    t0 = time.perf_counter()
    first = client.get(trend[0])
    cold = time.perf_counter() - t0
    assert first.status_code == 200, first.data[:300]
    # The digest's flags are computed by a background thread; wait for it so that it does
    # not compete with the timed requests.
    while client.get(trend[0].replace("/api/trend", "/api/shifts")).get_json()["data"]["pending"]:
        time.sleep(0.5)
    rows = [(f"{name}: first trend request (cold)", "ms", f"{cold * 1000:.0f}", ""),
            (f"{name}: background digest flags, 12 weeks", "s",
             f"{time.perf_counter() - t0:.0f}", "")]
    for label, urls in (("trend", trend), ("drill-down", drill)):
        times = []
        for u in urls * 2:
            t0 = time.perf_counter()
            resp = client.get(u)
            times.append(time.perf_counter() - t0)
            assert resp.status_code == 200, (u, resp.data[:300])
        ok = "ok" if _p95(times) <= TARGET_MS else "MISSED"
        rows.append((f"{name}: {label} ({len(urls)} views x2), {N:,} articles", "p95 ms",
                     f"{_p95(times):.0f} (max {max(times) * 1000:.0f}) {ok}",
                     f"<= {TARGET_MS:.0f}"))
    engine.dispose()
    return rows


def run() -> list[tuple[str, str, str, str]]:
    data = _digest_bench()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        data._load_sqlite(path)
        engine = make_engine(f"sqlite:///{path}")
        data._aggregate(engine)
        engine.dispose()
        rows += _measure(f"sqlite:///{path}", data, "sqlite")
    with TempPostgres() as pg:
        url = pg.create_database("bench")
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        data._load_postgres(url)
        engine = make_engine(url)
        data._aggregate(engine)
        with engine.begin() as conn:
            # What autovacuum does in production after a large load; SQLite is measured
            # without statistics, as `process` leaves it.
            conn.execute(text("ANALYZE daily_aggregates"))
        engine.dispose()
        rows += _measure(url, data, "postgresql")
    return rows


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))

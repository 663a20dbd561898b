"""Aggregates after a crash: ``process`` and ``backfill`` killed (SIGKILL) at several points,
then rerun, give the same aggregates, dashboard series and brief counts as a run that was
never interrupted, on SQLite and PostgreSQL.

The articles are one crawl of two weeks of the replay web, copied into each test's database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select

from pipeline.analyze import Analyzer
from pipeline.config import load_settings
from pipeline.process import process, rebuild_aggregates
from pipeline.profile import load_profile
from pipeline.store.db import make_engine, session_scope
from pipeline.store.migrate import upgrade
from pipeline.store.models import Analysis, Article, DailyAggregate, DirtyDay, Outlet
from replayweb import ReplayServer
from reports.weeks import IsoWeek

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
FROM, TO = "2025-06-02", "2025-06-15"
WEEKS = (IsoWeek.parse("2025-W23"), IsoWeek.parse("2025-W24"))


def _cli(db_url: str, var: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "STEPPEWATCH_DATABASE_URL": db_url, "STEPPEWATCH_VAR_DIR": str(var)}
    env.pop("STEPPEWATCH_CONFIG", None)
    return subprocess.Popen([sys.executable, "-m", "steppewatch.cli", *args], cwd=var.parent,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


@pytest.fixture(scope="module")
def replay():
    with ReplayServer(port=0) as server:
        yield server


@pytest.fixture(scope="module")
def seed(replay, tmp_path_factory) -> Engine:
    """One crawl of the range, never analysed: the articles every test starts from."""
    work = tmp_path_factory.mktemp("seed")
    url = f"sqlite:///{work / 'seed.db'}"
    proc = _cli(url, work / "var", "crawl", "--replay", replay.url, "--since", FROM,
                "--until", TO)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    eng = make_engine(url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_profile(), entities="relevant")


def _copy(seed: Engine, engine: Engine) -> int:
    with seed.connect() as src, session_scope(engine) as dst:
        for model in (Outlet, Article):
            rows = [dict(r._mapping) for r in src.execute(select(model.__table__))]
            dst.execute(insert(model.__table__), rows)
        return len(rows)


def _snapshot(engine: Engine) -> dict:
    """What an analyst reads: the aggregates, the dashboard's trend, the brief's totals."""
    from reports.dashboard import create_app
    from reports.digest import build_digest

    settings = load_settings(env={})
    profile = load_profile()
    with session_scope(engine) as s:
        aggs = sorted(
            (a.day.isoformat(), a.outlet_id, a.lang, a.dimension, a.key, a.articles, a.pieces,
             a.copies, round(a.polarity_sum, 6), round(a.alarm_sum, 6), a.tone_n)
            for a in s.scalars(select(DailyAggregate)))
        dirty = s.scalar(select(func.count()).select_from(DirtyDay))
    client = create_app(engine, settings, profile, inline_flags=True).test_client()
    trend = client.get(f"/api/trend?from={FROM}&to={TO}&by=partner")
    assert trend.status_code == 200
    briefs = {str(w): build_digest(engine, settings, w, profile_version=profile.version)
              .to_summary()["total"] for w in WEEKS}
    return {"aggregates": aggs, "trend": trend.get_json()["data"], "briefs": briefs,
            "dirty": dirty}


@pytest.fixture(scope="module")
def reference() -> dict:
    """The uninterrupted run's snapshot, per database kind (filled by the first test)."""
    return {}


def _uninterrupted(kind: str, seed: Engine, analyzer: Analyzer, reference: dict,
                   request) -> dict:
    if kind not in reference:
        if kind == "sqlite":
            url = f"sqlite:///{request.getfixturevalue('tmp_path') / 'reference.db'}"
        else:
            url = request.getfixturevalue("pg_url")
        eng = make_engine(url)
        upgrade(eng)
        _copy(seed, eng)
        process(eng, analyzer, tz=load_settings(env={}).tz)
        reference[kind] = _snapshot(eng)
        eng.dispose()
    return reference[kind]


def _analysed(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Analysis.__table__)) or 0


def _kill_when(proc: subprocess.Popen, engine: Engine, at_least: int,
               timeout: float = 120) -> int:
    """SIGKILL ``proc`` as soon as ``at_least`` analyses are committed; return how many."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done = _analysed(engine)
        except Exception:  # the schema may not exist yet
            done = 0
        if done >= at_least:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return done
        assert proc.poll() is None, f"finished before the kill point: {proc.stderr.read()}"
        time.sleep(0.005)
    proc.kill()
    raise AssertionError("kill point not reached")


@pytest.mark.parametrize("point", [0.1, 0.5, 1.0])
def test_killed_process_converges_after_rerun(point, engine, db_url, seed, analyzer,
                                              reference, request, tmp_path):
    kind = engine.dialect.name
    expected = _uninterrupted(kind, seed, analyzer, reference, request)
    total = _copy(seed, engine)
    at = max(1, int(total * point))
    proc = _cli(db_url, tmp_path / "var", "process", "--batch-size", "5")
    done = _kill_when(proc, engine, at)
    assert done < total or point == 1.0
    rerun = _cli(db_url, tmp_path / "var", "process")
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err[-3000:]
    got = _snapshot(engine)
    assert got["dirty"] == 0
    assert got == expected


@pytest.mark.parametrize("point", [0.2, 0.8])
def test_killed_backfill_converges_after_rerun(point, engine, db_url, replay, seed,
                                               tmp_path):
    with seed.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(Article.__table__))
    args = ("backfill", "--replay", replay.url, "--from", FROM, "--to", TO,
            "--chunk-days", "14")
    proc = _cli(db_url, tmp_path / "var", *args)
    _kill_when(proc, engine, max(1, int(total * point)), timeout=300)
    rerun = _cli(db_url, tmp_path / "var", *args)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err[-3000:]
    got = _snapshot(engine)
    assert got["aggregates"], "nothing aggregated"
    # The uninterrupted result over the same articles: every day rebuilt from scratch.
    rebuild_aggregates(engine, load_profile().version, load_settings(env={}).tz)
    assert got == _snapshot(engine)

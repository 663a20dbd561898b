"""A three-day ``airflow backfill create`` of the crawl DAG, executed by a real scheduler
(LocalExecutor, PostgreSQL metadata, the api-server the tasks report to): three successful
runs, each crawling its own day of the replay web into the project database (PostgreSQL).

The DAG runs daily here (``[steppewatch] crawl_schedule``) so that three days are three runs;
the scheduler creates no scheduled runs (``use_job_schedule = False``), only the backfill's.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import psycopg
import pytest

from crawlers.urls import canonical_url
from pipeline.store.tempgres import TempPostgres
from replayweb import ReplayServer, ground_truth
from tests.airflow.harness import (
    END,
    FIRST_DAY,
    LAST_DAY,
    START,
    TEST_OUTLETS,
    Airflow,
    free_port,
    require_airflow,
    wait_http,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(900)]



def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_three_day_backfill(tmp_path, postgres: TempPostgres,
                            replay: ReplayServer) -> None:
    require_airflow()
    metadata = _plain(postgres.create_database("airflow_meta"))
    project = postgres.create_database("steppewatch")
    port = free_port()
    airflow = Airflow.create(tmp_path / "airflow", {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata.replace("postgresql://",
                                                                "postgresql+psycopg2://"),
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "AIRFLOW__STEPPEWATCH__CRAWL_SCHEDULE": "0 0 * * *",
        "AIRFLOW_VAR_STEPPEWATCH_REPLAY_URL": replay.url,
        "AIRFLOW_VAR_STEPPEWATCH_OUTLETS": ",".join(TEST_OUTLETS),
        "STEPPEWATCH_DATABASE_URL": project,
        "STEPPEWATCH_VAR_DIR": str(tmp_path / "var"),
    })
    airflow.cli("db", "migrate")
    try:
        api = airflow.start("api-server", "--port", str(port))
        airflow.cli_together(("pools", "set", "steppewatch_crawl", "2", "outlets at once"),
                             ("dags", "reserialize"))
        airflow.cli_together(("dags", "unpause", "steppewatch_crawl"),
                             ("backfill", "create", "--dag-id", "steppewatch_crawl",
                              "--from-date", FIRST_DAY, "--to-date", LAST_DAY))
        wait_http(f"http://127.0.0.1:{port}/api/v2/monitor/health", proc=api)
        scheduler = airflow.start("scheduler")
        runs = _wait_for_runs(metadata, 3, timeout=600, procs=(api, scheduler))
    finally:
        airflow.stop()

    assert [r[1] for r in runs] == ["success"] * 3, (runs, airflow.log_tail("scheduler.log"))
    assert [(r[2], r[3]) for r in runs] == [
        (START + timedelta(days=i), START + timedelta(days=i + 1)) for i in range(3)]

    with psycopg.connect(_plain(project)) as conn:
        crawl_runs = conn.execute("SELECT run_key, outlet_id, status FROM crawl_runs").fetchall()
        articles = conn.execute(
            "SELECT canonical_url, published_at, date_source FROM articles").fetchall()
    # one crawl_runs row per outlet and day, keyed by the day
    keys = {f"airflow-{START + timedelta(days=i):%Y%m%dT%H%M}-"
            f"{START + timedelta(days=i + 1):%Y%m%dT%H%M}" for i in range(3)}
    assert {(k, o) for k, o, _ in crawl_runs} == {(k, o) for k in keys for o in TEST_OUTLETS}
    assert {s for _, _, s in crawl_runs} == {"ok"}
    # every dated piece the three outlets published in those days, nothing from far outside
    truth = ground_truth(base_url=replay.url)["pieces"].values()
    due = {canonical_url(p["url"]) for p in truth if p["outlet"] in TEST_OUTLETS and p["date_mode"] != "none"
           and START <= datetime.fromisoformat(p["published"]) < END}
    stored = {url for url, _, _ in articles}
    assert len(due) >= 10, "the window should hold pieces of every outlet (11 in the corpus)"
    assert due <= stored, sorted(due - stored)
    assert all(START <= published <= END + timedelta(days=1)
               for _, published, source in articles if source != "crawl")


def _wait_for_runs(metadata: str, n: int, *, timeout: float, procs) -> list[tuple]:
    """The backfill's runs once all ``n`` are finished: (run_id, state, start, end)."""
    deadline = time.monotonic() + timeout
    runs: list[tuple] = []
    while time.monotonic() < deadline:
        for proc in procs:
            assert proc.poll() is None, f"an Airflow component exited ({proc.args})"
        with psycopg.connect(metadata) as conn:
            runs = conn.execute(
                "SELECT run_id, state, data_interval_start, data_interval_end FROM dag_run "
                "WHERE dag_id = 'steppewatch_crawl' AND run_type = 'backfill' "
                "ORDER BY data_interval_start").fetchall()
        if len(runs) == n and all(r[1] in ("success", "failed") for r in runs):
            return runs
        time.sleep(2)
    raise AssertionError(f"the backfill did not finish within {timeout} s: {runs}")

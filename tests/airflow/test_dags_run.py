"""``airflow dags test`` of the three DAGs, in order, on SQLite metadata in a temporary
AIRFLOW_HOME: the crawl DAG collects its data interval from the replay web into the project
database, the process DAG analyses it, the digest DAG e-mails the week through the Airflow
connection ``smtp_default`` to a local aiosmtpd server - once, even when run again."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from crawlers.urls import canonical_url
from pipeline.store.db import make_engine
from pipeline.store.models import Analysis, Article, CrawlRun, Digest
from replayweb import ReplayServer, ground_truth
from tests.airflow.harness import TEST_OUTLETS, Airflow, SmtpCatcher, require_airflow

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

# The crawl DAG's default hourly schedule: the run at 2025-06-10 00:00 UTC covers the hour
# before it. The digest run of Monday 2025-06-16 08:00 Almaty reports ISO week 2025-W24.
CRAWL_DATE = "2025-06-10T00:00:00+00:00"
INTERVAL = (datetime(2025, 6, 9, 23, tzinfo=UTC), datetime(2025, 6, 10, tzinfo=UTC))
DIGEST_DATE = "2025-06-16T03:00:00+00:00"


def test_crawl_process_digest(tmp_path, replay: ReplayServer,
                              smtp: SmtpCatcher) -> None:
    require_airflow()
    project_db = f"sqlite:///{tmp_path / 'steppewatch.db'}"
    airflow = Airflow.create(tmp_path / "airflow", {
        "AIRFLOW_VAR_STEPPEWATCH_REPLAY_URL": replay.url,
        "AIRFLOW_VAR_STEPPEWATCH_OUTLETS": ",".join(TEST_OUTLETS),
        "AIRFLOW_CONN_SMTP_DEFAULT": json.dumps({
            "conn_type": "smtp", "host": "127.0.0.1", "port": smtp.port,
            "extra": {"disable_ssl": True, "disable_tls": True,
                      "from_email": "steppewatch@example.org"}}),
        "STEPPEWATCH_DATABASE_URL": project_db,
        "STEPPEWATCH_VAR_DIR": str(tmp_path / "var"),
        "STEPPEWATCH_RECIPIENTS": "analyst@example.org",
    })
    airflow.cli("db", "migrate")
    engine = make_engine(project_db)

    # crawl: the run's data interval, one mapped task per outlet
    airflow.cli("dags", "test", "steppewatch_crawl", CRAWL_DATE)
    with engine.connect() as conn:
        runs = conn.execute(select(CrawlRun.outlet_id, CrawlRun.run_key, CrawlRun.status,
                                   CrawlRun.since, CrawlRun.until)).all()
        articles = conn.execute(select(Article.canonical_url, Article.published_at,
                                       Article.date_source)).all()
    assert sorted(r.outlet_id for r in runs) == sorted(TEST_OUTLETS)
    assert {r.run_key for r in runs} == {"airflow-20250609T2300-20250610T0000"}
    assert all(r.status == "ok" for r in runs)
    assert {(_utc(r.since), _utc(r.until)) for r in runs} == {INTERVAL}
    truth = ground_truth(base_url=replay.url)["pieces"].values()
    due = {canonical_url(p["url"]) for p in truth if p["outlet"] in TEST_OUTLETS and p["date_mode"] != "none"
           and INTERVAL[0] <= datetime.fromisoformat(p["published"]) < INTERVAL[1]}
    stored = {a.canonical_url for a in articles}
    assert due <= stored
    assert articles, "the interval's crawl stored nothing"
    # Nothing from outside the interval (the crawler allows one day of clock and zone skew).
    assert all(INTERVAL[0] <= _utc(a.published_at) <= INTERVAL[1] + timedelta(days=1)
               for a in articles if a.date_source != "crawl")

    # process: what the crawl stored is analysed
    airflow.cli("dags", "test", "steppewatch_process")
    with engine.connect() as conn:
        analysed = conn.execute(select(func.count(func.distinct(Analysis.article_id)))
                                ).scalar_one()
    assert analysed == len(articles)

    # digest: the week of the data interval, through smtp_default, exactly once
    airflow.cli("dags", "test", "steppewatch_weekly_digest", DIGEST_DATE)
    assert len(smtp.messages) == 1
    msg = smtp.messages[0]
    assert "2025-W24" in msg["Subject"]
    assert msg["X-Envelope-To"] == "analyst@example.org"
    assert msg["From"] == "steppewatch@example.org"
    assert msg.get_body(("html",)) is not None
    airflow.cli("dags", "test", "steppewatch_weekly_digest", DIGEST_DATE)
    assert len(smtp.messages) == 1, "a rerun sent the digest again"
    with engine.connect() as conn:
        digest = conn.execute(select(Digest.week, Digest.status)).one()
    assert tuple(digest) == ("2025-W24", "sent")
    engine.dispose()


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; the project stores UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

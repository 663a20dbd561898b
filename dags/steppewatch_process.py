"""
### steppewatch_process

Runs when new articles land: every successful outlet crawl of `steppewatch_crawl` updates
the asset `steppewatch_articles`, and the scheduler starts this DAG for the events queued
since its last run. It analyses every stored article that has no result for the current
seed profile (or whose text changed) and rebuilds the daily aggregates of the days touched.

What is pending is exactly what earlier runs left, so reruns and overlapping triggers
converge; one run at a time keeps two analysers from doing the same work.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.providers.smtp.notifications.smtp import SmtpNotifier
from airflow.sdk import Asset, conf, dag, task

from steppewatch import tasks

ARTICLES = Asset(name="steppewatch_articles", uri="steppewatch://articles")
RECIPIENTS = tasks.failure_recipients()
# Empty unless set (tests shorten it): `[steppewatch] retry_delay_seconds` for every task.
RETRY_DELAY = conf.get("steppewatch", "retry_delay_seconds", fallback="")


@dag(
    dag_id="steppewatch_process",
    schedule=[ARTICLES],
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["steppewatch", "analysis"],
    default_args={
        "retries": 2,
        "retry_delay": tasks.retry_delay(RETRY_DELAY, timedelta(minutes=2)),
        "execution_timeout": timedelta(hours=3),
        "on_failure_callback": [SmtpNotifier(to=RECIPIENTS)] if RECIPIENTS else [],
    },
)
def steppewatch_process() -> None:
    @task(doc_md="Analyse pending articles; update the daily aggregates.")
    def process() -> dict:
        return tasks.process_new()

    process()


steppewatch_process()

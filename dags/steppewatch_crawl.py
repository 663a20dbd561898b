"""
### steppewatch_crawl

Collects what every active outlet published during the run's **data interval**: one mapped
task per outlet, so outlets crawl in parallel on as many workers as there are, throttled by
the pool `steppewatch_crawl` (its slots = outlets crawled at once). Each run covers its own
interval only, so `airflow backfill create --dag-id steppewatch_crawl --from-date ... --to-date
...` (or *Trigger > Backfill* in the UI) collects the past from sitemaps, archives and
Telegram pagination. A rerun of an interval skips every URL already stored.

Every successful outlet crawl updates the asset `steppewatch_articles`, which triggers
`steppewatch_process`.

Configuration: the schedule is `[steppewatch] crawl_schedule` in Airflow's config
(`AIRFLOW__STEPPEWATCH__CRAWL_SCHEDULE`, a cron expression in UTC, default hourly). The
Airflow Variable `steppewatch_replay_url` (or `AIRFLOW_VAR_STEPPEWATCH_REPLAY_URL`) points
the crawl at a replay web instead of the live registry; `steppewatch_outlets` (comma-separated
ids) narrows it to some outlets. Project settings come from the `STEPPEWATCH_*` environment
of the workers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.providers.smtp.notifications.smtp import SmtpNotifier
from airflow.sdk import Asset, CronDataIntervalTimetable, conf, dag, task

from steppewatch import tasks

ARTICLES = Asset(name="steppewatch_articles", uri="steppewatch://articles")
CRAWL_POOL = "steppewatch_crawl"
RECIPIENTS = tasks.failure_recipients()
# Empty unless set (tests shorten it): `[steppewatch] retry_delay_seconds` for every task.
RETRY_DELAY = conf.get("steppewatch", "retry_delay_seconds", fallback="")
# Read at parse time from Airflow's own config, not a Variable: no database hit per parse.
SCHEDULE = conf.get("steppewatch", "crawl_schedule", fallback="0 * * * *")
REPLAY_URL = "{{ var.value.get('steppewatch_replay_url', '') }}"
ONLY_OUTLETS = "{{ var.value.get('steppewatch_outlets', '') }}"


@dag(
    dag_id="steppewatch_crawl",
    # Data intervals (not trigger-only cron): each run knows the window it must collect.
    schedule=CronDataIntervalTimetable(SCHEDULE, timezone="UTC"),
    start_date=datetime(2024, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=4,
    doc_md=__doc__,
    tags=["steppewatch", "crawl"],
    default_args={
        "retries": 2,
        "retry_delay": tasks.retry_delay(RETRY_DELAY, timedelta(minutes=5)),
        "retry_exponential_backoff": 2.0,
        "execution_timeout": timedelta(hours=2),
        "on_failure_callback": [SmtpNotifier(to=RECIPIENTS)] if RECIPIENTS else [],
    },
)
def steppewatch_crawl() -> None:
    @task(doc_md="Migrate the project database; list the outlet ids to crawl.")
    def plan(replay_url: str, only: str) -> list[str]:
        return tasks.plan_crawl(replay_url or None, only)

    @task(pool=CRAWL_POOL, outlets=[ARTICLES], map_index_template="{{ outlet_id }}",
          doc_md="Crawl one outlet for the run's data interval.")
    def crawl(outlet_id: str, replay_url: str, data_interval_start: datetime | None = None,
              data_interval_end: datetime | None = None) -> dict:
        return tasks.crawl_interval(data_interval_start, data_interval_end, outlet_id,
                                    replay_url=replay_url or None)

    crawl.partial(replay_url=REPLAY_URL).expand(outlet_id=plan(REPLAY_URL, ONLY_OUTLETS))


steppewatch_crawl()

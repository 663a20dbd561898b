"""
### steppewatch_weekly_digest

Mondays 08:00 Asia/Almaty: builds the weekly brief of shifts in volume and tone for the ISO
week complete at the end of the run's data interval (for the scheduled run: the week that
ended the night before) and e-mails it to `STEPPEWATCH_RECIPIENTS`.

SMTP: the project's settings (`STEPPEWATCH_SMTP__HOST` ...) when set, otherwise the Airflow
connection `smtp_default`; with neither, the brief is written to the outbox folder. A week
that was sent is not sent again by a rerun (`steppewatch digest --week ... --resend` forces
it); a failed send is recorded and retried.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from airflow.providers.smtp.notifications.smtp import SmtpNotifier
from airflow.sdk import CronTriggerTimetable, conf, dag, task

from steppewatch import tasks

SMTP_CONN_ID = "smtp_default"
TIMEZONE = "Asia/Almaty"  # the analysts' morning; weeks themselves use settings.timezone
RECIPIENTS = tasks.failure_recipients()
# Empty unless set (tests shorten it): `[steppewatch] retry_delay_seconds` for every task.
RETRY_DELAY = conf.get("steppewatch", "retry_delay_seconds", fallback="")


@dag(
    dag_id="steppewatch_weekly_digest",
    # The interval makes each run's data interval the week before its Monday morning.
    schedule=CronTriggerTimetable("0 8 * * 1", timezone=TIMEZONE, interval=timedelta(weeks=1)),
    start_date=datetime(2025, 1, 6, 8, tzinfo=ZoneInfo(TIMEZONE)),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["steppewatch", "digest"],
    default_args={
        "retries": 3,
        "retry_delay": tasks.retry_delay(RETRY_DELAY, timedelta(minutes=10)),
        "execution_timeout": timedelta(hours=1),
        "on_failure_callback": [SmtpNotifier(to=RECIPIENTS)] if RECIPIENTS else [],
    },
)
def steppewatch_weekly_digest() -> None:
    @task(doc_md="Build and deliver the digest of the week; record it.")
    def digest(data_interval_end: datetime | None = None) -> dict:
        return tasks.weekly_digest(data_interval_end, smtp_conn_id=SMTP_CONN_ID)

    digest()


steppewatch_weekly_digest()

"""Task-level entry points for a scheduler (the Airflow DAGs in ``dags/``).

Each function is one task: it reads the settings at this edge, works on the interval it is
given (never "the latest"), and converges when it runs again - crawl runs are keyed by the
interval, analyses and digests by their natural keys. Return values are small JSON-able
dicts, so that they show up in the scheduler's UI (XCom) without dragging objects along.

Nothing here imports Airflow except ``airflow_smtp``, which reads an Airflow connection
lazily; the rest runs from a plain Python shell too.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

from crawlers.registry import OutletSpec, RegistryError, load_manifest, load_registry, select
from crawlers.runner import crawl
from pipeline.config import Settings, SmtpSettings, load_settings
from pipeline.store.db import StoreError, make_engine
from pipeline.store.migrate import ensure_schema, status

log = logging.getLogger(__name__)


class TaskError(RuntimeError):
    """The task did not do its job; raising makes the scheduler retry and alert."""


# --- outlets ------------------------------------------------------------------------------


def outlets(replay_url: str | None = None, only: str | Iterable[str] = ()) -> list[OutletSpec]:
    """The active outlets of the live registry, or of a replay web when ``replay_url`` is set;
    ``only`` narrows them to some ids (a comma-separated string, as an Airflow Variable holds).
    """
    wanted = [i.strip() for i in (only.split(",") if isinstance(only, str) else only)
              if i.strip()]
    try:
        registry = load_manifest(replay_url, timeout=30) if replay_url else load_registry()
        chosen = select(registry, wanted)
    except RegistryError as exc:
        raise TaskError(str(exc)) from exc
    return [spec for spec in chosen if spec.active]


def plan_crawl(replay_url: str | None = None, only: str | Iterable[str] = (),
               settings: Settings | None = None) -> list[str]:
    """Migrate the project database, then list the outlet ids to crawl (one mapped task each).

    The schema is brought up to date here, once per run, because the mapped crawls of a run
    start together; ``migrate`` also copes with several runs (a backfill) starting together.
    """
    settings = settings or load_settings()
    engine = make_engine(settings.effective_database_url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    ids = [spec.id for spec in outlets(replay_url, only)]
    if not ids:
        raise TaskError("no active outlets to crawl")
    return ids


# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises migrations.
_MIGRATION_LOCK = 0x5354455050455741  # "STEPPEWA"


def migrate(engine: Engine) -> None:
    """``ensure_schema`` that is safe when several tasks start together on a fresh database:
    on PostgreSQL one migrates while the others wait on an advisory lock; on SQLite a loser
    of the race finds the schema up to date once the winner is done."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK})
            try:
                ensure_schema(engine)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK})
                conn.commit()
        return
    try:
        ensure_schema(engine)
    except StoreError:
        time.sleep(2)
        if not status(engine).up_to_date:
            raise


# --- crawl --------------------------------------------------------------------------------


def interval_key(start: datetime, end: datetime) -> str:
    """The crawl_runs key of an interval: a rerun or retry of it updates the same rows."""
    return f"airflow-{_utc(start):%Y%m%dT%H%M}-{_utc(end):%Y%m%dT%H%M}"


def crawl_interval(start: datetime | None, end: datetime | None, outlet_id: str, *,
                   replay_url: str | None = None,
                   settings: Settings | None = None) -> dict[str, Any]:
    """Collect what ``outlet_id`` published in [start, end] and store it.

    Articles already stored are skipped by URL, so rerunning an interval adds nothing; an
    outlet whose every listing failed raises (the scheduler retries, then alerts), while a
    partial crawl succeeds with its errors recorded in crawl_runs.
    """
    if start is None or end is None:
        raise TaskError("the run has no data interval: trigger it with a logical date")
    settings = settings or load_settings()
    start, end = _utc(start), _utc(end)
    specs = outlets(replay_url, [outlet_id])
    if not specs:
        raise TaskError(f"{outlet_id}: not an active outlet")
    run_key = interval_key(start, end)
    log_path = settings.var_dir / "logs" / f"{run_key}-{outlet_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    summary = crawl(settings, specs, start, end, run_key=run_key, log_path=log_path)
    run = next((r for r in summary.outlets if r.outlet_id == outlet_id), None)
    if run is None:
        raise TaskError(f"{outlet_id}: the crawl left no crawl_runs record; log: {log_path}")
    result = {"outlet": outlet_id, "run_key": run_key, "status": run.status,
              "stored": run.count("stored/"), "errors": len(run.errors),
              "seconds": round(summary.seconds, 1)}
    log.info("crawl %s", result)
    if run.status == "failed":
        kinds = sorted({e.get("kind", "?") for e in run.errors})
        raise TaskError(f"{outlet_id}: every listing failed ({', '.join(kinds)}); "
                        f"log: {log_path}")
    return result


# --- process ------------------------------------------------------------------------------


def process_new(settings: Settings | None = None) -> dict[str, Any]:
    """Analyse every stored article that lacks a result for the current profile and rebuild
    the daily aggregates of the days touched. Not tied to an interval: what is pending is
    exactly what a previous run (or a crash) left, so reruns converge."""
    from pipeline.analyze import Analyzer
    from pipeline.process import process
    from pipeline.profile import load_profile

    settings = settings or load_settings()
    engine = make_engine(settings.effective_database_url)
    try:
        migrate(engine)
        profile = load_profile(settings.profile_path)
        summary = process(engine, Analyzer(profile, entities="relevant"), tz=settings.tz)
    finally:
        engine.dispose()
    result = {"profile": profile.version, "analysed": summary.analysed,
              "relevant": summary.relevant, "failed": summary.failed,
              "days_rebuilt": summary.days_rebuilt}
    log.info("process %s", result)
    if summary.failed:
        # The good results are committed; a retry re-attempts only the failed articles.
        raise TaskError(f"{summary.failed} article(s) failed analysis: "
                        + "; ".join(summary.errors[:5]))
    return result


# --- weekly digest ------------------------------------------------------------------------


def weekly_digest(interval_end: datetime | None, *, smtp_conn_id: str | None = None,
                  settings: Settings | None = None) -> dict[str, Any]:
    """Deliver the digest of the last ISO week complete at ``interval_end`` (in the settings'
    time zone): for the Monday 08:00 run, the week that ended the night before.

    SMTP: the project's settings when ``smtp.host`` is set, else the Airflow connection
    ``smtp_conn_id`` if it exists, else the outbox. A week already sent is not sent again.
    """
    from pipeline.profile import load_profile
    from reports.deliver import deliver
    from reports.labels import labels_from_profile
    from reports.weeks import IsoWeek

    if interval_end is None:
        raise TaskError("the run has no data interval: trigger it with a logical date")
    settings = settings or load_settings()
    if not settings.smtp.configured and smtp_conn_id:
        smtp = airflow_smtp(smtp_conn_id)
        if smtp is not None:
            settings = dataclasses.replace(settings, smtp=smtp)
    week = IsoWeek.last_completed(settings.tz, now=_utc(interval_end))
    profile = load_profile(settings.profile_path)
    engine = make_engine(settings.effective_database_url)
    try:
        migrate(engine)
        delivered = deliver(engine, settings, week, profile_version=profile.version,
                            labels=labels_from_profile(profile, settings.digest.language))
    finally:
        engine.dispose()
    result = {"week": delivered.week, "status": delivered.status,
              "subject": delivered.subject, "recipients": delivered.recipients,
              "attempts": delivered.attempts, "shifts": delivered.shifts,
              "paths": [str(p) for p in delivered.paths]}
    log.info("digest %s", result)
    if delivered.status == "unknown":
        # Maybe delivered by a run that died after handing it over: never resent by a retry;
        # the failure (and its e-mail) asks a person to check and to use --resend.
        raise TaskError(f"digest {delivered.week} may already have been delivered (Message-ID "
                        f"{delivered.message_id}); check the mailboxes, then "
                        "`steppewatch digest --resend` if it did not arrive")
    return result


def retry_delay(seconds: str, default: timedelta) -> timedelta:
    """A task's wait before a retry: ``default`` unless ``seconds`` (Airflow's
    ``[steppewatch] retry_delay_seconds``, empty when unset) says otherwise."""
    return timedelta(seconds=float(seconds)) if seconds.strip() else default


def failure_recipients(settings: Settings | None = None) -> list[str]:
    """Who hears about failed tasks: the digest's recipients (empty: nobody)."""
    return list((settings or load_settings()).recipients)


def airflow_smtp(conn_id: str) -> SmtpSettings | None:
    """The project's SMTP settings from an Airflow SMTP connection, or None if it is not
    defined. Mirrors the SMTP provider's extras: SSL unless ``disable_ssl``, then STARTTLS
    unless ``disable_tls``; ``from_email`` is the sender."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = Connection.get(conn_id)
    except AirflowNotFoundException:
        return None
    extra = conn.extra_dejson
    if not extra.get("disable_ssl", False):
        security = "ssl"
    elif not extra.get("disable_tls", False):
        security = "starttls"
    else:
        security = "none"
    defaults = SmtpSettings()
    return SmtpSettings(host=conn.host or "", port=conn.port or (465 if security == "ssl" else 587),
                        security=security, username=conn.login or "",
                        password=conn.password or "",
                        sender=extra.get("from_email") or defaults.sender,
                        timeout=float(extra.get("timeout", defaults.timeout)),
                        retries=int(extra.get("retry_limit", defaults.retries)))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise TaskError(f"naive datetime {moment}: the interval must carry a time zone")
    # pendulum's DateTime is a datetime subclass; a plain datetime keeps JSON/XCom simple.
    return datetime.fromtimestamp(moment.timestamp(), tz=UTC)

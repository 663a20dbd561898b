"""Deliver one week's digest exactly once: claim, build, render, record, send.

The ``digests`` row is the record. A delivery first claims the week (status ``sending``, in
one compare-and-set statement), so that two runs started together (a scheduler retry and a
manual command) never both send: the second finds the claim and fails with a clear error,
to be retried later; a claim older than ``SENDING_STALE`` (a run killed mid-send) may be
taken over. Then ``sent`` after a successful SMTP delivery (a rerun does nothing unless
``resend``), ``failed`` with the error and the number of attempts when SMTP would not take
it (a rerun tries again).

At most once: the Message-ID is recorded before the SMTP conversation starts. Once the server
has accepted the message (250 after DATA) the week is recorded as ``sent`` whatever happens
next: the record is retried (``RECORD_WAITS``), never the send, and an error after DATA is
only logged. A stale claim that already has a Message-ID (a run killed between handing the
message over and recording the answer) becomes ``unknown``: reported, and not sent again
without ``resend``. Without SMTP settings the outbox (``settings.outbox_dir``) is the
delivery: ``.eml`` and ``.html`` files, status ``outbox``, so nobody mistakes it for an
e-mail; once SMTP is configured, such a week can still be e-mailed.
A preview writes the files and leaves the record alone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from pipeline.config import Settings
from pipeline.store.db import session_scope
from pipeline.store.models import Digest
from pipeline.store.upsert import upsert
from reports.digest import build_digest
from reports.labels import Labels
from reports.mail import DeliveryError, build_message, send_smtp, write_outbox
from reports.render import render
from reports.weeks import IsoWeek

log = logging.getLogger(__name__)

# Shorter than the digest DAG's retry delay (10 minutes), so that the retry of a run killed
# while sending takes over its claim; far longer than a delivery takes (seconds).
SENDING_STALE = timedelta(minutes=8)
# Waits between attempts to record an accepted message as sent (about half a minute in all,
# longer than SQLite's busy timeout or a PostgreSQL fail-over).
RECORD_WAITS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)


@dataclass(frozen=True, kw_only=True)
class DeliveryResult:
    week: str
    status: str  # sent | outbox | preview | already_sent | unknown
    subject: str = ""
    recipients: list[str] = field(default_factory=list)
    attempts: int = 0
    paths: list[Path] = field(default_factory=list)
    shifts: int = 0  # entries of the brief (flagged shifts read together)
    refused: dict[str, str] = field(default_factory=dict)
    message_id: str | None = None


def deliver(engine: Engine, settings: Settings, week: IsoWeek, *, profile_version: str,
            send: bool = True, resend: bool = False, to: Sequence[str] = (),
            labels: Labels | None = None, now: datetime | None = None,
            sleep: Callable[[float], None] | None = None) -> DeliveryResult:
    """Build and deliver the digest of ``week``; raises ``DeliveryError`` if sending failed
    (after recording the failure), so that a scheduler retries the task."""
    key = str(week)
    now = now or datetime.now(UTC)
    if not send:
        data, rendered, msg, recipients = _build(engine, settings, week, profile_version,
                                                 to, labels)
        paths = write_outbox(rendered, msg, settings.outbox_dir, suffix="-preview")
        return DeliveryResult(week=key, status="preview", subject=rendered.subject,
                              recipients=recipients, paths=list(paths), shifts=len(data.entries))
    claim = _claim(engine, settings, week, profile_version=profile_version, now=now,
                   resend=resend)
    if isinstance(claim, DeliveryResult):
        return claim
    accepted: list[bool] = []  # set once the SMTP server took the message
    try:
        return _send(engine, settings, week, profile_version=profile_version, to=to,
                     labels=labels, now=now, sleep=sleep or time.sleep, accepted=accepted)
    except DeliveryError as exc:
        if exc.attempts == 0 and not accepted:  # refused before any attempt
            _release(engine, key, claim, str(exc))
        raise
    except BaseException as exc:  # a bug or an interrupt: free the week unless it went out
        if not accepted:
            _release(engine, key, claim, f"not delivered: {exc!r}")
        raise


def _build(engine: Engine, settings: Settings, week: IsoWeek, profile_version: str,
           to: Sequence[str], labels: Labels | None):
    recipients = list(to) or list(settings.recipients)
    data = build_digest(engine, settings, week, profile_version=profile_version, labels=labels)
    rendered = render(data)
    msg = build_message(rendered, sender=settings.smtp.sender, recipients=recipients)
    return data, rendered, msg, recipients


def _send(engine: Engine, settings: Settings, week: IsoWeek, *, profile_version: str,
          to: Sequence[str], labels: Labels | None, now: datetime,
          sleep: Callable[[float], None], accepted: list[bool]) -> DeliveryResult:
    """Deliver a claimed week: record the rendered digest, then e-mail it or write the outbox."""
    key = str(week)
    if settings.smtp.configured and not (list(to) or list(settings.recipients)):
        raise DeliveryError("no recipients: set `recipients` in the settings or pass --to")
    data, rendered, msg, recipients = _build(engine, settings, week, profile_version, to, labels)
    summary = data.to_summary()
    message_id = msg["Message-ID"] if settings.smtp.configured else None
    with session_scope(engine) as s:
        s.execute(update(Digest).where(Digest.week == key).values(
            period_start=data.period_start, period_end=data.period_end,
            profile_version=profile_version, subject=rendered.subject, recipients=recipients,
            html=rendered.html, text=rendered.text, summary=summary, rendered_at=now,
            message_id=message_id))

    if not settings.smtp.configured:
        paths = write_outbox(rendered, msg, settings.outbox_dir)
        _record(engine, key, status="outbox", sent_at=now, attempts=1, error=None,
                delivery={"transport": "outbox", "path": str(paths[0])}, summary=summary)
        return DeliveryResult(week=key, status="outbox", subject=rendered.subject,
                              recipients=recipients, attempts=1, paths=list(paths),
                              shifts=len(data.entries))
    try:
        report = send_smtp(msg, settings.smtp, recipients, sleep=sleep)
    except DeliveryError as exc:
        if exc.maybe_sent:  # handed over, no answer: maybe delivered, never resent by itself
            accepted.append(True)
            _record(engine, key, status="unknown", sent_at=None, attempts=exc.attempts,
                    error=str(exc), delivery=None, summary=summary)
            log.error("digest %s may have been delivered: %s", key, exc)
            return DeliveryResult(week=key, status="unknown", subject=rendered.subject,
                                  recipients=recipients, attempts=exc.attempts,
                                  shifts=len(data.entries), message_id=message_id)
        _record(engine, key, status="failed", sent_at=None, attempts=exc.attempts,
                error=str(exc), delivery=None, summary=summary)
        log.error("digest %s not sent: %s", key, exc)
        raise
    accepted.append(True)
    error = ("refused: " + "; ".join(f"{k} {v}" for k, v in report.refused.items())
             if report.refused else None)
    _record_accepted(engine, key, message_id=message_id, sent_at=datetime.now(UTC),
                     attempts=report.attempts, error=error, summary=summary,
                     delivery={"transport": "smtp", "host": settings.smtp.host,
                               "message_id": message_id})
    log.info("digest %s sent to %d recipient(s) in %d attempt(s)", key, len(recipients),
             report.attempts)
    return DeliveryResult(week=key, status="sent", subject=rendered.subject,
                          recipients=recipients, attempts=report.attempts,
                          shifts=len(data.entries), refused=report.refused,
                          message_id=message_id)


def _record_accepted(engine: Engine, week: str, *, message_id: str | None, **values) -> None:
    """Record an accepted message as sent: retry the record (never the send)."""
    for n, wait in enumerate((*RECORD_WAITS, None), 1):
        try:
            _record(engine, week, status="sent", **values)
            return
        except SQLAlchemyError as exc:
            if wait is None:
                raise DeliveryError(
                    f"the SMTP server accepted digest {week} (Message-ID {message_id}) but "
                    f"recording it failed {n} times: {type(exc).__name__}; it will show as "
                    "unknown and is not sent again without --resend",
                    attempts=values["attempts"]) from exc
            log.warning("digest %s accepted by SMTP; recording failed (%s), retrying in %.1fs",
                        week, type(exc).__name__, wait)
            time.sleep(wait)


def _record(engine: Engine, week: str, *, status: str, sent_at: datetime | None,
            attempts: int, error: str | None, delivery: dict | None, summary: dict) -> None:
    values: dict = {"status": status, "attempts": Digest.attempts + attempts, "error": error,
                    "summary": {**summary, "delivery": delivery} if delivery else summary}
    if sent_at is not None:
        values["sent_at"] = sent_at
    with session_scope(engine) as s:
        s.execute(update(Digest).where(Digest.week == week).values(**values))


def _claim(engine: Engine, settings: Settings, week: IsoWeek, *, profile_version: str,
           now: datetime, resend: bool) -> DeliveryResult | str:
    """Take the week for this delivery and return the status it had ("" for a new week), or
    a result when there is nothing to do.

    One INSERT ... ON CONFLICT DO UPDATE ... WHERE: a new week is inserted as ``sending``;
    an existing one becomes ``sending`` only if it is neither done nor claimed by a live run.
    Raises ``DeliveryError`` while another run holds the claim."""
    key = str(week)
    # With SMTP configured only an e-mail counts as done; without it, the outbox files too.
    # ``unknown`` may have been delivered: never sent again by itself either.
    done = ("sent", "unknown") if settings.smtp.configured else ("sent", "outbox", "unknown")
    table = Digest.__table__
    stale = table.c.rendered_at < now - SENDING_STALE
    free = or_(table.c.status != "sending", stale)
    guard = free if resend else and_(free, table.c.status.not_in(done))
    start, end = week.bounds(settings.tz)
    with session_scope(engine) as s:
        if not resend:  # a dead run that had handed the message over: maybe delivered
            s.execute(update(Digest).where(
                Digest.week == key, Digest.status == "sending", stale,
                Digest.message_id.is_not(None)).values(
                status="unknown", error="the run sending it stopped before recording the "
                "SMTP server's answer: it may have been delivered"))
        before = s.execute(select(Digest.status).where(Digest.week == key)).scalar()
        claimed = upsert(s, Digest, [{
            "week": key, "period_start": start, "period_end": end,
            "profile_version": profile_version, "status": "sending", "subject": "",
            "recipients": [], "html": "", "text": "", "summary": {}, "rendered_at": now,
            "attempts": 0, "error": None, "message_id": None}],
            key=["week"], update=["status", "rendered_at", "message_id"], only_if=guard,
            returning=["week"])
        if claimed:
            return before or ""
        existing = s.get(Digest, key)
        assert existing is not None  # the insert conflicted, so the row exists
        if existing.status in done and not resend:
            return DeliveryResult(
                week=key, status="unknown" if existing.status == "unknown" else "already_sent",
                subject=existing.subject, recipients=list(existing.recipients),
                attempts=existing.attempts, message_id=existing.message_id)
        since = existing.rendered_at
    raise DeliveryError(f"digest {key} is being delivered by another run (claimed "
                        f"{since:%Y-%m-%d %H:%M:%S} UTC); try again after "
                        f"{(since + SENDING_STALE):%H:%M:%S} UTC")


def _release(engine: Engine, week: str, previous: str, error: str) -> None:
    """Give a claimed week back after a failure before any sending: its earlier status (a
    new week becomes ``failed``), with the error, so the next run may try at once."""
    with session_scope(engine) as s:
        s.execute(update(Digest).where(Digest.week == week, Digest.status == "sending").values(
            status=previous if previous not in ("", "sending") else "failed", error=error))

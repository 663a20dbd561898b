"""Deliver one week's digest exactly once: build, render, record, send (or write the outbox).

The ``digests`` row is the record: ``rendered`` once built, ``sent`` after a successful
delivery (a rerun then does nothing unless ``resend``), ``failed`` with the error and the
number of attempts when SMTP would not take it (a rerun tries again). Without SMTP settings
the outbox (``settings.outbox_dir``) is the delivery: ``.eml`` and ``.html`` files.
A preview writes the files and leaves the record alone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, update

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


@dataclass(frozen=True, kw_only=True)
class DeliveryResult:
    week: str
    status: str  # sent | outbox | preview | already_sent
    subject: str = ""
    recipients: list[str] = field(default_factory=list)
    attempts: int = 0
    paths: list[Path] = field(default_factory=list)
    shifts: int = 0
    refused: dict[str, str] = field(default_factory=dict)


def deliver(engine: Engine, settings: Settings, week: IsoWeek, *, profile_version: str,
            send: bool = True, resend: bool = False, to: Sequence[str] = (),
            labels: Labels | None = None, now: datetime | None = None,
            sleep: Callable[[float], None] | None = None) -> DeliveryResult:
    """Build and deliver the digest of ``week``; raises ``DeliveryError`` if sending failed
    (after recording the failure), so that a scheduler retries the task."""
    key = str(week)
    recipients = list(to) or list(settings.recipients)
    if send and not resend:
        with session_scope(engine) as s:
            existing = s.get(Digest, key)
            if existing is not None and existing.status == "sent":
                return DeliveryResult(week=key, status="already_sent", subject=existing.subject,
                                      recipients=list(existing.recipients),
                                      attempts=existing.attempts)
    if send and settings.smtp.configured and not recipients:
        raise DeliveryError("no recipients: set `recipients` in the settings or pass --to")

    data = build_digest(engine, settings, week, profile_version=profile_version, labels=labels)
    rendered = render(data)
    msg = build_message(rendered, sender=settings.smtp.sender, recipients=recipients)
    if not send:
        paths = write_outbox(rendered, msg, settings.outbox_dir, suffix="-preview")
        return DeliveryResult(week=key, status="preview", subject=rendered.subject,
                              recipients=recipients, paths=list(paths), shifts=len(data.shifts))

    now = now or datetime.now(UTC)
    summary = data.to_summary()
    with session_scope(engine) as s:
        upsert(s, Digest, [{
            "week": key, "period_start": data.period_start, "period_end": data.period_end,
            "profile_version": profile_version, "status": "rendered",
            "subject": rendered.subject, "recipients": recipients, "html": rendered.html,
            "text": rendered.text, "summary": summary, "rendered_at": now, "attempts": 0,
            "error": None}],
            key=["week"], update=["period_start", "period_end", "profile_version", "status",
                                  "subject", "recipients", "html", "text", "summary",
                                  "rendered_at"])

    if not settings.smtp.configured:
        paths = write_outbox(rendered, msg, settings.outbox_dir)
        _record(engine, key, status="sent", sent_at=now, attempts=1, error=None,
                delivery={"transport": "outbox", "path": str(paths[0])}, summary=summary)
        return DeliveryResult(week=key, status="outbox", subject=rendered.subject,
                              recipients=recipients, attempts=1, paths=list(paths),
                              shifts=len(data.shifts))

    try:
        report = send_smtp(msg, settings.smtp, recipients, sleep=sleep or time.sleep)
    except DeliveryError as exc:
        _record(engine, key, status="failed", sent_at=None, attempts=exc.attempts,
                error=str(exc), delivery=None, summary=summary)
        log.error("digest %s not sent: %s", key, exc)
        raise
    error = ("refused: " + "; ".join(f"{k} {v}" for k, v in report.refused.items())
             if report.refused else None)
    _record(engine, key, status="sent", sent_at=datetime.now(UTC), attempts=report.attempts,
            error=error, summary=summary,
            delivery={"transport": "smtp", "host": settings.smtp.host,
                      "message_id": msg["Message-ID"]})
    log.info("digest %s sent to %d recipient(s) in %d attempt(s)", key, len(recipients),
             report.attempts)
    return DeliveryResult(week=key, status="sent", subject=rendered.subject,
                          recipients=recipients, attempts=report.attempts,
                          shifts=len(data.shifts), refused=report.refused)


def _record(engine: Engine, week: str, *, status: str, sent_at: datetime | None,
            attempts: int, error: str | None, delivery: dict | None, summary: dict) -> None:
    values: dict = {"status": status, "attempts": Digest.attempts + attempts, "error": error,
                    "summary": {**summary, "delivery": delivery} if delivery else summary}
    if sent_at is not None:
        values["sent_at"] = sent_at
    with session_scope(engine) as s:
        s.execute(update(Digest).where(Digest.week == week).values(**values))

"""At most once: a message the SMTP server accepted (250 after DATA) is never sent again by
itself, whatever fails afterwards: the database (a), the end of the session (b), the sending
process itself (c)."""

from __future__ import annotations

import dataclasses
import email
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from email import policy

import psycopg
import pytest
from sqlalchemy import text, update

from pipeline.store.db import session_scope
from pipeline.store.models import Digest
from reports.deliver import SENDING_STALE, deliver
from tests.reports import test_delivery as base
from tests.reports.builders import PV, WEEK
from tests.reports.test_delivery import Inbox, _row, _settings

smtp_server, world = base.smtp_server, base.world  # the fixtures of the delivery tests


def _message_id(raw: bytes) -> str:
    return email.message_from_bytes(raw, policy=policy.default)["Message-ID"]


class _Blip:
    """The project database unusable for a moment: the digests table renamed away."""

    def __init__(self, db_url: str) -> None:
        self.url = db_url

    def _ddl(self, sql: str) -> None:
        if self.url.startswith("sqlite"):
            con = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30)
            con.execute(sql)
            con.commit()
            con.close()
        else:
            with psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"),
                                 autocommit=True) as con:
                con.execute(sql)

    def start(self, seconds: float) -> None:
        self._ddl("ALTER TABLE digests RENAME TO digests_away")
        timer = threading.Timer(seconds, self._ddl, ["ALTER TABLE digests_away RENAME TO digests"])
        timer.start()
        self.timer = timer


class BreakAfterData(Inbox):
    def __init__(self, blip: _Blip) -> None:
        super().__init__()
        self.blip = blip

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        self.blip.start(2.0)  # before the client reads the 250: its record fails first
        return reply


def test_database_failing_after_data_records_sent_without_resending(world, db_url,
                                                                     smtp_server, tmp_path):
    blip = _Blip(db_url)
    inbox = BreakAfterData(blip)
    settings = _settings(tmp_path, smtp_server(inbox), retries=3)
    result = deliver(world, settings, WEEK, profile_version=PV, sleep=lambda s: None)
    blip.timer.join()
    assert result.status == "sent" and len(inbox.messages) == 1
    row = _row(world)
    assert row.status == "sent" and row.message_id == _message_id(inbox.messages[0][1])
    later = datetime.now(UTC) + SENDING_STALE * 2
    assert deliver(world, settings, WEEK, profile_version=PV, now=later).status == "already_sent"
    assert len(inbox.messages) == 1


class QuitWith421(Inbox):
    async def handle_QUIT(self, server, session, envelope):
        return "421 4.3.2 Service shutting down"


def test_421_to_quit_after_acceptance_is_one_delivery(world, smtp_server, tmp_path):
    inbox = QuitWith421()
    settings = _settings(tmp_path, smtp_server(inbox), retries=3)
    result = deliver(world, settings, WEEK, profile_version=PV, sleep=lambda s: None)
    assert result.status == "sent" and result.attempts == 1
    assert len(inbox.messages) == 1 and _row(world).status == "sent"


class LockAfterData(Inbox):
    """Accepts, and holds the database so that the sender is stuck recording the answer."""

    def __init__(self, db_url: str) -> None:
        super().__init__()
        self.url = db_url
        self.accepted = threading.Event()
        self.release = threading.Event()

    def _hold(self) -> None:
        if self.url.startswith("sqlite"):
            con = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30,
                                  isolation_level=None)
            con.execute("BEGIN EXCLUSIVE")
        else:
            con = psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"))
            con.execute("LOCK TABLE digests IN ACCESS EXCLUSIVE MODE")
        self.accepted.set()
        self.release.wait(60)
        con.rollback()
        con.close()

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        threading.Thread(target=self._hold, daemon=True).start()
        self.accepted.wait(30)
        return reply


def _digest_cli(db_url: str, tmp_path, port: int, *args: str) -> subprocess.Popen:
    env = {**os.environ, "STEPPEWATCH_DATABASE_URL": db_url,
           "STEPPEWATCH_VAR_DIR": str(tmp_path / "var"), "STEPPEWATCH_SMTP__HOST": "127.0.0.1",
           "STEPPEWATCH_SMTP__PORT": str(port), "STEPPEWATCH_SMTP__SECURITY": "none",
           "STEPPEWATCH_SMTP__RETRIES": "1"}
    env.pop("STEPPEWATCH_CONFIG", None)
    return subprocess.Popen([sys.executable, "-m", "steppewatch.cli", "digest", "--week",
                             str(WEEK), "--to", "analyst@example.kz", "--profile-version", PV,
                             *args], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_a_run_killed_after_250_is_unknown_not_resent(world, db_url, smtp_server, tmp_path):
    inbox = LockAfterData(db_url)
    port = smtp_server(inbox)
    proc = _digest_cli(db_url, tmp_path, port)
    assert inbox.accepted.wait(60), proc.communicate(timeout=5)
    time.sleep(0.5)  # the sender has the 250 and waits on the database to record it
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    inbox.release.set()
    assert len(inbox.messages) == 1
    sent_id = _message_id(inbox.messages[0][1])
    assert _row(world).status == "sending" and _row(world).message_id == sent_id

    # Within the stale window the claim still blocks; after it, the week is unknown.
    with session_scope(world) as s:
        s.execute(update(Digest).values(rendered_at=datetime.now(UTC) - SENDING_STALE * 2))
    rerun = _digest_cli(db_url, tmp_path, port)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 1, (out, err)
    assert "may already have been delivered" in err and sent_id in err
    assert len(inbox.messages) == 1 and _row(world).status == "unknown"
    assert deliver(world, _settings(tmp_path, port), WEEK,
                   profile_version=PV).status == "unknown"
    assert len(inbox.messages) == 1
    # --resend is the operator's decision.
    resent = _digest_cli(db_url, tmp_path, port, "--resend")
    out, err = resent.communicate(timeout=120)
    assert resent.returncode == 0, (out, err)
    assert len(inbox.messages) == 2 and _row(world).status == "sent"


def test_a_claim_killed_before_sending_is_taken_over(world, smtp_server, tmp_path):
    """Without a Message-ID nothing was handed over: a stale claim is simply sent."""
    inbox = Inbox()
    settings = _settings(tmp_path, smtp_server(inbox))
    assert deliver(world, settings, WEEK, profile_version=PV, send=True,
                   now=datetime.now(UTC)).status == "sent"
    with session_scope(world) as s:
        s.execute(text("UPDATE digests SET status = 'sending', message_id = NULL"))
    later = datetime.now(UTC) + SENDING_STALE * 2
    assert deliver(world, settings, WEEK, profile_version=PV, now=later).status == "sent"
    assert len(inbox.messages) == 2


def test_the_weekly_task_fails_loudly_on_an_unknown_week(world, smtp_server, tmp_path):
    from steppewatch.tasks import TaskError, weekly_digest

    inbox = Inbox()
    settings = _settings(tmp_path, smtp_server(inbox))
    start, end = WEEK.bounds(settings.tz)
    with session_scope(world) as s:
        s.add(Digest(week=str(WEEK), period_start=start, period_end=end, profile_version=PV,
                     status="unknown", subject="", recipients=[], html="", text="",
                     summary={}, rendered_at=datetime.now(UTC), attempts=1,
                     message_id="<x@steppewatch>"))
    settings = dataclasses.replace(settings, database_url=str(world.url.render_as_string(
        hide_password=False)))
    with pytest.raises(TaskError, match="may already have been delivered"):
        weekly_digest(end + SENDING_STALE, settings=settings)
    assert inbox.messages == []


class HangUpAfterData(Inbox):
    """Takes the whole message, then drops the connection instead of answering."""

    async def handle_DATA(self, server, session, envelope):
        await super().handle_DATA(server, session, envelope)
        server.transport.close()
        return "250 never heard"


def test_no_answer_to_a_complete_message_is_unknown_not_retried(world, smtp_server,
                                                                tmp_path):
    inbox = HangUpAfterData()
    settings = _settings(tmp_path, smtp_server(inbox), retries=3)
    result = deliver(world, settings, WEEK, profile_version=PV, sleep=lambda s: None)
    assert result.status == "unknown" and len(inbox.messages) == 1
    row = _row(world)
    assert row.status == "unknown" and row.message_id == _message_id(inbox.messages[0][1])
    assert "before the answer" in row.error
    assert deliver(world, settings, WEEK, profile_version=PV).status == "unknown"
    assert len(inbox.messages) == 1

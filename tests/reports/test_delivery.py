"""Delivery through a real SMTP server (aiosmtpd on 127.0.0.1), failures, and the outbox."""

from __future__ import annotations

import email
import socket
import threading
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from pipeline.config import Settings, SmtpSettings
from pipeline.store.db import session_scope
from pipeline.store.models import Digest
from reports.deliver import SENDING_STALE, deliver
from reports.mail import DeliveryError
from tests.reports.builders import PV, WEEK, scenario, write, write_outlets

RECIPIENTS = ("analyst@example.kz", "desk@example.org")


class Inbox:
    """An aiosmtpd handler that keeps what it receives, or refuses with a scripted reply."""

    def __init__(self, replies: list[str] | None = None) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.replies = list(replies or [])

    async def handle_DATA(self, server, session, envelope):
        if self.replies:
            return self.replies.pop(0)
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content
                              or envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    started: list[Controller] = []

    def start(handler: Inbox, port: int | None = None) -> int:
        port = port or _free_port()
        ctl = Controller(handler, hostname="127.0.0.1", port=port)
        ctl.start()
        started.append(ctl)
        return port

    yield start
    for ctl in started:
        ctl.stop()


@pytest.fixture
def world(engine):
    write_outlets(engine)
    stories, runs = scenario()
    write(engine, stories, runs)
    return engine


def _settings(tmp_path, port: int, retries: int = 2) -> Settings:
    return Settings(var_dir=tmp_path / "var", recipients=RECIPIENTS,
                    smtp=SmtpSettings(host="127.0.0.1", port=port, security="none",
                                      retries=retries, timeout=5,
                                      sender="steppewatch <digest@steppewatch.test>"))


def _row(engine) -> Digest | None:
    with session_scope(engine) as s:
        return s.execute(select(Digest).where(Digest.week == str(WEEK))).scalar_one_or_none()


def _parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def test_digest_arrives_once_with_text_html_and_cid_images(world, smtp_server, tmp_path):
    inbox = Inbox()
    port = smtp_server(inbox)
    settings = _settings(tmp_path, port)
    result = deliver(world, settings, WEEK, profile_version=PV, sleep=lambda s: None)
    assert result.status == "sent" and result.attempts == 1
    assert len(inbox.messages) == 1
    rcpts, raw = inbox.messages[0]
    assert sorted(rcpts) == sorted(RECIPIENTS)

    msg = _parse(raw)
    assert msg["Subject"] == "steppewatch weekly brief 2025-W24: 3 shifts, 52 pieces"
    assert msg.get_content_type() == "multipart/alternative"
    text_part, related = msg.get_payload()
    assert text_part.get_content_type() == "text/plain"
    assert text_part.get_content_charset() == "utf-8"
    assert related.get_content_type() == "multipart/related"
    html_part, *images = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    assert html_part.get_content_charset() == "utf-8"
    html, text = html_part.get_content(), text_part.get_content()
    assert len(images) == 2
    for img in images:
        assert img.get_content_type() == "image/png"
        cid = img["Content-ID"].strip("<>")
        assert f'src="cid:{cid}"' in html
        assert img.get_content().startswith(b"\x89PNG\r\n\x1a\n")

    # The numbers shown are the database's: the stored summary and the text agree.
    row = _row(world)
    assert row is not None and row.status == "sent" and row.attempts == 1 and row.error is None
    assert row.sent_at is not None and row.recipients == list(RECIPIENTS)
    total = row.summary["total"]
    assert (total["pieces"], total["copies"]) == (52, 30)
    assert "52 relevant pieces this week (30 further copies)" in text
    assert "52 relevant pieces this week (30 further copies)" in html
    tur = next(r for r in row.summary["volume"]["partner"] if r["key"] == "TUR")
    assert tur["pieces"] == 30 and tur["flagged"]
    assert "Қазақстан және Түркия" in text and "Қазақстан және Түркия" in html
    assert "«Предложение-доказательство" in text

    # A rerun does not send again; --resend does.
    again = deliver(world, settings, WEEK, profile_version=PV)
    assert again.status == "already_sent" and len(inbox.messages) == 1
    resent = deliver(world, settings, WEEK, profile_version=PV, resend=True, to=["x@example.kz"])
    assert resent.status == "sent" and len(inbox.messages) == 2
    assert inbox.messages[1][0] == ["x@example.kz"]
    assert _row(world).attempts == 2


def test_smtp_down_records_the_failure_and_a_rerun_sends_once(world, smtp_server, tmp_path):
    port = _free_port()  # nothing listens here yet
    settings = _settings(tmp_path, port, retries=3)
    waits: list[float] = []
    with pytest.raises(DeliveryError, match=r"unreachable after 3 attempt\(s\)"):
        deliver(world, settings, WEEK, profile_version=PV, sleep=waits.append)
    assert waits == [2.0, 4.0]
    row = _row(world)
    assert row.status == "failed" and row.attempts == 3 and row.sent_at is None
    assert "ConnectionRefusedError" in row.error
    assert row.summary["total"]["pieces"] == 52  # rendered and kept: nothing is lost

    inbox = Inbox()
    smtp_server(inbox, port)
    assert deliver(world, settings, WEEK, profile_version=PV).status == "sent"
    assert deliver(world, settings, WEEK, profile_version=PV).status == "already_sent"
    assert len(inbox.messages) == 1
    row = _row(world)
    assert row.status == "sent" and row.attempts == 4 and row.error is None


def test_smtp_refusal_is_permanent_and_not_retried(world, smtp_server, tmp_path):
    inbox = Inbox(replies=["554 5.7.1 Message rejected as spam"])
    settings = _settings(tmp_path, smtp_server(inbox), retries=3)
    with pytest.raises(DeliveryError, match=r"refused the digest: 554 5\.7\.1 Message rejected"):
        deliver(world, settings, WEEK, profile_version=PV, sleep=lambda s: None)
    row = _row(world)
    assert row.status == "failed" and row.attempts == 1 and "554" in row.error
    assert deliver(world, settings, WEEK, profile_version=PV).status == "sent"
    assert len(inbox.messages) == 1


def test_temporary_failure_is_retried_within_one_delivery(world, smtp_server, tmp_path):
    inbox = Inbox(replies=["451 4.3.0 Try again later"])
    settings = _settings(tmp_path, smtp_server(inbox), retries=3)
    result = deliver(world, settings, WEEK, profile_version=PV, sleep=lambda s: None)
    assert result.status == "sent" and result.attempts == 2 and len(inbox.messages) == 1


def test_without_smtp_the_outbox_is_the_delivery(world, tmp_path):
    settings = Settings(var_dir=tmp_path / "var")
    result = deliver(world, settings, WEEK, profile_version=PV)
    assert result.status == "outbox"
    eml, html = result.paths
    assert eml == tmp_path / "var" / "outbox" / "digest-2025-W24.eml" and eml.is_file()
    assert html.read_text(encoding="utf-8").count('src="data:image/png;base64,') == 2
    assert _parse(eml.read_bytes())["Subject"].startswith("steppewatch weekly brief 2025-W24")
    assert _row(world).status == "outbox"  # never mistaken for an e-mail
    assert _row(world).summary["delivery"]["transport"] == "outbox"
    assert deliver(world, settings, WEEK, profile_version=PV).status == "already_sent"


def test_a_week_written_to_the_outbox_is_mailed_once_smtp_is_configured(world, smtp_server,
                                                                         tmp_path):
    assert deliver(world, Settings(var_dir=tmp_path / "var"), WEEK,
                   profile_version=PV).status == "outbox"
    inbox = Inbox()
    settings = _settings(tmp_path, smtp_server(inbox))
    assert deliver(world, settings, WEEK, profile_version=PV).status == "sent"
    assert deliver(world, settings, WEEK, profile_version=PV).status == "already_sent"
    assert len(inbox.messages) == 1 and _row(world).status == "sent"


def test_a_week_claimed_by_another_run_is_not_sent_twice(world, smtp_server, tmp_path):
    inbox = Inbox()
    settings = _settings(tmp_path, smtp_server(inbox))
    claimed_at = datetime.now(UTC) - timedelta(minutes=1)
    _claim_as_other_run(world, claimed_at)
    with pytest.raises(DeliveryError, match="being delivered by another run"):
        deliver(world, settings, WEEK, profile_version=PV)
    assert inbox.messages == [] and _row(world).status == "sending"
    # A claim older than SENDING_STALE is a run that died mid-send: taken over.
    later = claimed_at + SENDING_STALE + timedelta(seconds=1)
    assert deliver(world, settings, WEEK, profile_version=PV, now=later).status == "sent"
    assert len(inbox.messages) == 1 and _row(world).status == "sent"


def test_concurrent_deliveries_send_one_message(world, smtp_server, tmp_path):
    inbox = Inbox()
    settings = _settings(tmp_path, smtp_server(inbox))
    outcomes: list[str] = []

    def run() -> None:
        try:
            outcomes.append(deliver(world, settings, WEEK, profile_version=PV).status)
        except DeliveryError as exc:
            outcomes.append("busy" if "another run" in str(exc) else repr(exc))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("sent") == 1, outcomes
    assert set(outcomes) <= {"sent", "busy", "already_sent"}, outcomes
    assert len(inbox.messages) == 1 and _row(world).status == "sent"


def test_a_delivery_that_cannot_start_frees_the_week(world, smtp_server, tmp_path):
    inbox = Inbox()
    port = smtp_server(inbox)
    nobody = Settings(var_dir=tmp_path / "var", recipients=(),
                      smtp=SmtpSettings(host="127.0.0.1", port=port, security="none"))
    with pytest.raises(DeliveryError, match="no recipients"):
        deliver(world, nobody, WEEK, profile_version=PV)
    assert _row(world).status == "failed" and "no recipients" in _row(world).error
    assert deliver(world, _settings(tmp_path, port), WEEK, profile_version=PV).status == "sent"
    assert len(inbox.messages) == 1


def _claim_as_other_run(engine, at: datetime) -> None:
    start, end = WEEK.bounds(Settings().tz)
    with session_scope(engine) as s:
        s.add(Digest(week=str(WEEK), period_start=start, period_end=end, profile_version=PV,
                     status="sending", subject="", recipients=[], html="", text="",
                     summary={}, rendered_at=at, attempts=0))


def test_preview_writes_files_and_records_nothing(world, tmp_path):
    settings = _settings(tmp_path, _free_port())  # SMTP configured but never contacted
    result = deliver(world, settings, WEEK, profile_version=PV, send=False)
    assert result.status == "preview"
    assert [p.name for p in result.paths] == ["digest-2025-W24-preview.eml",
                                              "digest-2025-W24-preview.html"]
    assert _row(world) is None

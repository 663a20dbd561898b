"""The digest as a MIME message, sent over SMTP with retries or written to the outbox.

Structure (what Gmail and Outlook render, with the charts inline):

    multipart/alternative
    ├── text/plain; charset=utf-8
    └── multipart/related
        ├── text/html; charset=utf-8      <img src="cid:volume.2025-W24@steppewatch">
        ├── image/png  Content-ID: <volume.2025-W24@steppewatch>
        └── image/png  Content-ID: <tone.2025-W24@steppewatch>
"""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path

from pipeline.config import SmtpSettings
from reports.render import Rendered

log = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 2.0  # waits 2, 4, 8 ... seconds between attempts


class DeliveryError(RuntimeError):
    """The digest could not be delivered; the message says why, ``attempts`` how often we tried.
    ``maybe_sent``: the whole message had been handed over when the session broke, before the
    server's answer: it may have been accepted, so it must not be sent again by itself."""

    def __init__(self, message: str, *, attempts: int = 0, maybe_sent: bool = False) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.maybe_sent = maybe_sent


class _Phases:
    """Mixin: knows when the message's content has been sent in full (after DATA's 354)."""

    phase = ""

    def putcmd(self, cmd, args=""):
        if cmd.lower() == "data":
            self.phase = "data"
        super().putcmd(cmd, args)  # type: ignore[misc]

    def getreply(self):
        code, msg = super().getreply()  # type: ignore[misc]
        if self.phase == "data" and code == 354:
            self.phase = "body"
        return code, msg

    def send(self, s):
        super().send(s)  # type: ignore[misc]
        if self.phase == "body":
            self.phase = "sent"  # the content and its final "." are out: only the answer left


class _SMTP(_Phases, smtplib.SMTP):
    pass


class _SMTP_SSL(_Phases, smtplib.SMTP_SSL):
    pass


def build_message(rendered: Rendered, *, sender: str, recipients: Sequence[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = rendered.subject
    msg["From"] = sender
    if recipients:
        msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=rendered.week, domain="steppewatch")
    # base64 for every text part: Cyrillic and Kazakh survive any relay, 8BITMIME or not.
    msg.set_content(rendered.text, subtype="plain", charset="utf-8", cte="base64")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="base64")
    html_part = next(p for p in msg.iter_parts() if p.get_content_type() == "text/html")
    for cid, png in rendered.images.items():
        html_part.add_related(png, maintype="image", subtype="png", cid=f"<{cid}>",
                              filename=cid.split("@")[0] + ".png", disposition="inline")
    return msg


def write_outbox(rendered: Rendered, msg: EmailMessage, outbox: Path, *,
                 suffix: str = "") -> tuple[Path, Path]:
    """Write ``digest-<week><suffix>.eml`` and ``.html`` (images inlined); returns both paths."""
    outbox.mkdir(parents=True, exist_ok=True)
    stem = outbox / f"digest-{rendered.week}{suffix}"
    eml, html = stem.with_suffix(".eml"), stem.with_suffix(".html")
    eml.write_bytes(msg.as_bytes())
    html.write_text(rendered.standalone_html(), encoding="utf-8")
    return eml, html


# Failures that another attempt cannot fix: wrong credentials, refused sender or recipients,
# a server that speaks no TLS when we require it.
_PERMANENT = (smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused,
              smtplib.SMTPRecipientsRefused, smtplib.SMTPNotSupportedError, ssl.SSLError)


@dataclass(frozen=True, kw_only=True)
class SendReport:
    attempts: int
    refused: dict[str, str]  # recipients the server refused while accepting the others


def send_smtp(msg: EmailMessage, smtp: SmtpSettings, recipients: Sequence[str], *,
              sleep: Callable[[float], None] = time.sleep,
              retry_base: float = RETRY_BASE_SECONDS) -> SendReport:
    """Send with up to ``smtp.retries`` attempts; raises ``DeliveryError`` with the last error."""
    if not recipients:
        raise DeliveryError("no recipients: set `recipients` in the settings or pass --to")
    sender = getaddresses([smtp.sender])[0][1] or smtp.sender
    tries = max(1, smtp.retries)
    last = ""
    for attempt in range(1, tries + 1):
        try:
            refused = _send_once(msg, smtp, sender, list(recipients))
            return SendReport(attempts=attempt,
                              refused={k: f"{v[0]} {v[1]!r}" for k, v in refused.items()})
        except _MaybeSent as exc:  # never retried: the server may hold it already
            raise DeliveryError(f"SMTP {smtp.host}:{smtp.port}: the session broke after the "
                                f"whole message was sent, before the answer: "
                                f"{_describe(exc.cause)}", attempts=attempt,
                                maybe_sent=True) from exc.cause
        except _PERMANENT as exc:
            raise DeliveryError(f"SMTP {smtp.host}:{smtp.port} refused the digest: "
                                f"{_describe(exc)}", attempts=attempt) from exc
        except smtplib.SMTPResponseException as exc:
            last = _describe(exc)
            if 500 <= exc.smtp_code < 600:  # a permanent reply: retrying only repeats it
                raise DeliveryError(f"SMTP {smtp.host}:{smtp.port} refused the digest: {last}",
                                    attempts=attempt) from exc
        except (OSError, smtplib.SMTPException) as exc:  # refused, reset, timeout, DNS ...
            last = _describe(exc)
        log.warning("SMTP attempt %d/%d to %s:%s failed: %s", attempt, tries, smtp.host,
                    smtp.port, last)
        if attempt < tries:
            sleep(retry_base * 2 ** (attempt - 1))
    raise DeliveryError(f"SMTP {smtp.host}:{smtp.port} unreachable after {tries} attempt(s): "
                        f"{last}", attempts=tries)


def _send_once(msg: EmailMessage, smtp: SmtpSettings, sender: str,
               recipients: list[str]) -> dict:
    context = ssl.create_default_context()
    client: _SMTP | _SMTP_SSL
    if smtp.security == "ssl":
        client = _SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = _SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        client.ehlo()
        if smtp.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if smtp.username:
            client.login(smtp.username, smtp.password)
        refused = client.send_message(msg, from_addr=sender, to_addrs=recipients)
    except (OSError, smtplib.SMTPException) as exc:
        client.close()
        if client.phase == "sent" and not isinstance(exc, smtplib.SMTPResponseException):
            raise _MaybeSent(exc) from exc  # no answer to a complete message: ambiguous
        raise
    except BaseException:
        client.close()
        raise
    # The server answered 250 to DATA: the digest is accepted. Nothing after this (a 421 to
    # QUIT, a reset connection) can undo that, so it must never count as a failed send.
    try:
        client.quit()
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("SMTP %s:%s accepted the digest; closing the session failed: %s",
                    smtp.host, smtp.port, _describe(exc))
        client.close()
    return refused


class _MaybeSent(Exception):
    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "recipients refused: " + ", ".join(exc.recipients)
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}"

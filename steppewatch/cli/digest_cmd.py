"""`steppewatch digest [--week 2025-W24] [--send | --preview] [--to ADDR ...] [--resend]`."""

from __future__ import annotations

import click

from pipeline.profile import ProfileError, load_profile
from reports.deliver import deliver
from reports.labels import labels_from_profile
from reports.mail import DeliveryError
from reports.weeks import IsoWeek
from steppewatch.cli.context import AppContext, pass_app


def _week(_ctx: click.Context, _param: click.Parameter, value: str | None) -> IsoWeek | None:
    if value is None:
        return None
    try:
        return IsoWeek.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command("digest")
@click.option("--week", callback=_week, metavar="YYYY-Www",
              help="ISO week to report (default: the week that just ended in the configured "
                   "time zone).")
@click.option("--send/--preview", "send", default=True, show_default=True,
              help="Send (SMTP, or the outbox when no SMTP is configured) and record it, or "
                   "only write the files to the outbox without recording anything.")
@click.option("--to", "to", multiple=True, metavar="ADDR",
              help="Recipient, repeatable; replaces the configured recipients.")
@click.option("--resend", is_flag=True, help="Send again a week that was already sent.")
@click.option("--profile-version", default=None,
              help="Analyses to read (default: the version of the current seed profile).")
@pass_app
def command(app: AppContext, week: IsoWeek | None, send: bool, to: tuple[str, ...],
            resend: bool, profile_version: str | None) -> None:
    """Build the weekly digest of shifts in volume and tone and deliver it once."""
    settings = app.settings
    week = week or IsoWeek.last_completed(settings.tz)
    for addr in to:
        if "@" not in addr:
            raise click.BadParameter(f"not an e-mail address: {addr!r}", param_hint="--to")
    try:
        profile = load_profile(settings.profile_path)
    except (ProfileError, OSError) as exc:
        raise click.ClickException(f"cannot load the seed profile: {exc}") from exc
    try:
        result = deliver(app.engine(), settings, week,
                         profile_version=profile_version or profile.version, send=send,
                         resend=resend, to=to,
                         labels=labels_from_profile(profile, settings.digest.language))
    except DeliveryError as exc:
        click.secho(f"error: digest {week} not sent: {exc}", fg="red", err=True)
        raise SystemExit(1) from exc
    if result.status == "unknown":
        click.secho(f"warning: digest {week} may already have been delivered: it was handed "
                    "to the SMTP server but its answer was never recorded (a run stopped, or "
                    f"the session broke; Message-ID {result.message_id}); check the "
                    "recipients' mailboxes and use --resend to send it again", fg="yellow",
                    err=True)
        raise SystemExit(1)
    if result.status == "already_sent":
        click.echo(f"{week}: already sent to {', '.join(result.recipients) or 'the outbox'}; "
                   "use --resend to send it again")
    elif result.status == "sent":
        click.echo(f"{week}: sent to {', '.join(result.recipients)} "
                   f"({_count(result.shifts, 'shift')}, {_count(result.attempts, 'attempt')})")
        for addr, why in result.refused.items():
            click.secho(f"warning: {addr} refused: {why}", fg="yellow", err=True)
    else:  # outbox or preview: the files are the delivery
        label = "preview written" if result.status == "preview" else "no SMTP configured; written"
        click.echo(f"{week}: {label} ({_count(result.shifts, 'shift')}):")
        for path in result.paths:
            click.echo(f"  {path}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

"""`steppewatch demo`: the whole product end to end on embedded defaults.

With the replay web (the default): 12 weeks of synthetic coverage from 9 outlets in Russian
and Kazakh, with a rise of coverage of Turkey and a turn to alarm toward Russia planted in
2025-W24, collected, analysed, reported and served. With ``--source live``: the same against
the live outlets of the registry for the last weeks (what `make run` does).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import click
from rich.console import Console

from reports.weeks import IsoWeek
from steppewatch.cli import dashboard_cmd, ports
from steppewatch.cli.context import AppContext, pass_app


@click.command("demo")
@click.option("--source", type=click.Choice(["replay", "live"]), default="replay",
              show_default=True,
              help="Collect from the bundled offline replay web or from the live outlets.")
@click.option("--weeks", type=click.IntRange(1, 52), default=None,
              help="Weeks to backfill (default: the replay's 12 weeks; 2 for live outlets).")
@click.option("--serve/--no-serve", default=True, show_default=True,
              help="Serve the dashboard at the end (Ctrl-C to stop).")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Dashboard port (default: the dashboard.port setting, 8050, or the next "
                   "free one after it; 0 picks any free port). Checked before the backfill.")
@pass_app
def command(app: AppContext, source: str, weeks: int | None, serve: bool,
            port: int | None) -> None:
    """Run the main job end to end: backfill, analyse, write the weekly digests to
    var/outbox/ and serve the dashboard."""
    from crawlers.registry import load_manifest, load_registry
    from replayweb import ReplayServer
    from replayweb import plan as replay_plan
    from steppewatch.cli import backfill_cmd

    console = Console(stderr=True)
    settings = app.settings
    sock = None
    if serve:  # claim the port first: a clash ends the demo before minutes of backfill
        host = settings.dashboard.host
        dashboard_cmd.check_host(host, settings)
        if port is None:
            sock = ports.bind_first_free(host, settings.dashboard.port)
            if ports.bound_port(sock) != settings.dashboard.port:
                console.print(f"port {settings.dashboard.port} is in use: the dashboard "
                              f"will use port {ports.bound_port(sock)}")
        else:
            sock = ports.bind(host, port)
    if source == "replay":
        last = replay_plan.LAST_DAY
        first = last - timedelta(weeks=weeks or len(replay_plan.WEEKS)) + timedelta(days=1)
        with ReplayServer(port=0) as srv:
            console.print(f"replay web of synthetic outlets at {srv.url}")
            outlets = load_manifest(srv.url)
            backfill_cmd.run(app, outlets, first, last, chunk_days=28, restart=False,
                             digests=True, send=False, console=console)
        highlight = replay_plan.PLANTED_WEEK
    else:
        today = datetime.now(UTC).astimezone(settings.tz).date()
        last = today - timedelta(days=today.weekday() + 1)  # the Sunday that ended last week
        first = last - timedelta(weeks=weeks or 2) + timedelta(days=1)
        outlets = [o for o in load_registry() if o.active]
        backfill_cmd.run(app, outlets, first, last, chunk_days=7, restart=False,
                         digests=True, send=False, console=console)
        highlight = None
    outbox = settings.outbox_dir.resolve()
    console.print(f"\n[bold]digests[/] (one per week) are in {outbox}/", soft_wrap=True)
    latest = sorted(outbox.glob("digest-*-preview.html"))
    if latest:
        console.print(f"  latest week:  {latest[-1]}", soft_wrap=True)
    if highlight:
        console.print(f"  planted week: {outbox / f'digest-{highlight}-preview.html'} "
                      "(rise of Turkey coverage, turn to alarm toward Russia and the CSTO)",
                      soft_wrap=True)
    if sock is not None:
        if highlight:
            console.print("  planted week on the dashboard: "
                          f"{dashboard_cmd.url_of(sock)}?{planted_query(highlight, first, last)}",
                          soft_wrap=True)
        dashboard_cmd.serve(app, sock, threads=4, profile_version=None)


def planted_query(week: str, first: date, last: date) -> str:
    """The dashboard view of the demo's data with the planted week's articles listed."""
    monday = IsoWeek.parse(week).monday
    return urlencode({"from": first.isoformat(), "to": last.isoformat(), "by": "partner",
                      "at": monday.isoformat()}) + "#articles"
